// The second deployment `make dev` hosts: "Globex", a new workspace in America/New_York that meets in groups of
// three on Thursdays and has not had a round yet. It shares nothing with Demo Co but the table and the server: its
// members, email domain and sign-in accounts are its own (the two-deployment end-to-end test relies on that).
import type { Database } from '@percolate/db/database'
import { createDeployment, getDeployment } from '@percolate/db/deployments'
import { createMember, getMember } from '@percolate/db/members'
import { type DeploymentSettings, deploymentSettingsSchema } from '@percolate/domain/deployment'
import type { Member } from '@percolate/domain/member'

export const GLOBEX_DEPLOYMENT_ID = 'globex'
export const GLOBEX_EMAIL_DOMAIN = 'globex.example'
/** Imported by the admin, not signed in yet: their first sign-in goes through onboarding. */
export const NOT_ONBOARDED_GLOBEX_MEMBERS = ['globex-14', 'globex-15', 'globex-16']

export const globexSettings: DeploymentSettings = deploymentSettingsSchema.parse({
  name: 'Globex',
  timeZone: 'America/New_York',
  schedule: { kind: 'weekly', weekday: 'thursday', time: '10:30' },
  meetingSize: 3,
  allowedEmailDomains: [GLOBEX_EMAIL_DOMAIN],
  enabledChannels: ['email', 'slack', 'telegram', 'signal'],
  identityProviders: [{ kind: 'local' }],
})

// No first or last name is shared with Demo Co: a name found in the other deployment's pages or emails is a leak.
const people: { name: string; department: string; location: string; timeZone: string }[] = [
  { name: 'Harper Lindqvist', department: 'Operations', location: 'New York', timeZone: 'America/New_York' },
  { name: 'Marcus Bell', department: 'Engineering', location: 'New York', timeZone: 'America/New_York' },
  { name: 'Yara Haddad', department: 'Sales', location: 'Toronto', timeZone: 'America/Toronto' },
  { name: 'Theo Fitzgerald', department: 'Research', location: 'Chicago', timeZone: 'America/Chicago' },
  { name: 'Camila Reyes', department: 'Legal', location: 'New York', timeZone: 'America/New_York' },
  { name: 'Desmond Achebe', department: 'Engineering', location: 'Austin', timeZone: 'America/Chicago' },
  { name: 'Ingrid Solberg', department: 'Sales', location: 'New York', timeZone: 'America/New_York' },
  { name: 'Rafael Moreno', department: 'Research', location: 'Toronto', timeZone: 'America/Toronto' },
  { name: 'Sakura Ito', department: 'Operations', location: 'Remote', timeZone: 'America/Los_Angeles' },
  { name: 'Owen Gallagher', department: 'Legal', location: 'Chicago', timeZone: 'America/Chicago' },
  { name: 'Leila Farahani', department: 'Engineering', location: 'New York', timeZone: 'America/New_York' },
  { name: 'Ibrahim Diallo', department: 'Sales', location: 'Austin', timeZone: 'America/Chicago' },
  { name: 'Maeve Donnelly', department: 'Research', location: 'New York', timeZone: 'America/New_York' },
  { name: 'Nikolai Petrov', department: 'Operations', location: 'Toronto', timeZone: 'America/Toronto' },
  { name: 'Beatriz Costa', department: 'Legal', location: 'Remote', timeZone: 'America/Los_Angeles' },
  { name: 'Julian Park', department: 'Engineering', location: 'New York', timeZone: 'America/New_York' },
]

/** The Globex members, all on @globex.example. Member 1 (Harper) is its admin. */
export function globexMembers(): Omit<Member, 'version' | 'createdAt' | 'updatedAt'>[] {
  return people.map((person, i) => {
    const [first, last] = person.name.toLowerCase().split(' ') as [string, string]
    const id = `globex-${String(i + 1).padStart(2, '0')}`
    return {
      id,
      deploymentId: GLOBEX_DEPLOYMENT_ID,
      email: `${first}.${last}@${GLOBEX_EMAIL_DOMAIN}`,
      name: person.name,
      department: person.department,
      location: person.location,
      timeZone: person.timeZone,
      workingHours: { start: '09:00', end: '17:00' },
      bio: `${person.name.split(' ')[0]} works in ${person.department} from ${person.location}.`,
      interests: [],
      role: i === 0 ? 'admin' : 'member',
      preferences: {
        preferOtherDepartments: true,
        location: 'remote-ok',
        minOverlapHours: 1,
        avoidMemberIds: [],
      },
      participation: { status: 'active' },
      // Chat channels too: some on Slack, Telegram or Signal (the local servers), beside email.
      channels: {
        email: { enabled: true },
        ...(i % 5 === 1 ? { slack: { memberId: `U0GLBX${String(i).padStart(3, '0')}` } } : {}),
        ...(i % 5 === 2 ? { telegram: { chatId: String(200_000 + i) } } : {}),
        ...(i % 5 === 3 ? { signal: { number: `+1212555${String(i).padStart(4, '0')}` } } : {}),
      },
      identities: [],
      onboarded: !NOT_ONBOARDED_GLOBEX_MEMBERS.includes(id),
    }
  })
}

/** Seeds Globex unless it exists: members first, the deployment last (an interrupted seed runs again). */
export async function seedGlobex(db: Database, now = new Date()): Promise<'seeded' | 'exists'> {
  if (await getDeployment(db, GLOBEX_DEPLOYMENT_ID)) return 'exists'
  for (const member of globexMembers()) {
    if (!(await getMember(db, GLOBEX_DEPLOYMENT_ID, member.id))) await createMember(db, member, now)
  }
  // Created now, with no past rounds: its first round is the next Thursday 10:30 in New York.
  await createDeployment(db, GLOBEX_DEPLOYMENT_ID, globexSettings, now)
  return 'seeded'
}

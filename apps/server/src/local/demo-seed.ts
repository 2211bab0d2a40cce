// Demo data for `make dev`: "Demo Co" with about 40 members across departments and locations and a few past
// rounds. Deterministic (seeded), and written only when the demo deployment does not exist yet.
import type { Database } from '@percolate/db/database'
import { createDeployment, getDeployment } from '@percolate/db/deployments'
import { listRoundMatches, reportMatch } from '@percolate/db/matches'
import { createMember, getMember, updateMember } from '@percolate/db/members'
import {
  type DeploymentSettings,
  deploymentSchema,
  deploymentSettingsSchema,
} from '@percolate/domain/deployment'
import type { Member } from '@percolate/domain/member'
import { nextRoundTimes } from '@percolate/domain/schedule'
import { createRandom } from '@percolate/matching/random'
import { runRound } from '@percolate/rounds/run-round'

export const DEMO_DEPLOYMENT_ID = 'demo'
export const DEMO_EMAIL_DOMAIN = 'democo.example'
/** quentin.novak@democo.example: matched in the demo rounds, but has not been through onboarding yet. */
export const NOT_ONBOARDED_DEMO_MEMBER = 'demo-17'

export const demoSettings: DeploymentSettings = deploymentSettingsSchema.parse({
  name: 'Demo Co',
  timeZone: 'Europe/Berlin',
  schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
  meetingSize: 2,
  allowedEmailDomains: [DEMO_EMAIL_DOMAIN],
  enabledChannels: ['email', 'slack', 'telegram', 'signal'],
  identityProviders: [{ kind: 'local' }],
})

const firstNames = [
  'Ada',
  'Ben',
  'Chiara',
  'Dmitri',
  'Elif',
  'Farah',
  'Gustav',
  'Hana',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Mateo',
  'Nora',
  'Oskar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zofia',
  'Amara',
  'Bruno',
  'Chen',
  'Dalia',
  'Emil',
  'Freya',
  'Goran',
  'Hugo',
  'Isla',
  'Jamal',
  'Kaito',
  'Lucia',
  'Milan',
  'Noemi',
]
const lastNames = [
  'Meyer',
  'Rossi',
  'Nowak',
  'Okafor',
  'Tanaka',
  'Silva',
  'Novak',
  'Khan',
  'Dubois',
  'Larsen',
]
const departments = ['Engineering', 'Sales', 'Marketing', 'Finance', 'People', 'Design', 'Support']
const locations: { location: string; timeZone: string }[] = [
  { location: 'Berlin', timeZone: 'Europe/Berlin' },
  { location: 'Berlin', timeZone: 'Europe/Berlin' },
  { location: 'Lisbon', timeZone: 'Europe/Lisbon' },
  { location: 'London', timeZone: 'Europe/London' },
  { location: 'New York', timeZone: 'America/New_York' },
  { location: 'Remote', timeZone: 'Europe/Warsaw' },
  { location: 'Singapore', timeZone: 'Asia/Singapore' },
]
const interests = [
  'climbing',
  'board games',
  'jazz',
  'sourdough',
  'running',
  'chess',
  'gardening',
  'photography',
]

/** The demo members, all on @democo.example. Member 1 (Ada) is an admin. */
export function demoMembers(): Omit<Member, 'version' | 'createdAt' | 'updatedAt'>[] {
  const random = createRandom(20_260_525)
  return firstNames.map((first, i) => {
    const last = lastNames[i % lastNames.length]!
    const place = locations[random.int(locations.length)]!
    const paused = i % 13 === 12
    return {
      id: `demo-${String(i + 1).padStart(2, '0')}`,
      deploymentId: DEMO_DEPLOYMENT_ID,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`,
      name: `${first} ${last}`,
      department: departments[i % departments.length]!,
      location: place.location,
      timeZone: place.timeZone,
      workingHours: { start: '09:00', end: '17:00' },
      bio: `${first} works in ${departments[i % departments.length]} from ${place.location}.`,
      interests: random.shuffle(interests).slice(0, 1 + random.int(3)),
      role: i === 0 ? 'admin' : 'member',
      preferences: {
        preferOtherDepartments: true,
        location: 'remote-ok',
        minOverlapHours: 1,
        avoidMemberIds: [],
      },
      participation: paused ? { status: 'paused' } : { status: 'active' },
      // Every channel shows in the demo: a quarter each also on Slack, Telegram and Signal (the local servers).
      channels: {
        email: { enabled: true },
        ...(i % 4 === 1 ? { slack: { memberId: `U0DEMO${String(i).padStart(3, '0')}` } } : {}),
        ...(i % 4 === 2 ? { telegram: { chatId: String(100_000 + i) } } : {}),
        ...(i % 4 === 3 ? { signal: { number: `+4915550000${String(i).padStart(3, '0')}` } } : {}),
      },
      identities: [],
      onboarded: true,
    }
  })
}

/**
 * Seeds the demo deployment unless it exists. Past rounds are real rounds (the same run as the CronJob's, the
 * matching engine included); older ones get reports (most met, some did not), the latest stays open and is the
 * only one that notifies (the local inbox and chat servers show it).
 */
export async function seedDemo(db: Database, now = new Date(), pastRounds = 3): Promise<'seeded' | 'exists'> {
  if (await getDeployment(db, DEMO_DEPLOYMENT_ID)) return 'exists'
  const members = demoMembers()
  const weekMs = 7 * 86_400_000
  const createdAt = new Date(now.getTime() - (pastRounds + 1) * weekMs)
  for (const member of members) {
    if (!(await getMember(db, DEMO_DEPLOYMENT_ID, member.id))) await createMember(db, member, createdAt)
  }
  const rounds = nextRoundTimes(demoSettings.schedule, demoSettings.timeZone, createdAt, pastRounds + 1)
    .filter((time) => time.getTime() < now.getTime())
    .slice(-pastRounds)
  // The deployment as the rounds see it; stored last, so a seed interrupted half-way runs again on the next start.
  const deployment = deploymentSchema.parse({
    ...demoSettings,
    id: DEMO_DEPLOYMENT_ID,
    version: 1,
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
  })
  for (const [index, time] of rounds.entries()) {
    const latest = index === rounds.length - 1
    // Low search effort: `make dev` starts in seconds; three rounds of 37 people need little search anyway.
    await runRound(db, deployment, time, { seed: 1_000 + index, notify: latest, now: time, effort: 0.05 })
    if (latest) continue
    for (const match of await listRoundMatches(db, DEMO_DEPLOYMENT_ID, time.toISOString())) {
      const status = (match.groupIndex + index) % 5 === 0 ? 'didnt-meet' : 'met'
      await reportMatch(
        db,
        match,
        { status, ...(status === 'met' ? { rating: 4 + (match.groupIndex % 2) } : {}) },
        time,
      )
    }
  }
  // Quentin was imported by the admin and matched, but has not signed in yet: his first sign-in goes through the
  // onboarding wizard and then shows his match (the end-to-end journey follows him).
  const quentin = await getMember(db, DEMO_DEPLOYMENT_ID, NOT_ONBOARDED_DEMO_MEMBER)
  if (quentin) await updateMember(db, quentin, { onboarded: false })
  await createDeployment(db, DEMO_DEPLOYMENT_ID, demoSettings, createdAt)
  return 'seeded'
}

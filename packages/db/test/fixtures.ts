import type { DeploymentSettings } from '@percolate/domain/deployment'
import { deploymentSettingsSchema } from '@percolate/domain/deployment'
import type { NewMember } from '../src/members.ts'

export const settings: DeploymentSettings = deploymentSettingsSchema.parse({
  name: 'Acme',
  timeZone: 'Europe/Berlin',
  schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
  meetingSize: 2,
  allowedEmailDomains: ['acme.test'],
  enabledChannels: ['email'],
  identityProviders: [{ kind: 'local' }],
})

let counter = 0
export function newMember(deploymentId: string, overrides: Partial<NewMember> = {}): NewMember {
  counter += 1
  return {
    id: `member-${counter.toString().padStart(4, '0')}-${crypto.randomUUID().slice(0, 8)}`,
    deploymentId,
    email: `person${counter}@acme.test`,
    name: `Person ${counter}`,
    department: 'Engineering',
    location: 'Berlin',
    timeZone: 'Europe/Berlin',
    workingHours: { start: '09:00', end: '17:00' },
    bio: '',
    interests: [],
    role: 'member',
    preferences: {
      preferOtherDepartments: true,
      location: 'remote-ok',
      minOverlapHours: 1,
      avoidMemberIds: [],
    },
    participation: { status: 'active' },
    channels: { email: { enabled: true } },
    identities: [{ issuer: 'http://localhost:9000', subject: `sub-${counter}` }],
    onboarded: true,
    ...overrides,
  }
}

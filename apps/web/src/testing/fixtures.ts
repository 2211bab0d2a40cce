// Test data in the API's shapes: a member, a group, notifications, a workspace and its settings. Override what a
// test is about.
import type { RouterOutputs } from '../trpc.ts'

type OwnMember = RouterOutputs['me']['get']
type AuthMe = RouterOutputs['auth']['me']

export function aMember(overrides: Partial<OwnMember> = {}): OwnMember {
  return {
    id: 'demo-01',
    deploymentId: 'demo',
    email: 'ada.meyer@democo.example',
    name: 'Ada Meyer',
    department: 'Engineering',
    location: 'Berlin',
    timeZone: 'Europe/Berlin',
    workingHours: { start: '09:00', end: '17:00' },
    bio: 'Ada works in Engineering from Berlin.',
    interests: ['chess'],
    role: 'member',
    preferences: {
      preferOtherDepartments: true,
      location: 'remote-ok',
      minOverlapHours: 1,
      avoidMemberIds: [],
    },
    participation: { status: 'active' },
    channels: { email: { enabled: true } },
    onboarded: true,
    version: 3,
    createdAt: '2026-01-05T08:00:00.000Z',
    updatedAt: '2026-01-05T08:00:00.000Z',
    ...overrides,
  }
}

/** auth.me for a member. */
export function signedInAs(member: OwnMember): AuthMe {
  return {
    id: member.id,
    deploymentId: member.deploymentId,
    name: member.name,
    email: member.email,
    role: member.role,
    onboarded: member.onboarded,
    via: 'session',
    sessionExpiresAt: '2030-01-01T00:00:00.000Z',
  }
}

export function aCurrentMatch(
  overrides: Partial<NonNullable<RouterOutputs['matches']['current']>> = {},
): NonNullable<RouterOutputs['matches']['current']> {
  return {
    scheduledAt: '2026-03-02T08:00:00.000Z',
    status: 'scheduled',
    reason: 'You work in different departments and share 6 working hours.',
    rating: null,
    note: null,
    people: [
      {
        id: 'demo-02',
        name: 'Ben Rossi',
        department: 'Sales',
        timeZone: 'America/New_York',
        localTime: '08:00',
        bio: 'Ben sells things from New York.',
      },
    ],
    suggestedTimes: ['2026-03-03T14:00:00.000Z', '2026-03-04T15:30:00.000Z'],
    ...overrides,
  }
}

export function aPastMatch(
  overrides: Partial<RouterOutputs['matches']['history']['matches'][number]> = {},
): RouterOutputs['matches']['history']['matches'][number] {
  return {
    scheduledAt: '2026-02-23T08:00:00.000Z',
    status: 'met',
    reason: 'You have not met yet.',
    rating: 4,
    note: null,
    people: [
      {
        id: 'demo-03',
        name: 'Chiara Nowak',
        department: 'Marketing',
        timeZone: 'Europe/Lisbon',
        localTime: '07:00',
        bio: '',
      },
    ],
    ...overrides,
  }
}

export function aNotification(
  overrides: Partial<RouterOutputs['me']['notifications'][number]> = {},
): RouterOutputs['me']['notifications'][number] {
  return {
    memberId: 'demo-01',
    memberName: 'Ada Meyer',
    scheduledAt: '2026-03-02T08:00:00.000Z',
    kind: 'match',
    channel: 'email',
    status: 'sent',
    attempts: 1,
    updatedAt: '2026-03-02T08:00:05.000Z',
    reason: null,
    ...overrides,
  }
}

/** me.workspace: what every member may know of their workspace. */
export function aWorkspace(
  overrides: Partial<RouterOutputs['me']['workspace']> = {},
): RouterOutputs['me']['workspace'] {
  return {
    id: 'demo',
    name: 'Demo Co',
    timeZone: 'Europe/Berlin',
    meetingSize: 2,
    participationMode: 'automatic',
    enabledChannels: ['email', 'slack', 'telegram', 'signal'],
    ...overrides,
  }
}

export function aDeployment(
  overrides: Partial<RouterOutputs['config']['get']['deployment']> = {},
): RouterOutputs['config']['get']['deployment'] {
  return {
    id: 'demo',
    name: 'Demo Co',
    timeZone: 'Europe/Berlin',
    schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
    meetingSize: 2,
    remainderPolicy: 'larger-groups',
    participationMode: 'automatic',
    repeatDecayWeeks: 26,
    allowedEmailDomains: ['democo.example'],
    enabledChannels: ['email', 'slack'],
    identityProviders: [{ kind: 'local' }],
    version: 4,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}

export const nextRounds = (from = Date.parse('2026-03-09T08:00:00.000Z')) =>
  Array.from({ length: 5 }, (_, i) => {
    const at = new Date(from + i * 7 * 86_400_000)
    return { at: at.toISOString(), local: `Mon, ${at.getUTCDate()} Mar 2026, 09:00 CET` }
  })

/** A member as admins see them (no preferences, channels or identities). */
export function anAdminViewOf(
  overrides: Partial<RouterOutputs['admin']['members']['members'][number]> = {},
): RouterOutputs['admin']['members']['members'][number] {
  const { preferences: _p, channels: _c, ...member } = aMember()
  return { ...member, ...overrides }
}

export function aRoundStats(
  overrides: Partial<RouterOutputs['admin']['stats']['rounds'][number]> = {},
): RouterOutputs['admin']['stats']['rounds'][number] {
  return {
    scheduledAt: '2026-03-02T08:00:00.000Z',
    status: 'completed',
    participants: 36,
    groups: 18,
    newConnections: 18,
    repeats: 0,
    optedOut: 3,
    leftOut: 0,
    skippedReason: null,
    reported: 20,
    met: 15,
    didntMeet: 5,
    cancelled: 0,
    metRate: 0.75,
    averageRating: 4.25,
    notes: 2,
    ...overrides,
  }
}

import { describe, expect, it } from 'bun:test'
import { createDeployment } from '@percolate/db/deployments'
import { type Match, putMatches } from '@percolate/db/matches'
import { getMember } from '@percolate/db/members'
import { putRound } from '@percolate/db/rounds'
import { deploymentSettingsSchema } from '@percolate/domain/deployment'
import { callerFor, db, failure, member } from './support.ts'

await createDeployment(
  db,
  'stats',
  deploymentSettingsSchema.parse({
    name: 'Stats Co',
    timeZone: 'Europe/Berlin',
    schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
    meetingSize: 2,
    allowedEmailDomains: ['acme.test'],
    enabledChannels: ['email'],
    identityProviders: [{ kind: 'local' }],
  }),
)

const admin = await member('stats', { role: 'admin', name: 'Zed Admin' })
const people = await Promise.all(['Ann', 'Bob', 'Cat', 'Dan'].map((name) => member('stats', { name })))
const at = (week: number) => new Date(Date.UTC(2026, 1, 2 + 7 * week, 8)).toISOString()
for (const week of [0, 1]) {
  await putRound(db, {
    deploymentId: 'stats',
    scheduledAt: at(week),
    status: 'completed',
    seed: '1',
    participantCount: 4,
    groupCount: 2,
    newPairs: 2,
    optedOutCount: week,
    completedAt: at(week),
  })
}
const record = (m: (typeof people)[number], week: number, extra: Partial<Match>): Match => ({
  deploymentId: 'stats',
  memberId: m.id,
  scheduledAt: at(week),
  groupIndex: 0,
  memberIds: [m.id, people[0]!.id],
  reason: 'first meeting',
  status: 'scheduled',
  updatedAt: at(week),
  ...extra,
})
await putMatches(db, [
  record(people[0]!, 0, { status: 'met', rating: 5, note: 'lovely, "really"' }),
  record(people[1]!, 0, { status: 'met', rating: 3 }),
  record(people[2]!, 0, { status: 'didnt-meet' }),
  record(people[3]!, 0, {}),
  record(people[0]!, 1, {}),
])

describe('admin', () => {
  it('gives per-round figures for charts, newest first', async () => {
    const { rounds } = await (await callerFor(admin)).admin.stats({})
    expect(rounds.map((r) => r.scheduledAt)).toEqual([at(1), at(0)])
    expect(rounds[1]).toEqual({
      scheduledAt: at(0),
      status: 'completed',
      participants: 4,
      groups: 2,
      newConnections: 2,
      repeats: 0,
      optedOut: 0,
      leftOut: 0,
      skippedReason: null,
      reported: 3,
      met: 2,
      didntMeet: 1,
      cancelled: 0,
      metRate: 2 / 3,
      averageRating: 4,
      notes: 1,
    })
    expect(rounds[0]!.metRate).toBeNull()
  })

  it("exports the figures as CSV without the notes' text", async () => {
    const { csv, filename } = await (await callerFor(admin)).admin.exportCsv()
    expect(filename).toBe('percolate-stats-rounds.csv')
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe(
      'scheduledAt,status,participants,groups,newConnections,repeats,optedOut,leftOut,skippedReason,reported,met,didntMeet,cancelled,metRate,averageRating,notes',
    )
    expect(lines[2]).toBe(`${at(0)},completed,4,2,2,0,0,0,,3,2,1,0,0.6666666666666666,4,1`)
    expect(csv).not.toContain('lovely')
  })

  it('previews the next round: every participant placed, with names, and nothing saved', async () => {
    const caller = await callerFor(admin)
    const before = await caller.admin.rounds({})
    const preview = await caller.admin.previewRound()
    expect(Date.parse(preview.scheduledAt)).toBeGreaterThan(Date.now())
    expect(preview.participants).toBe(5)
    const placed = preview.groups.flatMap((g) => g.members.map((m) => m.name)).sort()
    expect(placed).toEqual(['Ann', 'Bob', 'Cat', 'Dan', 'Zed Admin'])
    expect(preview.groups.map((g) => g.members.length).sort()).toEqual([2, 3])
    expect(preview.groups.every((g) => g.reason.length > 0)).toBe(true)
    expect(await caller.admin.rounds({})).toEqual(before)
    const person = await callerFor(people[0]!)
    expect(await failure(person.admin.previewRound())).toStartWith('FORBIDDEN')
  })

  it('searches members by name across statuses and pages them', async () => {
    const caller = await callerFor(admin)
    const found = await caller.admin.members({ search: 'b' })
    expect(found.members.map((m) => m.name)).toEqual(['Bob'])
    const first = await caller.admin.members({ limit: 2 })
    const second = await caller.admin.members({ limit: 2, cursor: first.nextCursor })
    expect(first.members).toHaveLength(2)
    expect(second.members.some((m) => first.members.some((f) => f.id === m.id))).toBe(false)
    expect('preferences' in first.members[0]!).toBe(false)
  })

  it('never takes the last admin away, and removes a member with every session', async () => {
    const caller = await callerFor(admin)
    expect(await failure(caller.admin.setRole({ memberId: admin.id, role: 'member' }))).toBe(
      'CONFLICT: role: a workspace needs at least one admin; make someone else admin first',
    )
    const dan = people[3]!
    const danCaller = await callerFor(dan)
    expect(await caller.admin.remove({ memberId: dan.id })).toEqual({ removed: true, sessionsEnded: 1 })
    expect(await getMember(db, 'stats', dan.id)).toBeNull()
    expect(await failure(danCaller.me.get())).toBe('UNAUTHORIZED: Your session has ended. Sign in again.')
    expect(await failure(caller.admin.remove({ memberId: admin.id }))).toBe(
      'BAD_REQUEST: memberId: you cannot remove yourself; delete your account instead',
    )
  })
})

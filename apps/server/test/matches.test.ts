import { describe, expect, it } from 'bun:test'
import { type Match, putMatches } from '@percolate/db/matches'
import { callerFor, db, failure, member } from './support.ts'

const ada = await member('acme', { name: 'Ada', timeZone: 'Europe/Berlin', bio: 'Likes chess' })
const ben = await member('acme', { name: 'Ben', timeZone: 'America/New_York', department: 'Research' })
const cem = await member('acme', { name: 'Cem' })
const outsider = await member('other')

const round = (week: number) => new Date(Date.UTC(2026, 0, 5 + 7 * week, 8)).toISOString()
const record = (memberId: string, week: number, memberIds: string[], deploymentId = 'acme'): Match => ({
  deploymentId,
  memberId,
  scheduledAt: round(week),
  groupIndex: 0,
  memberIds,
  reason: 'first meeting; different departments',
  status: 'scheduled',
  updatedAt: round(week),
})
await putMatches(db, [
  record(ada.id, 0, [ada.id, cem.id]),
  record(cem.id, 0, [ada.id, cem.id]),
  record(ada.id, 1, [ada.id, ben.id]),
  record(ben.id, 1, [ada.id, ben.id]),
  record(outsider.id, 1, [outsider.id, ada.id], 'other'),
])

describe('matches', () => {
  it("shows the current group: the others' snippets, the reason and times inside everyone's hours", async () => {
    const current = await (await callerFor(ada)).matches.current()
    expect(current).toMatchObject({
      scheduledAt: round(1),
      status: 'scheduled',
      reason: 'first meeting; different departments',
      people: [{ id: ben.id, name: 'Ben', department: 'Research', timeZone: 'America/New_York' }],
    })
    expect(current!.people[0]!.localTime).toMatch(/^\d{2}:\d{2}$/)
    expect(current!.suggestedTimes.length).toBeGreaterThan(0)
    for (const time of current!.suggestedTimes) {
      const hour = new Date(time).getUTCHours()
      // Berlin 09–17 and New York 09–17 share 14:00–16:00 UTC in winter (13–16 when only New York is on DST).
      expect(hour >= 13 && hour < 16).toBe(true)
    }
  })

  it("says when the next round is, in the member's own time zone", async () => {
    const next = await (await callerFor(ben)).matches.nextRound()
    expect(Date.parse(next!.at)).toBeGreaterThan(Date.now())
    expect(next!.timeZone).toBe('America/New_York')
    expect(next!.local).toMatch(/^Monday \d+ \w+ at 0[23]:00$/)
  })

  it('is null before the first round', async () => {
    expect(await (await callerFor(await member())).matches.current()).toBeNull()
  })

  it('pages the history and filters it by person and status', async () => {
    const caller = await callerFor(ada)
    const all = await caller.matches.history({ limit: 1 })
    expect(all.matches.map((m) => m.scheduledAt)).toEqual([round(1)])
    const next = await caller.matches.history({ limit: 1, cursor: all.nextCursor })
    expect(next.matches.map((m) => m.people[0]!.name)).toEqual(['Cem'])
    const withCem = await caller.matches.history({ personId: cem.id })
    expect(withCem.matches.map((m) => m.scheduledAt)).toEqual([round(0)])
    expect((await caller.matches.history({ status: 'met' })).matches).toEqual([])
    expect(await failure(caller.matches.history({ from: round(2), to: round(1) }))).toBe(
      'BAD_REQUEST: from: must not be after to',
    )
  })

  it('records what the member reports, with feedback, and only on their own matches', async () => {
    const caller = await callerFor(cem)
    const reported = await caller.matches.report({
      scheduledAt: round(0),
      status: 'met',
      rating: 4,
      note: 'fun',
    })
    expect(reported).toMatchObject({ status: 'met', rating: 4 })
    // Cem was not in round 1; and another workspace's round is nobody's here.
    expect(await failure(caller.matches.report({ scheduledAt: round(1), status: 'met' }))).toBe(
      `NOT_FOUND: You have no match in the round of ${round(1)}`,
    )
    const message = await failure(
      caller.matches.report({ scheduledAt: 'last monday', status: 'maybe' as never, rating: 9 }),
    )
    expect(message).toContain('scheduledAt')
    expect(message).toContain('status')
    expect(message).toContain('rating')
  })

  it("never shows another workspace's matches", async () => {
    const history = await (await callerFor(outsider)).matches.history({})
    expect(history.matches).toHaveLength(1)
    // Ada's id in the other workspace names nobody there.
    expect(history.matches[0]!.people).toEqual([
      expect.objectContaining({ id: ada.id, name: 'Former member', bio: '' }),
    ])
  })
})

import { afterAll, describe, expect, it } from 'bun:test'
import {
  getMatch,
  latestMatch,
  listMatches,
  listRoundMatches,
  type Match,
  putMatches,
  reportMatch,
} from '../src/matches.ts'
import { createTestDatabase } from '../src/testing.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())

const round = (week: number) => new Date(Date.UTC(2026, 0, 5 + 7 * week, 8)).toISOString()
const match = (memberId: string, week: number, memberIds: string[], extra: Partial<Match> = {}): Match => ({
  deploymentId: 'acme',
  memberId,
  scheduledAt: round(week),
  groupIndex: 0,
  memberIds,
  reason: 'first meeting',
  status: 'scheduled',
  updatedAt: round(week),
  ...extra,
})

// Ada's 30 weeks: each week a different partner; every third week reported as met.
const ada: Match[] = Array.from({ length: 30 }, (_, week) =>
  match('ada', week, ['ada', `p${week}`], { status: week % 3 === 0 ? 'met' : 'scheduled' }),
)
await putMatches(db, [...ada, match('ben', 29, ['ben', 'cem']), match('cem', 29, ['ben', 'cem'])])

describe('matches', () => {
  it('gives the latest match and pages the history newest first', async () => {
    expect((await latestMatch(db, 'acme', 'ada'))?.scheduledAt).toBe(round(29))
    const first = await listMatches(db, 'acme', 'ada', { limit: 10 })
    expect(first.matches.map((m) => m.scheduledAt)).toEqual(
      Array.from({ length: 10 }, (_, i) => round(29 - i)),
    )
    const second = await listMatches(db, 'acme', 'ada', { limit: 10, cursor: first.nextCursor })
    expect(second.matches[0]!.scheduledAt).toBe(round(19))
  })

  it('filters by round range, status and person', async () => {
    const range = await listMatches(db, 'acme', 'ada', { from: round(5), to: round(7), limit: 50 })
    expect(range.matches.map((m) => m.scheduledAt)).toEqual([round(7), round(6), round(5)])
    const met = await listMatches(db, 'acme', 'ada', { status: 'met', limit: 50 })
    expect(met.matches).toHaveLength(10)
    const withP4 = await listMatches(db, 'acme', 'ada', { withMemberId: 'p4', limit: 50 })
    expect(withP4.matches.map((m) => m.scheduledAt)).toEqual([round(4)])
  })

  it("lists a round's records for every member, and never another deployment's", async () => {
    expect((await listRoundMatches(db, 'acme', round(29))).map((m) => m.memberId).sort()).toEqual([
      'ada',
      'ben',
      'cem',
    ])
    expect(await listRoundMatches(db, 'other', round(29))).toEqual([])
    expect(await latestMatch(db, 'other', 'ada')).toBeNull()
  })

  it('records a report with feedback, only on a match that exists', async () => {
    const reported = await reportMatch(
      db,
      { deploymentId: 'acme', memberId: 'ben', scheduledAt: round(29) },
      { status: 'met', rating: 5, note: 'great chat' },
    )
    expect(reported).toMatchObject({ status: 'met', rating: 5, note: 'great chat' })
    expect((await getMatch(db, 'acme', 'ben', round(29)))?.status).toBe('met')
    expect(
      await reportMatch(
        db,
        { deploymentId: 'acme', memberId: 'ben', scheduledAt: round(3) },
        { status: 'met' },
      ),
    ).toBeNull()
    expect(await getMatch(db, 'acme', 'ben', round(3))).toBeNull()
  })
})

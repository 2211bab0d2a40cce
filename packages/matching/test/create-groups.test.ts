import { describe, expect, it } from 'bun:test'
import { createGroups } from '../src/create-groups.ts'
import type { MatchParticipant, PastMeeting } from '../src/types.ts'
import { pairKey, pairsOf } from './support.ts'

const people = (
  n: number,
  extra: (i: number) => Partial<MatchParticipant> = () => ({}),
): MatchParticipant[] => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, ...extra(i) }))

describe('createGroups', () => {
  it('explains each group in a short sentence', () => {
    const result = createGroups({
      participants: [
        {
          id: 'ada',
          department: 'Engineering',
          location: 'Berlin',
          workingWindowUtc: { start: 480, end: 960 },
        },
        { id: 'ben', department: 'Sales', location: 'Berlin', workingWindowUtc: { start: 600, end: 1080 } },
      ],
      history: [],
      size: 2,
      seed: 1,
    })
    expect(result.groups).toEqual([
      {
        memberIds: expect.arrayContaining(['ada', 'ben']),
        reason: 'first meeting; different departments; same location; 6 h of shared working hours',
        repeatedPairs: 0,
      },
    ])
  })

  it('treats a pair that reported "didn\'t meet" as not having met', () => {
    const participants = people(2)
    const history: PastMeeting[] = [{ a: 'p0', b: 'p1', ageWeeks: 1, met: false }]
    expect(createGroups({ participants, history, size: 2, seed: 3 }).repeatedPairs).toBe(0)
    const met = createGroups({ participants, history: [{ ...history[0]!, met: true }], size: 2, seed: 3 })
    expect(met.repeatedPairs).toBe(1)
    expect(met.groups[0]!.reason).toStartWith('1 of 1 pairs met before')
  })

  it('repeats the oldest meeting when a repeat cannot be avoided', () => {
    // Four people who all met: someone must meet again; the pairs last seen a year ago should.
    const participants = people(4)
    const ages: Record<string, number> = {
      'p0|p1': 1,
      'p2|p3': 1,
      'p0|p2': 52,
      'p1|p3': 52,
      'p0|p3': 2,
      'p1|p2': 2,
    }
    const history = Object.entries(ages).map(([key, ageWeeks]) => {
      const [a, b] = key.split('|') as [string, string]
      return { a, b, ageWeeks }
    })
    for (let seed = 0; seed < 10; seed++) {
      const result = createGroups({ participants, history, size: 2, seed, decayWeeks: 8 })
      expect(pairsOf(result.groups).sort()).toEqual(['p0|p2', 'p1|p3'])
    }
  })

  it('prefers other departments without ever paying with a repeat', () => {
    // Two departments of two; the cross-department pairs already met, so the round stays within departments.
    const participants = people(4, (i) => ({ department: i < 2 ? 'A' : 'B' }))
    const history = [
      { a: 'p0', b: 'p2', ageWeeks: 1 },
      { a: 'p0', b: 'p3', ageWeeks: 1 },
      { a: 'p1', b: 'p2', ageWeeks: 1 },
      { a: 'p1', b: 'p3', ageWeeks: 1 },
    ]
    const result = createGroups({ participants, history, size: 2, seed: 9 })
    expect(result.repeatedPairs).toBe(0)
    expect(pairsOf(result.groups).sort()).toEqual(['p0|p1', 'p2|p3'])
    const fresh = createGroups({ participants, history: [], size: 2, seed: 9 })
    expect(fresh.groups.every((g) => g.reason.includes('different departments'))).toBe(true)
  })

  it('groups people at the same location when they ask for it', () => {
    const participants = people(8, (i) => ({
      location: i % 2 ? 'Berlin' : 'Lisbon',
      locationPreference: 'same',
    }))
    for (let seed = 0; seed < 5; seed++) {
      const result = createGroups({ participants, history: [], size: 2, seed })
      expect(result.groups.every((g) => g.reason.includes('same location'))).toBe(true)
    }
  })

  it('gives larger groups the remainder by default, and can leave people out by lot instead', () => {
    const participants = people(7)
    const larger = createGroups({ participants, history: [], size: 2, seed: 4 })
    expect(larger.groups.map((g) => g.memberIds.length).sort()).toEqual([2, 2, 3])
    expect(larger.leftOut).toEqual([])
    const leaveOut = createGroups({
      participants,
      history: [],
      size: 2,
      seed: 4,
      remainderPolicy: 'leave-out',
    })
    expect(leaveOut.groups).toHaveLength(3)
    expect(leaveOut.leftOut).toEqual([
      {
        id: expect.any(String),
        reason: '7 people take part and groups have 2; who sits out is drawn by lot',
      },
    ])
  })

  it('says why someone alone cannot be matched', () => {
    expect(createGroups({ participants: people(1), history: [], size: 2, seed: 0 }).leftOut).toEqual([
      { id: 'p0', reason: 'nobody else is taking part this round' },
    ])
  })

  it('leaves someone out rather than group them with a person they blocked', () => {
    // p0 blocked everyone: no group can hold them.
    const participants = people(5, (i) => (i === 0 ? { blockedIds: ['p1', 'p2', 'p3', 'p4'] } : {}))
    const result = createGroups({ participants, history: [], size: 2, seed: 2 })
    expect(result.leftOut.map((l) => l.id)).toEqual(['p0'])
    expect(result.leftOut[0]!.reason).toBe('no group could be formed for them this round')
    expect(result.groups.flatMap((g) => g.memberIds).sort()).toEqual(['p1', 'p2', 'p3', 'p4'])
  })

  it('honors a block set by only one of the two', () => {
    const participants = people(4, (i) => (i === 3 ? { blockedIds: ['p0'] } : {}))
    for (let seed = 0; seed < 20; seed++) {
      const pairs = pairsOf(createGroups({ participants, history: [], size: 2, seed }).groups)
      expect(pairs).not.toContain(pairKey('p0', 'p3'))
    }
  })

  it('shares few pairs between two seeds when there is little history', () => {
    const participants = people(40)
    let shared = 0
    const runs = 20
    for (let run = 0; run < runs; run++) {
      const a = new Set(pairsOf(createGroups({ participants, history: [], size: 2, seed: run * 2 }).groups))
      const b = pairsOf(createGroups({ participants, history: [], size: 2, seed: run * 2 + 1 }).groups)
      shared += b.filter((pair) => a.has(pair)).length
    }
    // Uniform expectation: 20 pairs × 1/39 ≈ 0.51 shared per run.
    expect(shared / runs).toBeLessThan(2 * (20 / 39))
  })

  it('follows its own plan round after round for groups of three', () => {
    const participants = people(15)
    const history: PastMeeting[] = []
    let plannedRounds: string[][][] = []
    for (let round = 0; round < 7; round++) {
      for (const meeting of history) meeting.ageWeeks += 1
      const result = createGroups({ participants, history, size: 3, seed: 100 + round, plannedRounds })
      expect(result.repeatedPairs).toBe(0)
      plannedRounds = result.plannedRounds
      for (const pair of pairsOf(result.groups)) {
        const [a, b] = pair.split('|') as [string, string]
        history.push({ a, b, ageWeeks: 0 })
      }
    }
    // 15 people in threes: 7 rounds meet every pair exactly once (a Kirkman schedule).
    expect(history).toHaveLength(105)
  })

  it('gives the same groups whatever rounds ran before it (memory is reused from round to round)', () => {
    const participants = people(3_000, (i) => ({
      department: `d${i % 7}`,
      workingWindowUtc: { start: (i % 3) * 300, end: (i % 3) * 300 + 480 },
      minOverlapHours: 2,
      blockedIds: [`p${(i * 31 + 7) % 3_000}`],
    }))
    const history: PastMeeting[] = Array.from({ length: 3_000 }, (_, i) => ({
      a: `p${i}`,
      b: `p${(i * 17 + 5) % 3_000}`,
      ageWeeks: i % 30,
    }))
    const round = (n: number, size: number) =>
      createGroups({ participants: participants.slice(0, n), history, size, seed: 11 })
    const first = round(1_200, 3)
    round(3_000, 4)
    round(40, 2)
    expect(round(1_200, 3)).toEqual(first)
  })

  it('refuses input it cannot work with, naming the field', () => {
    expect(() => createGroups({ participants: people(3), history: [], size: 7, seed: 1 })).toThrow(
      'size: must be a whole number from 2 to 6, got 7',
    )
    expect(() => createGroups({ participants: people(3), history: [], size: 2, seed: -1 })).toThrow(
      'seed: must be',
    )
    expect(() =>
      createGroups({ participants: [{ id: 'a' }, { id: 'a' }], history: [], size: 2, seed: 1 }),
    ).toThrow("participants: id 'a' appears twice")
  })
})

import { describe, expect, it } from 'bun:test'
import { createGroups } from '../src/create-groups.ts'
import {
  affineSchedule,
  alignedSchedule,
  constructSchedule,
  createField,
  cyclicSchedule,
  cyclicStructures,
  designPlan,
  designSchedule,
  type Schedule,
  spreadSchedule,
} from '../src/designs.ts'
import { createRandom } from '../src/random.ts'
import { pairsOf } from './support.ts'

/** Problems with a schedule: a round that is not a partition of 0..n−1 into groups of k, or a pair met twice. */
function problems(schedule: Schedule, n: number, k: number): string[] {
  const found: string[] = []
  const met = new Set<number>()
  schedule.forEach((round, r) => {
    const seen = new Set(round.flat())
    if (seen.size !== n || round.flat().length !== n || [...seen].some((x) => !(x >= 0 && x < n)))
      found.push(`round ${r} is not a partition of 0..${n - 1}`)
    for (const group of round) {
      if (group.length !== k) found.push(`round ${r} has a group of ${group.length}`)
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          const key = Math.min(group[i]!, group[j]!) * n + Math.max(group[i]!, group[j]!)
          if (met.has(key)) found.push(`round ${r} repeats ${group[i]}–${group[j]}`)
          met.add(key)
        }
      }
    }
  })
  return found
}

const bound = (n: number, k: number) => Math.floor((n - 1) / (k - 1))

/** Rounds in which no group holds two people of one department. */
function mixingRounds(schedule: Schedule, departmentOf: (x: number) => number): number {
  return schedule.filter((round) =>
    round.every((group) => new Set(group.map(departmentOf)).size === group.length),
  ).length
}

describe('createField', () => {
  it('builds GF(q) for prime powers: every nonzero element has an inverse', () => {
    for (const q of [2, 3, 4, 5, 7, 8, 9]) {
      const field = createField(q)!
      for (let x = 1; x < q; x++) {
        expect(Array.from({ length: q }, (_, y) => field.mul(x, y)).sort((a, b) => a - b)).toEqual(
          Array.from({ length: q }, (_, y) => y),
        )
        expect(field.add(x, 0)).toBe(x)
      }
    }
  })

  it('has no field of order 6 or 10', () => {
    expect(createField(6)).toBeNull()
    expect(createField(10)).toBeNull()
  })
})

describe('constructed schedules', () => {
  const cases: [n: number, k: number, rounds: number, what: string][] = [
    [9, 3, 4, 'AG(2, 3)'],
    [16, 4, 5, 'AG(2, 4)'],
    [25, 5, 6, 'AG(2, 5)'],
    [27, 3, 13, 'AG(3, 3)'],
    [64, 4, 21, 'AG(3, 4)'],
    [15, 3, 7, 'a Kirkman triple system'],
    [21, 3, 10, 'a Kirkman triple system'],
    [33, 3, 16, 'a Kirkman triple system'],
    [18, 3, 8, 'a nearly Kirkman triple system'],
    [24, 3, 11, 'a nearly Kirkman triple system'],
    [30, 3, 14, 'a nearly Kirkman triple system'],
    [28, 4, 9, 'a resolvable (28, 4, 1) design'],
    [32, 4, 9, 'a partial spread of PG(4, 2)'],
  ]
  for (const [n, k, rounds, what] of cases) {
    it(`gives ${n} people in groups of ${k} ${rounds} repeat-free rounds (${what})`, () => {
      const schedule = constructSchedule(n, k)!
      expect(schedule).not.toBeNull()
      expect(schedule).toHaveLength(rounds)
      expect(problems(schedule, n, k)).toEqual([])
    })
  }

  it('finds a cyclic design at the bound from the first structure tried, for 15, 21, 30 in threes and 28 in fours', () => {
    for (const [n, k] of [
      [15, 3],
      [21, 3],
      [30, 3],
      [28, 4],
    ] as const) {
      const schedule = cyclicSchedule(n, k, cyclicStructures(n, k)[0]!)!
      expect(schedule).toHaveLength(bound(n, k))
      expect(problems(schedule, n, k)).toEqual([])
    }
  })

  it('builds the affine rounds only for powers of a prime-power group size', () => {
    expect(affineSchedule(12, 3)).toBeNull()
    expect(affineSchedule(36, 6)).toBeNull()
    expect(problems(affineSchedule(81, 3)!, 81, 3)).toEqual([])
  })

  it('leaves four directions out of the spread of GF(2)^5, and builds none for even dimensions', () => {
    expect(spreadSchedule(32)).toHaveLength(9)
    expect(spreadSchedule(16)).toBeNull()
  })

  it('constructs nothing where the group size does not divide the count', () => {
    expect(constructSchedule(31, 4)).toBeNull()
    expect(constructSchedule(20, 3)).toBeNull()
  })
})

describe('alignedSchedule', () => {
  const cases: [n: number, k: number, m: number, rounds: number, mixing: number, what: string][] = [
    [32, 4, 8, 9, 8, 'four departments of 8: all 24 colleagues from elsewhere in 8 rounds'],
    [32, 4, 4, 9, 8, 'eight departments of 4: the most a partial spread allows'],
    [32, 4, 2, 9, 9, 'sixteen departments of 2'],
    [128, 4, 32, 41, 32, 'four departments of 32, where the spread search finds none'],
    [16, 4, 4, 5, 4, 'AG(2, 4) by parallel lines'],
    [64, 4, 16, 21, 16, 'AG(3, 4) by parallel planes'],
    [27, 3, 9, 13, 9, 'AG(3, 3) by parallel planes'],
    [27, 3, 3, 13, 12, 'AG(3, 3) by parallel lines'],
  ]
  for (const [n, k, m, rounds, mixing, what] of cases) {
    it(`gives ${n} people in groups of ${k}, departments of ${m} on cosets, ${mixing} of ${rounds} rounds without colleagues (${what})`, () => {
      const schedule = alignedSchedule(n, k, m)!
      expect(schedule).toHaveLength(rounds)
      expect(problems(schedule, n, k)).toEqual([])
      expect(mixingRounds(schedule, (x) => Math.floor(x / m))).toBe(mixing)
    })
  }

  it("aligns nothing where no coset has the departments' size or groups cannot mix departments", () => {
    expect(alignedSchedule(28, 4, 7)).toBeNull()
    expect(alignedSchedule(15, 3, 5)).toBeNull()
    expect(alignedSchedule(32, 4, 16)).toBeNull()
    expect(alignedSchedule(27, 3, 1)).toBeNull()
  })
})

describe('designSchedule', () => {
  it('relabels by the seed: still repeat-free, the same for one seed, different across seeds', () => {
    const a = designSchedule(21, 3, createRandom(1))!
    expect(problems(a, 21, 3)).toEqual([])
    expect(designSchedule(21, 3, createRandom(1))).toEqual(a)
    expect(designSchedule(21, 3, createRandom(2))).not.toEqual(a)
  })
})

describe('designPlan', () => {
  /** The part of a cost model the plan reads: who met, who blocked whom, what a pair costs in preferences. */
  const modelOf = (
    n: number,
    {
      met = [],
      blocked = [],
      department,
    }: { met?: number[][]; blocked?: number[][]; department?: (i: number) => number } = {},
  ) => {
    const has = (pairs: number[][], i: number, j: number) =>
      pairs.some(([a, b]) => (a === i && b === j) || (a === j && b === i))
    return {
      n,
      forEachPartner: (i: number, visit: (j: number) => void) => {
        for (let j = 0; j < n; j++) if (has(met, i, j)) visit(j)
      },
      isBlocked: (i: number, j: number) => has(blocked, i, j),
      preferenceCost: (i: number, j: number) => (department && department(i) === department(j) ? 4 : 0),
      department: department && Int32Array.from({ length: n }, (_, i) => department(i)),
    }
  }
  const everyone = (n: number) => Array.from({ length: n }, (_, i) => i)
  const sizes = (n: number, k: number) => Array.from({ length: n / k }, () => k)

  it('plans the whole cycle for people who have not met', () => {
    const plan = designPlan(modelOf(15), everyone(15), sizes(15, 3), createRandom(4))!
    expect(plan).toHaveLength(7)
    expect(problems(plan, 15, 3)).toEqual([])
  })

  it('declines once anyone here has met anyone here, or when groups differ in size', () => {
    const met = { met: [[0, 1]] }
    expect(designPlan(modelOf(15, met), everyone(15), sizes(15, 3), createRandom(4))).toBeNull()
    // Someone they met is not here this round: their history does not count.
    expect(
      designPlan(modelOf(16, met), everyone(16).slice(1, 16), sizes(15, 3), createRandom(4)),
    ).not.toBeNull()
    expect(designPlan(modelOf(16), everyone(16), [3, 3, 3, 3, 4], createRandom(4))).toBeNull()
  })

  it('keeps blocked pairs out of the plan, dropping the rounds that would hold them', () => {
    const blocked = [0, 1, 2].map((i) => [i, i + 3])
    const plan = designPlan(modelOf(15, { blocked }), everyone(15), sizes(15, 3), createRandom(5))!
    expect(plan.length).toBeGreaterThan(0)
    for (const group of plan.flat()) {
      for (let i = 0; i < 3; i++) expect(group.includes(i) && group.includes(i + 3)).toBe(false)
    }
  })

  it('puts the rounds that honor preferences first', () => {
    // Five departments of three: the first round can hold no two colleagues, and the plan starts with it.
    const plan = designPlan(
      modelOf(15, { department: (i) => i % 5 }),
      everyone(15),
      sizes(15, 3),
      createRandom(6),
    )!
    const colleagues = (round: number[][]) =>
      round.reduce(
        (sum, group) => sum + group.filter((x, i) => group.slice(i + 1).some((y) => y % 5 === x % 5)).length,
        0,
      )
    expect(colleagues(plan[0]!)).toBe(0)
    expect(colleagues(plan[0]!)).toBeLessThanOrEqual(Math.min(...plan.map(colleagues)))
  })

  it('lays four departments of 8 on cosets: 8 rounds without a repeat, every group from four departments', () => {
    const model = modelOf(32, { department: (i) => i >> 3 })
    const plans = [1, 2].map((seed) => designPlan(model, everyone(32), sizes(32, 4), createRandom(seed))!)
    for (const plan of plans) {
      expect(problems(plan, 32, 4)).toEqual([])
      expect(mixingRounds(plan.slice(0, 8), (x) => x >> 3)).toBe(8)
    }
    expect(designPlan(model, everyone(32), sizes(32, 4), createRandom(1))).toEqual(plans[0]!)
    // The seed picks who sits on which point: other seeds, other groups.
    const firstGroups = plans.map((plan) =>
      plan[0]!.map((group) => [...group].sort((a, b) => a - b).join()).sort(),
    )
    expect(firstGroups[1]).not.toEqual(firstGroups[0])
  })

  it('plans as without departments where they do not fit a coset: unequal sizes, or someone without one', () => {
    const plain = designPlan(modelOf(32), everyone(32), sizes(32, 4), createRandom(3))
    const planWith = (department: (i: number) => number) =>
      designPlan(
        { ...modelOf(32), department: Int32Array.from({ length: 32 }, (_, i) => department(i)) },
        everyone(32),
        sizes(32, 4),
        createRandom(3),
      )
    expect(planWith((i) => (i < 12 ? 0 : i < 20 ? 1 : i < 26 ? 2 : 3))).toEqual(plain)
    expect(planWith((i) => (i === 0 ? -1 : i >> 3))).toEqual(plain)
    // (Where they fit, the seed's draws go to the cosets instead.)
    expect(planWith((i) => i >> 3)).not.toEqual(plain)
  })
})

describe('createGroups with four departments of 8, everyone preferring other departments', () => {
  it('gives 8 rounds in a row without a repeated pair, every group from four departments', () => {
    const participants = Array.from({ length: 32 }, (_, i) => ({ id: `p${i}`, department: `d${i >> 3}` }))
    const departmentOf = (id: string) => Number(id.slice(1)) >> 3
    const history: { a: string; b: string; ageWeeks: number; round: number }[] = []
    const seen = new Set<string>()
    let plannedRounds: string[][][] = []
    for (let round = 1; round <= 8; round++) {
      for (const meeting of history) meeting.ageWeeks = round - meeting.round
      const result = createGroups({ participants, history, size: 4, seed: 7_000 + round, plannedRounds })
      plannedRounds = result.plannedRounds
      for (const { memberIds } of result.groups) expect(new Set(memberIds.map(departmentOf)).size).toBe(4)
      for (const pair of pairsOf(result.groups)) {
        expect(seen.has(pair)).toBe(false)
        seen.add(pair)
        const [a, b] = pair.split('|') as [string, string]
        history.push({ a, b, ageWeeks: 0, round })
      }
    }
    expect(seen.size).toBe(8 * 8 * 6)
  })
})

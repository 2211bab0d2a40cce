import { describe, expect, it } from 'bun:test'
import { buildCostModel } from '../src/cost-model.ts'
import { PairHistory } from '../src/pair-history.ts'
import { createRandom } from '../src/random.ts'
import { planRounds } from '../src/schedule-search.ts'
import type { MatchParticipant } from '../src/types.ts'

// 50 people in groups of 4 and 5 (the uneven size whose plan keeps a conflict), strong preferences.
const participants: MatchParticipant[] = Array.from({ length: 50 }, (_, i) => ({
  id: `p${i}`,
  department: `d${i % 4}`,
  location: i % 2 === 0 ? 'Berlin' : 'Paris',
  locationPreference: 'same',
  preferOtherDepartments: true,
}))
const sizes = [5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]
const people = participants.map((_, i) => i)

function expectWholeRounds(rounds: { groups: number[][] }[], horizon: number) {
  expect(rounds).toHaveLength(horizon)
  for (const round of rounds) {
    expect(round.groups.map((group) => group.length).sort()).toEqual([...sizes].sort())
    expect(new Set(round.groups.flat()).size).toBe(people.length)
  }
}

describe('planRounds', () => {
  it('stops when its evaluation budget runs out, with a whole plan all the same', () => {
    const model = buildCostModel(participants, new PairHistory(), 0, 26)
    const budget = { left: 200_000 }
    const plan = planRounds(model, people, sizes, 16, createRandom(1), 1_000_000, [], false, budget)
    // One step evaluates at most 16 positions × 50 people past the budget.
    expect(budget.left).toBeLessThanOrEqual(0)
    expect(budget.left).toBeGreaterThan(-16 * 50)
    expectWholeRounds(plan.rounds, 16)
  })

  it('is deterministic under the budget (counted in evaluations, not time)', () => {
    const model = buildCostModel(participants, new PairHistory(), 0, 26)
    const run = () =>
      planRounds(model, people, sizes, 8, createRandom(7), 1_000_000, [], true, { left: 300_000 }).rounds
    expect(run()).toEqual(run())
  })

  it('stops early, budget left over, once it has a plan without conflicts', () => {
    const plain = participants.slice(0, 16).map(({ id }) => ({ id }))
    const model = buildCostModel(plain, new PairHistory(), 0, 26)
    const budget = { left: 2_000_000 }
    const sixteen = people.slice(0, 16)
    const plan = planRounds(model, sixteen, [4, 4, 4, 4], 2, createRandom(3), 10_000, [], false, budget)
    expect(plan.conflicts).toBe(0)
    expect(budget.left).toBeGreaterThan(1_000_000)
  })
})

import { describe, expect, it } from 'bun:test'
import { BLOCKED, buildCostModel, REPEAT } from '../src/cost-model.ts'
import { PairHistory } from '../src/pair-history.ts'
import { createRandom } from '../src/random.ts'
import type { MatchParticipant } from '../src/types.ts'

/** People with history, blocks and preferences; `distinctWindows` gives everyone a working window of their own. */
function roster(
  n: number,
  distinctWindows: boolean,
): { participants: MatchParticipant[]; history: PairHistory } {
  const random = createRandom(n)
  const participants: MatchParticipant[] = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    department: i % 7 === 0 ? undefined : `d${i % 5}`,
    location: i % 3 === 0 ? 'Berlin' : i % 3 === 1 ? 'Paris' : undefined,
    locationPreference: i % 4 === 0 ? 'same' : 'remote-ok',
    preferOtherDepartments: i % 6 !== 0,
    workingWindowUtc:
      i % 11 === 0 ? undefined : { start: distinctWindows ? i : (i % 4) * 180, end: 1000 + i },
    minOverlapHours: i % 5,
    blockedIds: i % 9 === 0 ? [`p${random.int(n)}`, 'nobody'] : undefined,
  }))
  const history = new PairHistory()
  for (let week = 1; week <= 6; week++) {
    const order = random.shuffle(participants.map((p) => p.id))
    const groups: string[][] = []
    for (let at = 0; at + 3 <= order.length; at += 3) groups.push(order.slice(at, at + 3))
    history.addGroups(groups, week)
  }
  return { participants, history }
}

describe('buildCostModel', () => {
  it('prices a pair the same whether people share a few profiles or each has their own', () => {
    // 300 distinct working windows: more profiles than the model shares, so pairs are priced from records.
    const { participants, history } = roster(300, true)
    const many = buildCostModel(participants, history, 7, 26)
    const random = createRandom(5)
    for (let t = 0; t < 2_000; t++) {
      const i = random.int(300)
      const j = (i + 1 + random.int(299)) % 300
      // The same two people alone share at most two profiles: priced from the profile table.
      const pair = buildCostModel([participants[i]!, participants[j]!], history, 7, 26)
      expect(many.preferenceCost(i, j)).toBe(pair.preferenceCost(0, 1))
    }
  })

  it("describes a group's people the same whether they share a few profiles or each has their own", () => {
    // Windows all round the clock, some crossing midnight UTC, some missing: 300 profiles, more than are shared.
    const random = createRandom(11)
    const participants: MatchParticipant[] = Array.from({ length: 300 }, (_, i) => {
      const start = random.int(1440)
      return {
        id: `p${i}`,
        department: `d${i % 4}`,
        location: i % 5 === 0 ? undefined : `l${i % 3}`,
        workingWindowUtc: i % 13 === 0 ? undefined : { start, end: start + 60 + random.int(720) },
      }
    })
    const history = new PairHistory()
    const many = buildCostModel(participants, history, 1, 26)
    const fromMany = new Float64Array(3)
    const fromFew = new Float64Array(3)
    for (let t = 0; t < 2_000; t++) {
      const size = 2 + random.int(5)
      const group = random.shuffle(participants.map((_, i) => i)).slice(0, size)
      many.describePeople(group, fromMany)
      // The same people alone share at most `size` profiles: aligned through the model's table.
      const few = buildCostModel(
        group.map((i) => participants[i]!),
        history,
        1,
        26,
      )
      few.describePeople(
        group.map((_, x) => x),
        fromFew,
      )
      expect([...fromMany]).toEqual([...fromFew])
    }
  })

  it('prices a round of pairs at once exactly as one by one, with and without the small-round met matrix', () => {
    for (const n of [60, 2_100]) {
      const { participants, history } = roster(n, false)
      const model = buildCostModel(participants, history, 7, 26)
      const random = createRandom(n + 1)
      const pairs = 5_000
      const first = new Int32Array(pairs)
      const second = new Int32Array(pairs)
      for (let p = 0; p < pairs; p++) {
        first[p] = random.int(n)
        second[p] = (first[p]! + 1 + random.int(n - 1)) % n
        // Every 50th pair one that was blocked (when its first person blocked someone else).
        const blockedId = participants[first[p]!]!.blockedIds?.[0]
        if (p % 50 === 0 && blockedId && blockedId !== `p${first[p]}`) second[p] = Number(blockedId.slice(1))
      }
      const out = new Float64Array(pairs)
      model.pairCosts(first, second, pairs, out)
      let repeats = 0
      let blocked = 0
      for (let p = 0; p < pairs; p++) {
        const i = first[p]!
        const j = second[p]!
        expect(out[p]).toBe(model.pairCost(i, j))
        const met = history.hasMet(`p${i}`, `p${j}`)
        expect(model.hasMet(i, j)).toBe(met)
        if (model.isBlocked(i, j)) {
          blocked++
          expect(out[p]).toBe(BLOCKED)
        } else if (met) {
          repeats++
          expect(out[p]).toBeGreaterThanOrEqual(REPEAT)
        } else expect(out[p]).toBeLessThan(REPEAT)
      }
      expect(repeats).toBeGreaterThan(0)
      expect(blocked).toBeGreaterThan(0)
    }
  })

  it('finds participants by id, newcomers included, and refuses an id given twice', () => {
    const { participants, history } = roster(50, false)
    const newcomer = { id: 'new-1' }
    const model = buildCostModel([...participants, newcomer], history, 7, 26)
    expect(model.indexOf('p17')).toBe(17)
    expect(model.indexOf('new-1')).toBe(50)
    expect(model.indexOf('nobody')).toBe(-1)
    expect(() => buildCostModel([...participants, { id: 'p3' }], history, 7, 26)).toThrow(
      "participants: id 'p3' appears twice",
    )
    expect(() => buildCostModel([newcomer, newcomer], history, 7, 26)).toThrow("id 'new-1' appears twice")
  })
})

import { describe, expect, it } from 'bun:test'
import { createGroups } from '../src/create-groups.ts'
import { PairHistory } from '../src/pair-history.ts'
import type { PastMeeting } from '../src/types.ts'

describe('PairHistory', () => {
  it('records a meeting for both people and nobody else', () => {
    const history = new PairHistory()
    history.addGroups([['ada', 'ben', 'cem']], 10)
    expect(history.hasMet('ada', 'ben')).toBe(true)
    expect(history.hasMet('cem', 'ada')).toBe(true)
    expect(history.hasMet('ada', 'dan')).toBe(false)
    expect(history.hasMet('ada', 'ada')).toBe(false)
    expect(history.meetings).toBe(3)
    expect(history.people).toBe(3)
  })

  it('weighs each meeting by its age with the given half-life, and sums repeats', () => {
    const history = new PairHistory()
    history.add('ada', 'ben', 0)
    const ada = history.indexOf('ada')
    const ben = history.indexOf('ben')
    expect(history.weightAt(ada, ben, 0, 26)).toBeCloseTo(1)
    expect(history.weightAt(ada, ben, 26, 26)).toBeCloseTo(0.5)
    expect(history.weightAt(ada, ben, 52, 26)).toBeCloseTo(0.25)
    history.add('ben', 'ada', 26)
    expect(history.weightAt(ada, ben, 26, 26)).toBeCloseTo(1.5)
    expect(history.weightAt(ben, ada, 26, 26)).toBeCloseTo(1.5)
  })

  it("keeps each person's partners sorted whatever the order they were added in", () => {
    const history = new PairHistory()
    const others = Array.from({ length: 40 }, (_, i) => `p${(i * 17) % 40}`)
    others.forEach((other, week) => {
      history.add('me', other, week)
    })
    const seen: number[] = []
    history.forEachPartner(history.indexOf('me'), (partner) => seen.push(partner))
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(seen).toHaveLength(40)
    for (const other of others) expect(history.hasMet('me', other)).toBe(true)
  })

  it('forgets a meeting reported as not having happened: the one of that week, or the latest', () => {
    const history = new PairHistory()
    history.add('ada', 'ben', 1)
    history.add('ada', 'ben', 5)
    expect(history.remove('ada', 'ben', 1)).toBe(true)
    expect(history.remove('ada', 'ben', 1)).toBe(false)
    const [ada, ben] = [history.indexOf('ada'), history.indexOf('ben')]
    expect(history.weightAt(ada, ben, 5, 26)).toBeCloseTo(1)
    expect(history.remove('ben', 'ada')).toBe(true)
    expect(history.hasMet('ada', 'ben')).toBe(false)
    expect(history.remove('ada', 'zoe')).toBe(false)
  })

  it('refuses a week that is not a number', () => {
    expect(() => new PairHistory().add('ada', 'ben', Number.NaN)).toThrow('week: must be a finite number')
  })

  it('gives createGroups the same groups as the equivalent list of meetings', () => {
    const participants = Array.from({ length: 24 }, (_, i) => ({ id: `p${i}`, department: `d${i % 4}` }))
    const meetings: PastMeeting[] = []
    const history = new PairHistory()
    for (let week = 1; week <= 4; week++) {
      const result = createGroups({ participants, history, week, size: 2, seed: week })
      for (const { memberIds } of result.groups) {
        for (let x = 0; x < memberIds.length; x++) {
          for (let y = x + 1; y < memberIds.length; y++) {
            expect(history.hasMet(memberIds[x]!, memberIds[y]!)).toBe(false)
            meetings.push({ a: memberIds[x]!, b: memberIds[y]!, ageWeeks: 5 - week })
          }
        }
      }
      history.addGroups(
        result.groups.map((g) => g.memberIds),
        week,
      )
    }
    const fromList = createGroups({ participants, history: meetings, size: 2, seed: 99 })
    const fromHistory = createGroups({ participants, history, week: 5, size: 2, seed: 99 })
    expect(fromHistory).toEqual(fromList)
    expect(fromHistory.repeatedPairs).toBe(0)
  })

  it("needs the round's week with a PairHistory", () => {
    expect(() =>
      createGroups({
        participants: [{ id: 'a' }, { id: 'b' }],
        history: new PairHistory(),
        size: 2,
        seed: 1,
      }),
    ).toThrow("week: the round's week is required with a PairHistory")
  })
})

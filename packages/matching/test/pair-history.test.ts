import { describe, expect, it } from 'bun:test'
import { createGroups } from '../src/create-groups.ts'
import { PairHistory } from '../src/pair-history.ts'
import { createRandom } from '../src/random.ts'
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

  it('keeps every meeting as its pool grows round after round, people joining on the way', () => {
    const history = new PairHistory()
    const random = createRandom(3)
    // The reference: each pair's weeks, in a Map.
    const weeksOf = new Map<string, number[]>()
    const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)
    for (let week = 1; week <= 60; week++) {
      const people = Array.from({ length: 100 + 5 * week }, (_, i) => `p${i}`)
      const order = random.shuffle(people)
      const groups: string[][] = []
      for (let at = 0; at + 4 <= order.length; at += 4) groups.push(order.slice(at, at + 4))
      history.addGroups(groups, week)
      for (const group of groups)
        for (let x = 0; x < 4; x++)
          for (let y = x + 1; y < 4; y++)
            weeksOf.set(key(group[x]!, group[y]!), [...(weeksOf.get(key(group[x]!, group[y]!)) ?? []), week])
      if (week % 20 === 0) {
        // Forget one meeting: its pair still met in other weeks, or not at all.
        const [pair, weeks] = [...weeksOf].find(([, w]) => w.length > 0)!
        const [a, b] = pair.split('|') as [string, string]
        expect(history.remove(a, b, weeks[0]!)).toBe(true)
        weeks.shift()
      }
    }
    let meetings = 0
    for (const [pair, weeks] of weeksOf) {
      const [a, b] = pair.split('|') as [string, string]
      meetings += weeks.length
      expect(history.hasMet(a, b)).toBe(weeks.length > 0)
      const expected = weeks.reduce((sum, week) => sum + 0.5 ** ((61 - week) / 26), 0)
      expect(history.weightAt(history.indexOf(a), history.indexOf(b), 61, 26)).toBeCloseTo(expected, 12)
    }
    expect(history.meetings).toBe(meetings)
    expect(history.people).toBe(400)
  })

  it('takes a long list of meetings in any order', () => {
    const random = createRandom(8)
    const meetings: PastMeeting[] = random.shuffle(
      Array.from({ length: 600 }, (_, i) => ({ a: 'hub', b: `p${i % 300}`, ageWeeks: i })),
    )
    const history = PairHistory.fromMeetings(meetings)
    const partners: number[] = []
    history.forEachPartner(history.indexOf('hub'), (partner) => partners.push(partner))
    expect(partners).toEqual([...partners].sort((x, y) => x - y))
    expect(partners).toHaveLength(300)
    const [hub, p7] = [history.indexOf('hub'), history.indexOf('p7')]
    expect(history.weightAt(hub, p7, 0, 26)).toBeCloseTo(0.5 ** (7 / 26) + 0.5 ** (307 / 26), 12)
    // Without a week, the latest meeting goes.
    expect(history.remove('p7', 'hub')).toBe(true)
    expect(history.weightAt(hub, p7, 0, 26)).toBeCloseTo(0.5 ** (307 / 26), 12)
  })

  it('keeps weeks as given, on any scale, past 65,536 distinct ones', () => {
    const history = new PairHistory()
    // Unix time in weeks, to the hour: not representable as a 32-bit float.
    const week = 2_900 + 5 / 168
    history.add('ada', 'ben', week)
    expect(history.remove('ada', 'ben', 2_900)).toBe(false)
    expect(history.remove('ada', 'ben', week)).toBe(true)
    const meetings: PastMeeting[] = Array.from({ length: 70_000 }, (_, i) => ({
      a: `p${i % 100}`,
      b: `q${i % 37}`,
      ageWeeks: i / 4,
    }))
    const list = PairHistory.fromMeetings(meetings)
    const [p5, q5] = [list.indexOf('p5'), list.indexOf('q5')]
    let expected = 0
    for (let i = 0; i < 70_000; i++) if (i % 100 === 5 && i % 37 === 5) expected += 0.5 ** (i / 4 / 26)
    expect(list.weightAt(p5, q5, 0, 26)).toBeCloseTo(expected, 12)
    expect(list.meetings).toBe(70_000)
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

import { describe, expect, it } from 'bun:test'
import { createRandom } from '../src/random.ts'

describe('createRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = createRandom(42)
    const b = createRandom(42)
    const c = createRandom(43)
    const seqA = Array.from({ length: 50 }, () => a.int(1_000_000))
    expect(Array.from({ length: 50 }, () => b.int(1_000_000))).toEqual(seqA)
    expect(Array.from({ length: 50 }, () => c.int(1_000_000))).not.toEqual(seqA)
  })

  it('shuffles into a permutation without touching the input', () => {
    const items = Array.from({ length: 40 }, (_, i) => i)
    const shuffled = createRandom(1).shuffle(items)
    expect(shuffled).not.toEqual(items)
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items)
    expect(items[0]).toBe(0)
  })

  it('spreads integers evenly (chi-square, 10 buckets)', () => {
    const random = createRandom(2026)
    const counts = new Array<number>(10).fill(0)
    const draws = 20_000
    for (let i = 0; i < draws; i++) counts[random.int(10)]! += 1
    const expected = draws / 10
    const chiSquare = counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0)
    // 9 degrees of freedom: 27.88 is the 0.1% critical value.
    expect(chiSquare).toBeLessThan(27.88)
  })

  it('keeps next() in [0, 1)', () => {
    const random = createRandom(5)
    for (let i = 0; i < 1000; i++) {
      const x = random.next()
      expect(x >= 0 && x < 1).toBe(true)
    }
  })

  it('refuses a seed it cannot represent', () => {
    expect(() => createRandom(-1)).toThrow('seed must be an integer')
    expect(() => createRandom(1.5)).toThrow('seed must be an integer')
  })
})

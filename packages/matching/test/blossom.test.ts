import { describe, expect, it } from 'bun:test'
import fc from 'fast-check'
import { maximumMatching } from '../src/blossom.ts'

/** Brute force: the largest matching of a small graph. */
function bruteForceSize(n: number, edges: [number, number][]): number {
  let best = 0
  const used = new Uint8Array(n)
  const search = (from: number, size: number) => {
    best = Math.max(best, size)
    for (let e = from; e < edges.length; e++) {
      const [a, b] = edges[e]!
      if (used[a] || used[b]) continue
      used[a] = used[b] = 1
      search(e + 1, size + 1)
      used[a] = used[b] = 0
    }
  }
  search(0, 0)
  return best
}

describe('maximumMatching', () => {
  it('finds a perfect matching through an odd cycle (a blossom)', () => {
    // A triangle 0-1-2 with a tail 2-3 and 0-4, 4-5: greedy can miss it, augmenting through the blossom finds it.
    const adjacency = [[1, 2, 4], [0, 2], [1, 0, 3], [2], [0, 5], [4]]
    const mate = maximumMatching(adjacency)
    expect([...mate].every((m) => m !== -1)).toBe(true)
    for (let v = 0; v < mate.length; v++) expect(adjacency[v]).toContain(mate[v]!)
  })

  it('matches as many pairs as brute force on random small graphs', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 10 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 20 }),
            ),
          ),
        ([n, rawEdges]) => {
          const edges = rawEdges.filter(([a, b]) => a < b) as [number, number][]
          const adjacency: number[][] = Array.from({ length: n }, () => [])
          for (const [a, b] of edges) {
            adjacency[a]!.push(b)
            adjacency[b]!.push(a)
          }
          const mate = maximumMatching(adjacency)
          let size = 0
          for (let v = 0; v < n; v++) {
            if (mate[v] === -1) continue
            expect(mate[mate[v]!]).toBe(v)
            expect(adjacency[v]).toContain(mate[v]!)
            if (v < mate[v]!) size++
          }
          expect(size).toBe(bruteForceSize(n, edges))
        },
      ),
      { numRuns: 300 },
    )
  })
})

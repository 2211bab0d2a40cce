import { describe, expect, test } from 'bun:test'
import { maximumMatching } from '../src/blossom.ts'
import { splitIntoMatchings } from '../src/edge-colouring.ts'
import { createRandom } from '../src/random.ts'

/** A random d-regular graph on n (even) vertices: the union of d edge-disjoint random perfect matchings. */
function randomRegular(n: number, d: number, seed: number): number[][] {
  const random = createRandom(seed)
  for (;;) {
    const graph: number[][] = Array.from({ length: n }, () => [])
    const has = new Set<number>()
    let ok = true
    for (let round = 0; round < d && ok; round++) {
      // A random perfect matching of the complement of what is there, through blossom on shuffled lists.
      const free: number[][] = Array.from({ length: n }, (_, v) =>
        random.shuffle(Array.from({ length: n }, (_, u) => u).filter((u) => u !== v && !has.has(v * n + u))),
      )
      const mate = maximumMatching(free)
      for (let v = 0; v < n; v++) {
        const u = mate[v]!
        if (u === -1) ok = false
        else if (v < u) {
          graph[v]!.push(u)
          graph[u]!.push(v)
          has.add(v * n + u)
          has.add(u * n + v)
        }
      }
    }
    if (ok) return graph
  }
}

function expectSplit(graph: number[][], mates: Int32Array[]) {
  const seen = new Set<string>()
  for (const mate of mates) {
    for (let v = 0; v < graph.length; v++) {
      const u = mate[v]!
      expect(graph[v]).toContain(u)
      expect(mate[u]).toBe(v)
      seen.add(v < u ? `${v}-${u}` : `${u}-${v}`)
    }
  }
  expect(seen.size).toBe((graph.length * mates.length) / 2)
}

describe('splitIntoMatchings', () => {
  test('splits random regular graphs into perfect matchings that use every edge once', () => {
    for (const [n, d] of [
      [10, 3],
      [50, 2],
      [200, 3],
      [1000, 3],
      [300, 5],
    ] as const) {
      for (let seed = 1; seed <= 3; seed++) {
        const graph = randomRegular(n, d, seed)
        const mates = splitIntoMatchings(graph, d, createRandom(seed))
        expect(mates).not.toBeNull()
        expect(mates).toHaveLength(d)
        expectSplit(graph, mates!)
      }
    }
  })

  test('gives up on the Petersen graph, which has no such split', () => {
    const outer = [0, 1, 2, 3, 4]
    const graph: number[][] = Array.from({ length: 10 }, () => [])
    const edge = (a: number, b: number) => {
      graph[a]!.push(b)
      graph[b]!.push(a)
    }
    for (const i of outer) {
      edge(i, (i + 1) % 5)
      edge(i, i + 5)
      edge(i + 5, ((i + 2) % 5) + 5)
    }
    expect(splitIntoMatchings(graph, 3, createRandom(1))).toBeNull()
  })

  test('a cycle splits only when it is even; an irregular graph is refused', () => {
    const cycle = (n: number) => Array.from({ length: n }, (_, v) => [(v + n - 1) % n, (v + 1) % n])
    expectSplit(cycle(8), splitIntoMatchings(cycle(8), 2, createRandom(3))!)
    expect(splitIntoMatchings(cycle(7), 2, createRandom(3))).toBeNull()
    expect(splitIntoMatchings([[1], [0, 2], [1]], 2, createRandom(3))).toBeNull()
  })

  test('is deterministic by seed', () => {
    const graph = randomRegular(100, 4, 9)
    const a = splitIntoMatchings(graph, 4, createRandom(5))!
    const b = splitIntoMatchings(graph, 4, createRandom(5))!
    expect(a.map((mate) => [...mate])).toEqual(b.map((mate) => [...mate]))
  })
})

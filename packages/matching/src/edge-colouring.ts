// The last rounds of a pair cycle: the pairs not met yet form a d-regular graph, and the cycle reaches its end
// exactly when that graph splits into d perfect matchings (a proper edge colouring with d colours, "class 1").
// Random perfect matchings rarely leave such a remainder (a 2-regular remainder splits only when every cycle is
// even), so the endgame colours the whole remainder at once and takes one colour as the round: the other colours
// are the rounds after it. Kempe-chain recolouring (as in Vizing's proof) with random evictions when a chain
// closes on itself; almost every regular graph is class 1 and this finds a colouring quickly; a bounded number
// of moves gives up on the others (the Petersen graph has none).
import type { Random } from './random.ts'

/**
 * Splits a graph whose every vertex has exactly `colours` neighbours into `colours` perfect matchings:
 * `mates[c][v]` is v's partner in matching c. Null when the bounded search finds no split (or the graph is not
 * regular of that degree).
 */
export function splitIntoMatchings(
  graph: readonly (readonly number[])[],
  colours: number,
  random: Random,
  attempts = 3,
): Int32Array[] | null {
  const n = graph.length
  if (colours < 1 || graph.some((list) => list.length !== colours)) return null
  const edges: number[] = []
  for (let v = 0; v < n; v++) for (const u of graph[v]!) if (v < u) edges.push(v, u)
  const maxMoves = 50 * edges.length + 1_000
  // at[v * colours + c]: v's neighbour over the edge coloured c, or −1.
  const at = new Int32Array(n * colours)
  const path: number[] = []
  const pending: number[] = []

  const colour = (v: number, u: number, c: number) => {
    at[v * colours + c] = u
    at[u * colours + c] = v
  }
  const freeColour = (v: number): number => {
    let seen = 0
    let pick = -1
    for (let c = 0; c < colours; c++) if (at[v * colours + c] === -1 && random.int(++seen) === 0) pick = c
    return pick
  }

  for (let attempt = 0; attempt < attempts; attempt++) {
    at.fill(-1)
    pending.length = 0
    const order = random.shuffle(Array.from({ length: edges.length / 2 }, (_, e) => e))
    for (const e of order) pending.push(edges[2 * e]!, edges[2 * e + 1]!)
    let moves = 0
    while (pending.length > 0 && moves++ < maxMoves) {
      const v = pending.pop()!
      const u = pending.pop()!
      const a = freeColour(u)
      const b = freeColour(v)
      if (at[v * colours + a] === -1) {
        colour(u, v, a)
        continue
      }
      if (at[u * colours + b] === -1) {
        colour(u, v, b)
        continue
      }
      // a is free at u and used at v; b the reverse. Walk the a/b chain that starts at v with its a-edge.
      path.length = 0
      let x = v
      let c = a
      while (at[x * colours + c] !== -1) {
        const y = at[x * colours + c]!
        path.push(x, y)
        x = y
        c = c === a ? b : a
      }
      if (x !== u) {
        // Swap a and b along the chain: a becomes free at v, and u is not on it (a is free at u, so u can only end
        // an a/b chain). Then uv takes a.
        for (let i = 0; i < path.length; i += 2) {
          const was = (i / 2) % 2 === 0 ? a : b
          at[path[i]! * colours + was] = -1
          at[path[i + 1]! * colours + was] = -1
        }
        for (let i = 0; i < path.length; i += 2) colour(path[i]!, path[i + 1]!, (i / 2) % 2 === 0 ? b : a)
        colour(u, v, a)
        continue
      }
      // The chain closes at u: evict v's a-edge, give uv colour a, and colour the evicted edge later.
      const w = at[v * colours + a]!
      at[v * colours + a] = -1
      at[w * colours + a] = -1
      colour(u, v, a)
      // Put the evicted edge under a random pending one, so the walk does not retry the same place at once.
      const slot = 2 * random.int(pending.length / 2 + 1)
      pending.push(w, v)
      if (slot < pending.length - 2) {
        const [p0, p1] = [pending[slot]!, pending[slot + 1]!]
        pending[slot] = w
        pending[slot + 1] = v
        pending[pending.length - 2] = p0
        pending[pending.length - 1] = p1
      }
    }
    if (pending.length > 0) continue
    const mates: Int32Array[] = []
    for (let c = 0; c < colours; c++) {
      const mate = new Int32Array(n)
      for (let v = 0; v < n; v++) mate[v] = at[v * colours + c]!
      mates.push(mate)
    }
    return mates
  }
  return null
}

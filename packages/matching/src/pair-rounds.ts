// Pairs (k = 2) late in a cycle: when few new partners are left, random swaps stall, so the round is taken as
// a perfect matching of the "not met yet" graph, and near the end of the cycle one is chosen whose remainder
// can still be split into repeat-free rounds, so the cycle reaches its full length: the whole remainder split
// into rounds at once where everyone has the same number of new partners left (`edge-colouring.ts`), else a
// small randomised lookahead.
import { maximumMatching } from './blossom.ts'
import type { CostModel } from './cost-model.ts'
import { splitIntoMatchings } from './edge-colouring.ts'
import type { Random } from './random.ts'

/** At or below this many new partners left per person, look ahead to the end of the cycle. */
export const LOOKAHEAD_DEGREE = 5
const CANDIDATES = 12
const TRIES_PER_LEVEL = 4
const TRIO_TRIES = 60

type Graph = number[][]

/** Local graph over `people`: an edge for every pair that may meet without a repeat or a blocked pair. */
export function newPartnerGraph(model: CostModel, people: readonly number[]): Graph {
  const graph: Graph = people.map(() => [])
  for (let x = 0; x < people.length; x++) {
    const p = people[x]!
    for (let y = x + 1; y < people.length; y++) {
      const q = people[y]!
      if (model.isBlocked(p, q) || model.hasMet(p, q)) continue
      graph[x]!.push(y)
      graph[y]!.push(x)
    }
  }
  return graph
}

export function minDegree(graph: Graph): number {
  let min = Number.POSITIVE_INFINITY
  for (const list of graph) min = Math.min(min, list.length)
  return min
}

function shuffled(graph: Graph, random: Random): Graph {
  return graph.map((list) => random.shuffle(list))
}

function perfectMatching(graph: Graph, random: Random): Int32Array | null {
  const mate = maximumMatching(shuffled(graph, random))
  for (let v = 0; v < mate.length; v++) if (mate[v] === -1) return null
  return mate
}

function without(graph: Graph, mate: Int32Array): Graph {
  return graph.map((list, v) => list.filter((u) => mate[v] !== u))
}

/** Whether `graph` can still be split into `rounds` perfect matchings (randomised, bounded search). */
function canContinue(graph: Graph, rounds: number, random: Random): boolean {
  if (rounds <= 0) return true
  for (let attempt = 0; attempt < TRIES_PER_LEVEL; attempt++) {
    const mate = perfectMatching(graph, random)
    if (!mate) return false
    if (canContinue(without(graph, mate), rounds - 1, random)) return true
  }
  return false
}

function pairsOf(mate: Int32Array, people: readonly number[]): number[][] {
  const pairs: number[][] = []
  for (let v = 0; v < mate.length; v++) if (v < mate[v]!) pairs.push([people[v]!, people[mate[v]!]!])
  return pairs
}

function preferenceCostOf(model: CostModel, groups: number[][]): number {
  let cost = 0
  for (const group of groups) {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) cost += model.preferenceCost(group[x]!, group[y]!)
    }
  }
  return cost
}

/** A repeat-free pairing of an even number of people, or null when none exists. */
function pairEven(
  model: CostModel,
  people: readonly number[],
  graph: Graph,
  random: Random,
): number[][] | null {
  const degree = minDegree(graph)
  const roundsLeft = degree <= LOOKAHEAD_DEGREE ? degree - 1 : 0
  if (roundsLeft > 0) {
    // Everyone has the same few new partners left (a stable roster): split them all into rounds at once and
    // take the round that suits preferences best; the others remain possible after it.
    const split = splitIntoMatchings(graph, degree, random)
    if (split) {
      return split
        .map((mate) => pairsOf(mate, people))
        .reduce((best, option) =>
          preferenceCostOf(model, option) < preferenceCostOf(model, best) ? option : best,
        )
    }
  }
  const options: number[][][] = []
  let fallback: number[][] | null = null
  for (let attempt = 0; attempt < (roundsLeft > 0 ? CANDIDATES : 1); attempt++) {
    const mate = perfectMatching(graph, random)
    if (!mate) return null
    const pairs = pairsOf(mate, people)
    fallback ??= pairs
    if (roundsLeft === 0 || canContinue(without(graph, mate), roundsLeft, random)) {
      options.push(pairs)
      if (options.length >= 3) break
    }
  }
  if (options.length === 0) return fallback
  return options.reduce((best, option) =>
    preferenceCostOf(model, option) < preferenceCostOf(model, best) ? option : best,
  )
}

/**
 * Repeat-free pairs for `people` (and one trio when their number is odd), or null when the search finds none.
 */
export function planPairRound(
  model: CostModel,
  people: readonly number[],
  random: Random,
): number[][] | null {
  const graph = newPartnerGraph(model, people)
  if (people.length % 2 === 0) return pairEven(model, people, graph, random)
  const adjacent = graph.map((list) => new Set(list))
  for (let attempt = 0; attempt < TRIO_TRIES; attempt++) {
    const u = random.int(people.length)
    const neighbours = graph[u]!
    if (neighbours.length < 2) continue
    const a = neighbours[random.int(neighbours.length)]!
    const b = neighbours[random.int(neighbours.length)]!
    if (a === b || !adjacent[a]!.has(b)) continue
    const trio = new Set([u, a, b])
    const rest = people.filter((_, x) => !trio.has(x))
    const pairs = pairEven(model, rest, newPartnerGraph(model, rest), random)
    if (pairs) return [...pairs, [people[u]!, people[a]!, people[b]!]]
  }
  return null
}

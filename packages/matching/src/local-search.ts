// Local search over swaps. First the conflicts (repeats, blocked pairs) with a min-conflicts walk and a short
// tabu memory; then preferences, taking only swaps that lower the cost, so a preference is never bought
// with a repeat.
import { BLOCKED } from './cost-model.ts'
import { Grouping } from './grouping.ts'
import type { Random } from './random.ts'

/** Below this many people every other person is a candidate; above it, a random sample. */
const FULL_SCAN_LIMIT = 400
const SAMPLE_SIZE = 48
const NOISE = 0.05

function candidates(state: Grouping, p: number, random: Random, out: number[]): number[] {
  out.length = 0
  const n = state.model.n
  const own = state.groupOf[p]
  if (n <= FULL_SCAN_LIMIT) {
    for (let q = 0; q < n; q++) if (state.groupOf[q] !== own && state.groupOf[q] !== -1) out.push(q)
    return out
  }
  for (let s = 0; s < SAMPLE_SIZE; s++) {
    const q = random.int(n)
    if (state.groupOf[q] !== own && state.groupOf[q] !== -1) out.push(q)
  }
  return out
}

/** Drives out repeats and blocked pairs; returns the best state seen (it may still hold some). */
export function repairConflicts(state: Grouping, random: Random, maxSteps: number): Grouping {
  if (state.conflicted.length === 0) return state
  let best = state.snapshot()
  let bestTotal = state.total
  const lastMoved = new Int32Array(state.model.n).fill(-1_000_000)
  const pool: number[] = []
  const involved: number[] = []
  let sinceImprovement = 0
  for (let step = 0; step < maxSteps && state.conflicted.length > 0; step++) {
    const group = state.members[state.conflicted[random.int(state.conflicted.length)]!]!
    involved.length = 0
    for (const person of group) if (state.conflictsOf(person) > 0) involved.push(person)
    const p = involved[random.int(involved.length)]!
    const options = candidates(state, p, random, pool)
    if (options.length === 0) break
    let chosen = -1
    if (random.next() < NOISE) {
      const q = options[random.int(options.length)]!
      if (state.swapDelta(p, q) < BLOCKED / 2) chosen = q
    } else {
      const tenure = 7 + random.int(10)
      let bestDelta = Number.POSITIVE_INFINITY
      let ties = 0
      for (const q of options) {
        const delta = state.swapDelta(p, q)
        const tabu = step - lastMoved[q]! < tenure && state.total + delta >= bestTotal
        if (tabu) continue
        if (delta < bestDelta - 1e-9) {
          bestDelta = delta
          chosen = q
          ties = 1
        } else if (Math.abs(delta - bestDelta) <= 1e-9 && random.int(++ties) === 0) {
          chosen = q
        }
      }
      if (bestDelta >= BLOCKED / 2) chosen = -1
    }
    if (chosen === -1) continue
    state.swap(p, chosen)
    lastMoved[p] = step
    lastMoved[chosen] = step
    if (state.total < bestTotal - 1e-6) {
      bestTotal = state.total
      best = state.snapshot()
      sinceImprovement = 0
    } else if (++sinceImprovement > maxSteps / 4 && state.total >= bestTotal) {
      break
    }
  }
  return state.total <= bestTotal + 1e-6 ? state : new Grouping(state.model, best)
}

/** Improves preferences with strictly improving swaps only; never adds a repeat or a blocked pair. */
export function improvePreferences(state: Grouping, random: Random, attempts: number): void {
  const groups = state.members.length
  if (groups < 2) return
  for (let attempt = 0; attempt < attempts; attempt++) {
    const a = random.int(groups)
    if (state.cost[a]! <= 0) continue
    const groupA = state.members[a]!
    const p = groupA[random.int(groupA.length)]!
    let b = random.int(groups - 1)
    if (b >= a) b++
    const groupB = state.members[b]!
    const q = groupB[random.int(groupB.length)]!
    const delta = state.swapDelta(p, q)
    if (delta < -1e-9) state.swap(p, q)
  }
}

// Local search over swaps. First the conflicts (repeats, blocked pairs) with a min-conflicts walk and a short
// tabu memory; then preferences, taking only swaps that lower the cost, so a preference is never bought
// with a repeat.
import { BLOCKED, REPEAT } from './cost-model.ts'
import type { Grouping } from './grouping.ts'
import type { Random } from './random.ts'
import { temporary } from './scratch.ts'

/** Below this many people every other person is a candidate; above it, a random sample. */
const FULL_SCAN_LIMIT = 400
const SAMPLE_SIZE = 48
const NOISE = 0.05
const ATTEMPTS_PER_OPEN_GROUP = 200

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
  let bestTotal = state.total
  // The swaps made since the best state: undone at the end if the walk did not come back to it. (A snapshot at
  // every improvement would copy all groups, which at 100,000 people costs more than the walk.)
  const sinceBest: number[] = []
  const lastMoved = temporary.int32('repair.lastMoved', state.model.n).fill(-1_000_000)
  const pool: number[] = []
  const involved: number[] = []
  let sinceImprovement = 0
  for (let step = 0; step < maxSteps && state.conflicted.length > 0; step++) {
    state.conflictedMembers(state.conflicted[random.int(state.conflicted.length)]!, involved)
    const p = involved[random.int(involved.length)]!
    const options = candidates(state, p, random, pool)
    if (options.length === 0) break
    const sampled = state.model.n > FULL_SCAN_LIMIT
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
        // Sampled (large rounds): the first swap that removes a conflict will do; the sample is random anyway.
        if (sampled && bestDelta <= -REPEAT / 2) break
      }
      if (bestDelta >= BLOCKED / 2) chosen = -1
    }
    if (chosen === -1) continue
    state.swap(p, chosen)
    sinceBest.push(p, chosen)
    lastMoved[p] = step
    lastMoved[chosen] = step
    if (state.total < bestTotal - 1e-6) {
      bestTotal = state.total
      sinceBest.length = 0
      sinceImprovement = 0
    } else if (++sinceImprovement > maxSteps / 4 && state.total >= bestTotal) {
      break
    }
  }
  if (state.total > bestTotal + 1e-6) {
    // A swap is its own inverse: undo them in reverse order.
    for (let at = sinceBest.length - 2; at >= 0; at -= 2) state.swap(sinceBest[at]!, sinceBest[at + 1]!)
  }
  return state
}

/**
 * Improves preferences with strictly improving swaps only; never adds a repeat or a blocked pair. Each attempt
 * starts from a group that still has a preference cost, so the work follows what is left to improve.
 */
export function improvePreferences(state: Grouping, random: Random, attempts: number): void {
  const groups = state.members.length
  if (groups < 2) return
  let open: number[] = []
  for (let g = 0; g < groups; g++) if (state.cost[g]! > 0) open.push(g)
  // Up to ATTEMPTS_PER_OPEN_GROUP tries per group with a cost, refreshed as groups reach cost 0.
  let budget = Math.min(attempts, ATTEMPTS_PER_OPEN_GROUP * open.length)
  for (let attempt = 0; attempt < budget && open.length > 0; attempt++) {
    if (attempt > 0 && attempt % (4 * groups) === 0) {
      open = open.filter((g) => state.cost[g]! > 0)
      budget = Math.min(budget, attempt + ATTEMPTS_PER_OPEN_GROUP * open.length)
      if (open.length === 0) break
    }
    const a = open[random.int(open.length)]!
    if (state.cost[a]! <= 0) continue
    const groupA = state.members[a]!
    const p = groupA[random.int(groupA.length)]!
    let b = random.int(groups - 1)
    if (b >= a) b++
    const groupB = state.members[b]!
    const q = groupB[random.int(groupB.length)]!
    // Without conflicts, preferences alone say whether a swap can help (see Grouping.preferenceDelta).
    if (state.conflicted.length === 0 && state.preferenceDelta(p, q) >= -1e-9) continue
    if (state.swapDelta(p, q) < -1e-9) state.swap(p, q)
  }
}

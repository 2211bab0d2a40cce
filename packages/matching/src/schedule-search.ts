// Groups of 3 or more: planning one round at a time paints itself into a corner after a few rounds (the
// social golfer problem). So the rest of the cycle is planned as a whole with a tabu search over swaps
// (after Dotú & Van Hentenryck, "Scheduling social golfers locally"), and only its first round is used; the
// next round plans again from the new history. Preferences weigh in as a tie-breaker far below any repeat.
import type { CostModel } from './cost-model.ts'
import type { Random } from './random.ts'

/** Above this many people planning ahead is too costly per step; rounds are formed one at a time. */
export const SCHEDULE_LIMIT = 400
export const MAX_HORIZON = 24
const PREFERENCE_WEIGHT = 1e-3
const BLOCKED_WEIGHT = 1_000
const SAMPLED_CONFLICTS = 8
const TABU_TENURE = 10
/**
 * What one round may spend on planning at effort 1, in swap evaluations (0.3–0.7 µs each on a 2-core machine),
 * a third of it on plans that honor every preference and the rest on the plan. Rosters whose plan keeps a
 * conflict (uneven groups, strong preferences) otherwise searched every attempt to its step limit: up to 118
 * million evaluations (40–70 s) a round at 50 people in fours. The uneven (31,4) cycle plans with 37.5 million
 * once and then follows its plan: the bound leaves it that.
 */
export const ROUND_EVALUATIONS = 60_000_000

/** Swap evaluations a round has left for planning; shared by every plan it tries. */
export interface PlanBudget {
  left: number
}

export interface PlannedRound {
  groups: number[][]
  /** Pairs in this round that met before or are blocked. */
  conflicts: number
  /** Pairs in this round that met before, are blocked, or meet again in another planned round. */
  clashes: number
}

/**
 * How many more repeat-free rounds the history leaves room for at most (stable roster); with `strict`, rounds
 * that also honor every preference.
 */
export function roundsLeft(
  model: CostModel,
  people: readonly number[],
  k: number,
  present: Uint8Array,
  strict = false,
): number {
  let fewest = people.length - 1
  for (const p of people) {
    let taken = 0
    if (strict) {
      for (const q of people) if (q !== p && (model.hasMet(p, q) || model.preferenceCost(p, q) > 0)) taken++
    } else {
      model.forEachPartner(p, (q) => {
        if (present[q]) taken++
      })
    }
    fewest = Math.min(fewest, people.length - 1 - taken)
  }
  return Math.floor(fewest / (k - 1))
}

export function planRounds(
  model: CostModel,
  people: readonly number[],
  sizes: readonly number[],
  horizon: number,
  random: Random,
  maxSteps: number,
  /** Rounds to start from (a previous plan), in person indices; a round that no longer fits is formed anew. */
  start: readonly (readonly (readonly number[])[])[] = [],
  /** Treat every pair with a preference cost as if they had met: look for a plan that honors all preferences. */
  strict = false,
  /** Stops when this runs out (deterministic: counted in evaluations, not time). */
  budget: PlanBudget = { left: Number.POSITIVE_INFINITY },
): { rounds: PlannedRound[]; conflicts: number } {
  const m = people.length
  const h = Math.max(1, horizon)
  const groupsPerRound = sizes.length
  // Scratch state for at most SCHEDULE_LIMIT people: the dense m×m arrays stay under 1 MB together.
  const history = new Uint8Array(m * m) // 1 met before, 2 blocked
  const preference = new Float32Array(m * m)
  const count = new Uint8Array(m * m)
  for (let x = 0; x < m; x++) {
    for (let y = x + 1; y < m; y++) {
      const p = people[x]!
      const q = people[y]!
      const key = x * m + y
      const cost = model.preferenceCost(p, q)
      history[key] = model.blocked[p]?.has(q) ? 2 : model.hasMet(p, q) || (strict && cost > 0) ? 1 : 0
      preference[key] = cost * PREFERENCE_WEIGHT
    }
  }
  const keyOf = (x: number, y: number) => (x < y ? x * m + y : y * m + x)
  const pairCost = (c: number, past: number) => (past === 2 ? BLOCKED_WEIGHT * c : Math.max(0, c + past - 1))
  const isConflict = (c: number, past: number) => c >= 1 && (past === 2 || c + past >= 2)

  // groupOf[r * m + x] → group index within round r; members[r * groupsPerRound + g] → local indices.
  const groupOf = new Int32Array(h * m)
  const members: number[][] = []
  const conflicting: number[] = []
  const conflictingAt = new Int32Array(m * m).fill(-1)
  let conflicts = 0
  let preferenceTotal = 0

  const changePair = (x: number, y: number, delta: number) => {
    const key = keyOf(x, y)
    const past = history[key]!
    const before = count[key]!
    const after = before + delta
    count[key] = after
    conflicts += pairCost(after, past) - pairCost(before, past)
    preferenceTotal += delta * preference[key]!
    const wasConflict = isConflict(before, past)
    const nowConflict = isConflict(after, past)
    if (nowConflict && !wasConflict) {
      conflictingAt[key] = conflicting.length
      conflicting.push(key)
    } else if (wasConflict && !nowConflict) {
      const at = conflictingAt[key]!
      const last = conflicting.pop()!
      if (last !== key) {
        conflicting[at] = last
        conflictingAt[last] = at
      }
      conflictingAt[key] = -1
    }
  }

  const localOf = new Map(people.map((p, x) => [p, x]))
  const sortedSizes = [...sizes].sort((a, b) => a - b).join()
  const fits = (round: readonly (readonly number[])[]) =>
    round.length === groupsPerRound &&
    round
      .map((group) => group.length)
      .sort((a, b) => a - b)
      .join() === sortedSizes &&
    new Set(round.flat().filter((p) => localOf.has(p))).size === m
  const addGroup = (r: number, g: number, group: number[]) => {
    members.push(group)
    for (const x of group) groupOf[r * m + x] = g
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) changePair(group[i]!, group[j]!, 1)
    }
  }

  // Warm start from the previous plan where it still fits; else a greedy start: each group takes, slot by slot,
  // whoever adds the fewest conflicts so far.
  const local = Array.from({ length: m }, (_, x) => x)
  for (let r = 0; r < h; r++) {
    const previous = start[r]
    if (previous && fits(previous)) {
      // Sizes may sit in another order than `sizes`: keep the group order of `sizes` so swaps keep sizes.
      const pool = previous.map((group) => group.map((p) => localOf.get(p)!))
      for (let g = 0; g < groupsPerRound; g++) {
        const at = pool.findIndex((group) => group.length === sizes[g])
        addGroup(r, g, pool.splice(at, 1)[0]!)
      }
      continue
    }
    const remaining = random.shuffle(local)
    for (let g = 0; g < groupsPerRound; g++) {
      const group: number[] = [remaining.pop()!]
      while (group.length < sizes[g]!) {
        let pick = 0
        let pickCost = Number.POSITIVE_INFINITY
        for (let i = 0; i < remaining.length; i++) {
          const y = remaining[i]!
          let cost = 0
          for (const x of group) {
            const key = keyOf(x, y)
            cost += pairCost(count[key]! + 1, history[key]!) - pairCost(count[key]!, history[key]!)
          }
          if (cost < pickCost) {
            pickCost = cost
            pick = i
            if (cost === 0) break
          }
        }
        group.push(remaining[pick]!)
        remaining[pick] = remaining[remaining.length - 1]!
        remaining.pop()
      }
      addGroup(r, g, group)
    }
  }

  /** Cost change when `from` leaves y's group and `to` joins it: pair (from, y) loses a meeting, (to, y) gains one. */
  const replaceDelta = (from: number, to: number, y: number): number => {
    const leave = keyOf(from, y)
    const join = keyOf(to, y)
    const cLeave = count[leave]!
    const cJoin = count[join]!
    return (
      pairCost(cLeave - 1, history[leave]!) -
      pairCost(cLeave, history[leave]!) +
      pairCost(cJoin + 1, history[join]!) -
      pairCost(cJoin, history[join]!) +
      preference[join]! -
      preference[leave]!
    )
  }

  const swapDelta = (r: number, x: number, z: number): number => {
    const a = members[r * groupsPerRound + groupOf[r * m + x]!]!
    const b = members[r * groupsPerRound + groupOf[r * m + z]!]!
    let delta = 0
    for (const y of a) if (y !== x) delta += replaceDelta(x, z, y)
    for (const y of b) if (y !== z) delta += replaceDelta(z, x, y)
    return delta
  }

  const swap = (r: number, x: number, z: number) => {
    const ga = groupOf[r * m + x]!
    const gb = groupOf[r * m + z]!
    const a = members[r * groupsPerRound + ga]!
    const b = members[r * groupsPerRound + gb]!
    for (const y of a) if (y !== x) changePair(x, y, -1)
    for (const y of b) if (y !== z) changePair(z, y, -1)
    a[a.indexOf(x)] = z
    b[b.indexOf(z)] = x
    groupOf[r * m + x] = gb
    groupOf[r * m + z] = ga
    for (const y of a) if (y !== z) changePair(z, y, 1)
    for (const y of b) if (y !== x) changePair(x, y, 1)
  }

  const score = () => conflicts + preferenceTotal
  let best = members.map((group) => [...group])
  let bestScore = score()
  let bestConflicts = conflicts
  const tabuUntil = new Map<number, number>()
  const swapKey = (r: number, x: number, z: number) => (r * m + Math.min(x, z)) * m + Math.max(x, z)
  let sinceImprovement = 0
  let lastBest = 0
  let settledAt = conflicts === 0 ? 0 : -1
  const together: number[] = []

  for (let step = 1; step <= maxSteps; step++) {
    if (step % 4096 === 0) for (const [key, until] of tabuUntil) if (until <= step) tabuUntil.delete(key)
    // No better plan for half of the budget: more of the same search will not find one.
    if (step - lastBest > maxSteps / 2 || budget.left <= 0) break
    if (conflicts === 0) {
      if (settledAt === -1) settledAt = step
      if (preferenceTotal <= 1e-9 || step - settledAt > maxSteps / 8) break
    }
    // Candidate positions: both people of a few conflicting pairs, in a round where they are together.
    const positions: number[] = []
    if (conflicting.length > 0) {
      for (let sample = 0; sample < SAMPLED_CONFLICTS; sample++) {
        const key = conflicting[random.int(conflicting.length)]!
        const x = Math.floor(key / m)
        const y = key % m
        together.length = 0
        for (let round = 0; round < h; round++)
          if (groupOf[round * m + x] === groupOf[round * m + y]) together.push(round)
        const r = together[random.int(together.length)]!
        positions.push(r * m + x, r * m + y)
      }
    } else {
      // No conflict left: improve preferences around a random person.
      positions.push(random.int(h) * m + random.int(m))
    }
    let bestDelta = Number.POSITIVE_INFINITY
    let chosenX = -1
    let chosenZ = -1
    let ties = 0
    let chosenR = -1
    budget.left -= positions.length * m
    for (const position of positions) {
      const r = Math.floor(position / m)
      const x = position % m
      const own = groupOf[r * m + x]
      for (let z = 0; z < m; z++) {
        if (groupOf[r * m + z] === own) continue
        const delta = swapDelta(r, x, z)
        const tabu = (tabuUntil.get(swapKey(r, x, z)) ?? 0) > step
        if (tabu && score() + delta >= bestScore - 1e-9) continue
        if (delta < bestDelta - 1e-9) {
          bestDelta = delta
          chosenR = r
          chosenX = x
          chosenZ = z
          ties = 1
        } else if (Math.abs(delta - bestDelta) <= 1e-9 && random.int(++ties) === 0) {
          chosenR = r
          chosenX = x
          chosenZ = z
        }
      }
    }
    if (chosenX === -1 || (conflicting.length === 0 && bestDelta >= 0)) continue
    swap(chosenR, chosenX, chosenZ)
    tabuUntil.set(swapKey(chosenR, chosenX, chosenZ), step + TABU_TENURE + random.int(TABU_TENURE))
    if (score() < bestScore - 1e-9) {
      bestScore = score()
      bestConflicts = conflicts
      best = members.map((group) => [...group])
      sinceImprovement = 0
      lastBest = step
    } else if (++sinceImprovement > 400 + 20 * m) {
      // Stuck: shake a few random rounds, then keep searching from there.
      for (let kick = 0; kick < 2 + random.int(3); kick++) {
        const round = random.int(h)
        const x = random.int(m)
        const z = random.int(m)
        if (groupOf[round * m + x] !== groupOf[round * m + z]) swap(round, x, z)
      }
      sinceImprovement = 0
    }
  }

  // Final counts of the best plan, to tell which rounds clash.
  count.fill(0)
  for (const group of best) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) count[keyOf(group[i]!, group[j]!)]! += 1
    }
  }
  const rounds: PlannedRound[] = []
  for (let r = 0; r < h; r++) {
    const groups = best.slice(r * groupsPerRound, (r + 1) * groupsPerRound)
    let roundConflicts = 0
    let clashes = 0
    for (const group of groups) {
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          const key = keyOf(group[i]!, group[j]!)
          if (history[key]! > 0) roundConflicts++
          if (history[key]! > 0 || count[key]! > 1) clashes++
        }
      }
    }
    rounds.push({
      groups: groups.map((group) => group.map((x) => people[x]!)),
      conflicts: roundConflicts,
      clashes,
    })
  }
  return { rounds, conflicts: bestConflicts }
}

// The price of putting two people together. Three tiers that never trade against each other within one move:
// a blocked pair (never), a repeat (only when no repeat-free round exists; recent repeats cost more), and
// preferences (other department, same location, shared working hours).
import type { PairHistory } from './pair-history.ts'
import type { MatchParticipant } from './types.ts'

export const BLOCKED = 1e12
export const REPEAT = 1e6
/** Per unit of decayed meeting weight; a move changes at most ~24 pairs, so weight never outweighs a repeat. */
export const REPEAT_WEIGHT = 1e3
const MAX_WEIGHT = 10

const DEPARTMENT_COST = 2
const LOCATION_COST = 1.5
const OVERLAP_COST_PER_HOUR = 1
const MAX_OVERLAP_COST = 4

export interface CostModel {
  readonly n: number
  /** The participant index of an id, or −1 when they do not take part. */
  indexOf(id: string): number
  /** Whether participants i and j met before (a meeting reported as not having happened does not count). */
  hasMet(i: number, j: number): boolean
  /** Calls `visit` once for each participant of this round whom i met before. */
  forEachPartner(i: number, visit: (j: number) => void): void
  /** Whether either of i and j blocked the other. */
  isBlocked(i: number, j: number): boolean
  /** The participants i blocked or was blocked by (twice where both blocked). */
  blockedOf(i: number): Int32Array
  /** The same as sets, built on first use (the group planner's few hundred people). */
  readonly blocked: (Set<number> | undefined)[]
  readonly department: Int32Array
  readonly location: Int32Array
  readonly windowStart: Float64Array
  readonly windowEnd: Float64Array
  pairCost(i: number, j: number): number
  preferenceCost(i: number, j: number): number
}

function intern(values: (string | undefined)[]): Int32Array {
  const ids = new Map<string, number>()
  const out = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const key = values[i]?.trim().toLowerCase()
    let id = key ? ids.get(key) : -1
    if (id === undefined) {
      id = ids.size
      ids.set(key!, id)
    }
    out[i] = id
  }
  return out
}

/** Minutes two daily windows share, either possibly crossing midnight UTC (b shifted a day either way). */
export function overlapMinutes(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return (
    Math.max(0, Math.min(aEnd, bEnd - 1440) - Math.max(aStart, bStart - 1440)) +
    Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart)) +
    Math.max(0, Math.min(aEnd, bEnd + 1440) - Math.max(aStart, bStart + 1440))
  )
}

export function buildCostModel(
  participants: readonly MatchParticipant[],
  history: PairHistory,
  /** The round's time on the history's week scale. */
  now: number,
  decayWeeks: number,
): CostModel {
  const n = participants.length
  // Participant index ↔ the history's stable integer ids; people without history get ids after the history's.
  // One string lookup per person: at 100,000 people the lookups are a large part of a round.
  const known = history.people
  const newcomers = new Map<string, number>()
  const historyId = new Int32Array(n)
  const participantOf = new Int32Array(known + n).fill(-1)
  const idOf = (id: string): number => {
    const h = history.indexOf(id)
    return h !== -1 ? h : (newcomers.get(id) ?? -1)
  }
  for (let i = 0; i < n; i++) {
    const id = participants[i]!.id
    let h = idOf(id)
    if (h === -1) {
      h = known + newcomers.size
      newcomers.set(id, h)
    }
    if (participantOf[h] !== -1) throw new RangeError(`participants: id '${id}' appears twice`)
    historyId[i] = h
    participantOf[h] = i
  }
  const indexOf = (id: string): number => {
    const h = idOf(id)
    return h === -1 ? -1 : participantOf[h]!
  }
  const metWeight = (i: number, j: number): number => {
    const x = historyId[i]!
    const y = historyId[j]!
    return x >= known || y >= known ? 0 : history.weightAt(x, y, now, decayWeeks)
  }
  // Blocks both ways, per person as slices of one array (offsets in blockedStart): no object per person.
  const blockedCount = new Int32Array(n + 1)
  const blockPairs: number[] = []
  for (let i = 0; i < n; i++) {
    const ids = participants[i]!.blockedIds
    if (!ids) continue
    for (const id of ids) {
      const j = indexOf(id)
      if (j === -1 || j === i) continue
      blockPairs.push(i, j)
      blockedCount[i]!++
      blockedCount[j]!++
    }
  }
  const blockedStart = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) blockedStart[i + 1] = blockedStart[i]! + blockedCount[i]!
  const blockedList = new Int32Array(blockedStart[n]!)
  const filled = blockedStart.slice(0, n)
  for (let at = 0; at < blockPairs.length; at += 2) {
    const i = blockPairs[at]!
    const j = blockPairs[at + 1]!
    blockedList[filled[i]!++] = j
    blockedList[filled[j]!++] = i
  }
  const isBlocked = (i: number, j: number): boolean => {
    for (let at = blockedStart[i]!, end = blockedStart[i + 1]!; at < end; at++)
      if (blockedList[at] === j) return true
    return false
  }
  let blockedSets: (Set<number> | undefined)[] | undefined
  const department = intern(participants.map((p) => p.department))
  const location = intern(participants.map((p) => p.location))
  // Plain loops: TypedArray.from with a mapping function is slow on large inputs.
  const prefersOtherDepartments = new Uint8Array(n)
  const prefersSameLocation = new Uint8Array(n)
  const minOverlap = new Float64Array(n)
  const windowStart = new Float64Array(n)
  const windowEnd = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const p = participants[i]!
    prefersOtherDepartments[i] = p.preferOtherDepartments === false ? 0 : 1
    prefersSameLocation[i] = p.locationPreference === 'same' ? 1 : 0
    minOverlap[i] = Math.max(0, p.minOverlapHours ?? 0) * 60
    windowStart[i] = p.workingWindowUtc?.start ?? Number.NaN
    windowEnd[i] = p.workingWindowUtc?.end ?? Number.NaN
  }

  const preferenceCost = (i: number, j: number): number => {
    let cost = 0
    if (department[i] !== -1 && department[i] === department[j]) {
      cost += DEPARTMENT_COST * (prefersOtherDepartments[i]! + prefersOtherDepartments[j]!)
    }
    if (location[i] !== -1 && location[j] !== -1 && location[i] !== location[j]) {
      cost += LOCATION_COST * (prefersSameLocation[i]! + prefersSameLocation[j]!)
    }
    const wanted = Math.max(minOverlap[i]!, minOverlap[j]!)
    if (wanted > 0 && !Number.isNaN(windowStart[i]!) && !Number.isNaN(windowStart[j]!)) {
      const shared = overlapMinutes(windowStart[i]!, windowEnd[i]!, windowStart[j]!, windowEnd[j]!)
      if (shared < wanted)
        cost += Math.min(MAX_OVERLAP_COST, ((wanted - shared) / 60) * OVERLAP_COST_PER_HOUR)
    }
    return cost
  }

  return {
    n,
    indexOf,
    hasMet(i, j) {
      const x = historyId[i]!
      const y = historyId[j]!
      return x < known && y < known && history.metAt(x, y)
    },
    forEachPartner(i, visit) {
      const x = historyId[i]!
      if (x >= known) return
      history.forEachPartner(x, (y) => {
        const j = participantOf[y]!
        if (j !== -1) visit(j)
      })
    },
    isBlocked,
    blockedOf: (i) => blockedList.subarray(blockedStart[i]!, blockedStart[i + 1]!),
    get blocked() {
      blockedSets ??= Array.from({ length: n }, (_, i) =>
        blockedStart[i + 1]! > blockedStart[i]!
          ? new Set(blockedList.subarray(blockedStart[i]!, blockedStart[i + 1]!))
          : undefined,
      )
      return blockedSets
    },
    department,
    location,
    windowStart,
    windowEnd,
    preferenceCost,
    pairCost(i, j) {
      if (isBlocked(i, j)) return BLOCKED
      const weight = metWeight(i, j)
      const repeat = weight === 0 ? 0 : REPEAT + REPEAT_WEIGHT * Math.min(weight, MAX_WEIGHT)
      return repeat + preferenceCost(i, j)
    },
  }
}

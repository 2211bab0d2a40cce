// The short human reason each group gets: "first meeting; different departments; 3 h of shared working hours".
import { type CostModel, overlapMinutes } from './cost-model.ts'

function sharedWindowMinutes(model: CostModel, group: readonly number[]): number | null {
  let start = Number.NEGATIVE_INFINITY
  let end = Number.POSITIVE_INFINITY
  const first = group[0]!
  if (Number.isNaN(model.windowStart[first]!)) return null
  // Align every window to the first one's day, then intersect.
  for (const person of group) {
    let s = model.windowStart[person]!
    let e = model.windowEnd[person]!
    if (Number.isNaN(s)) return null
    let bestShift = 0
    let bestOverlap = -1
    for (let shift = -1440; shift <= 1440; shift += 1440) {
      const o = overlapMinutes(model.windowStart[first]!, model.windowEnd[first]!, s + shift, e + shift)
      if (o > bestOverlap) {
        bestOverlap = o
        bestShift = shift
      }
    }
    s += bestShift
    e += bestShift
    start = Math.max(start, s)
    end = Math.min(end, e)
  }
  return Math.max(0, end - start)
}

function hours(minutes: number): string {
  const rounded = Math.round((minutes / 60) * 2) / 2
  return `${rounded} h`
}

/** Distinct values among the group's, or 0 when someone's is unknown (−1). */
function distinct(values: Int32Array, group: readonly number[]): number {
  let count = 0
  for (let x = 0; x < group.length; x++) {
    const value = values[group[x]!]!
    if (value === -1) return 0
    let seen = false
    for (let y = 0; y < x && !seen; y++) seen = values[group[y]!] === value
    if (!seen) count++
  }
  return count
}

export function describeGroup(
  model: CostModel,
  group: readonly number[],
  /** false when the group's cost already shows no repeat: its pairs are not looked up again. */
  mayRepeat = true,
): { reason: string; repeatedPairs: number } {
  let repeatedPairs = 0
  const pairs = (group.length * (group.length - 1)) / 2
  if (mayRepeat) {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) if (model.hasMet(group[x]!, group[y]!)) repeatedPairs++
    }
  }
  const parts: string[] = []
  if (repeatedPairs === 0) parts.push(group.length === 2 ? 'first meeting' : 'nobody here has met before')
  else parts.push(`${repeatedPairs} of ${pairs} pairs met before (no new pairing was possible this round)`)

  const departments = distinct(model.department, group)
  if (departments === group.length) parts.push('different departments')
  else if (departments === 1) parts.push('same department')
  else if (departments > 1) parts.push(`${departments} departments`)
  const locations = distinct(model.location, group)
  if (locations === 1) parts.push('same location')
  else if (locations > 1) parts.push(`${locations} locations`)
  const shared = sharedWindowMinutes(model, group)
  if (shared !== null)
    parts.push(shared > 0 ? `${hours(shared)} of shared working hours` : 'no shared working hours')
  return { reason: parts.join('; '), repeatedPairs }
}

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
    for (const shift of [-1440, 0, 1440]) {
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

export function describeGroup(
  model: CostModel,
  group: readonly number[],
): { reason: string; repeatedPairs: number } {
  let repeatedPairs = 0
  let pairs = 0
  for (let x = 0; x < group.length; x++) {
    for (let y = x + 1; y < group.length; y++) {
      pairs++
      if (model.hasMet(group[x]!, group[y]!)) repeatedPairs++
    }
  }
  const parts: string[] = []
  if (repeatedPairs === 0) parts.push(group.length === 2 ? 'first meeting' : 'nobody here has met before')
  else parts.push(`${repeatedPairs} of ${pairs} pairs met before (no new pairing was possible this round)`)

  const departments = group.map((p) => model.department[p]!)
  if (departments.every((d) => d !== -1)) {
    const distinct = new Set(departments).size
    if (distinct === group.length) parts.push('different departments')
    else if (distinct === 1) parts.push('same department')
    else parts.push(`${distinct} departments`)
  }
  const locations = group.map((p) => model.location[p]!)
  if (locations.every((l) => l !== -1)) {
    const distinct = new Set(locations).size
    parts.push(distinct === 1 ? 'same location' : `${distinct} locations`)
  }
  const shared = sharedWindowMinutes(model, group)
  if (shared !== null)
    parts.push(shared > 0 ? `${hours(shared)} of shared working hours` : 'no shared working hours')
  return { reason: parts.join('; '), repeatedPairs }
}

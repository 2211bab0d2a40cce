// The short human reason each group gets: "first meeting; different departments; 3 h of shared working hours".
import type { CostModel } from './cost-model.ts'

const traits = new Float64Array(3)

function hours(minutes: number): string {
  const rounded = Math.round((minutes / 60) * 2) / 2
  return `${rounded} h`
}

/**
 * Reasons built so far in a round, by what they say: most groups of a large round share a handful of them, so
 * each is built once (and the round's groups share the string).
 */
export type ReasonCache = Map<number, string>

export function describeGroup(
  model: CostModel,
  group: readonly number[],
  /** false when the group's cost already shows no repeat: its pairs are not looked up again. */
  mayRepeat = true,
  cache?: ReasonCache,
): { reason: string; repeatedPairs: number } {
  let repeatedPairs = 0
  if (mayRepeat) {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) if (model.hasMet(group[x]!, group[y]!)) repeatedPairs++
    }
  }
  model.describePeople(group, traits)
  const departments = traits[0]!
  const locations = traits[1]!
  const shared = traits[2] === -1 ? null : traits[2]!
  const halfHours = shared === null ? -2 : shared === 0 ? -1 : Math.round((shared / 60) * 2)
  // Everything the sentence depends on, as one number (sizes, counts and half hours are small).
  const key =
    (((repeatedPairs * 16 + group.length) * 16 + departments) * 16 + locations) * 8192 + halfHours + 2
  const cached = halfHours < 8190 && group.length < 16 ? cache?.get(key) : undefined
  if (cached !== undefined) return { reason: cached, repeatedPairs }

  const pairs = (group.length * (group.length - 1)) / 2
  const parts: string[] = []
  if (repeatedPairs === 0) parts.push(group.length === 2 ? 'first meeting' : 'nobody here has met before')
  else parts.push(`${repeatedPairs} of ${pairs} pairs met before (no new pairing was possible this round)`)

  if (departments === group.length) parts.push('different departments')
  else if (departments === 1) parts.push('same department')
  else if (departments > 1) parts.push(`${departments} departments`)
  if (locations === 1) parts.push('same location')
  else if (locations > 1) parts.push(`${locations} locations`)
  if (shared !== null)
    parts.push(shared > 0 ? `${hours(shared)} of shared working hours` : 'no shared working hours')
  const reason = parts.join('; ')
  if (halfHours < 8190 && group.length < 16) cache?.set(key, reason)
  return { reason, repeatedPairs }
}

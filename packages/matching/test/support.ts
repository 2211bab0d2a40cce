import type { MatchGroup } from '../src/types.ts'

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}

export function pairsOf(groups: readonly { memberIds: readonly string[] }[]): string[] {
  const pairs: string[] = []
  for (const { memberIds } of groups) {
    for (let x = 0; x < memberIds.length; x++) {
      for (let y = x + 1; y < memberIds.length; y++) pairs.push(pairKey(memberIds[x]!, memberIds[y]!))
    }
  }
  return pairs
}

/** Every way to split `people` into groups of the given sizes (small inputs only). */
export function* partitions(people: readonly string[], sizes: readonly number[]): Generator<string[][]> {
  if (sizes.length === 0) {
    if (people.length === 0) yield []
    return
  }
  const [size, ...rest] = sizes
  const [first, ...others] = people
  if (first === undefined) return
  // The first person always opens the next group, so each partition comes out once per size order.
  for (const mates of combinations(others, size! - 1)) {
    const remaining = others.filter((p) => !mates.includes(p))
    for (const tail of partitions(remaining, rest)) yield [[first, ...mates], ...tail]
  }
}

function* combinations<T>(items: readonly T[], count: number, start = 0): Generator<T[]> {
  if (count === 0) {
    yield []
    return
  }
  for (let i = start; i <= items.length - count; i++) {
    for (const tail of combinations(items, count - 1, i + 1)) yield [items[i]!, ...tail]
  }
}

export function memberSets(groups: readonly MatchGroup[]): string[][] {
  return groups.map((group) => [...group.memberIds].sort()).sort((a, b) => a.join().localeCompare(b.join()))
}

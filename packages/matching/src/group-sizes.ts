// How many groups of which sizes a round of n people in groups of k forms, per remainder policy.
import type { RemainderPolicy } from './types.ts'

export interface GroupPlan {
  sizes: number[]
  /** How many people sit this round out (only with "leave-out", or when nobody else takes part). */
  leftOut: number
}

function spread(n: number, groups: number): number[] {
  const base = Math.floor(n / groups)
  const larger = n % groups
  return Array.from({ length: groups }, (_, i) => (i < larger ? base + 1 : base))
}

export function planGroupSizes(n: number, k: number, policy: RemainderPolicy = 'larger-groups'): GroupPlan {
  if (!Number.isInteger(k) || k < 2 || k > 6)
    throw new RangeError(`size must be a whole number from 2 to 6, got ${k}`)
  if (n < 2) return { sizes: [], leftOut: n }
  if (n < k) return { sizes: [n], leftOut: 0 }
  const remainder = n % k
  if (remainder === 0) return { sizes: Array.from({ length: n / k }, () => k), leftOut: 0 }
  if (policy === 'leave-out')
    return { sizes: Array.from({ length: Math.floor(n / k) }, () => k), leftOut: remainder }
  if (policy === 'smaller-groups') {
    const sizes = spread(n, Math.ceil(n / k))
    // Never a group of one: where smaller groups would make one, larger groups take the remainder instead.
    if (Math.min(...sizes) >= 2) return { sizes, leftOut: 0 }
  }
  const larger = spread(n, Math.floor(n / k))
  // More remainder than groups would make a group larger than k + 1: smaller groups instead (6 in fours: 3 + 3).
  if (Math.max(...larger) > k + 1) return { sizes: spread(n, Math.ceil(n / k)), leftOut: 0 }
  return { sizes: larger, leftOut: 0 }
}

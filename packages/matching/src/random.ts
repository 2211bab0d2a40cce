// The only source of randomness the matching may use: seeded, so the same seed gives the same groups.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[]
}

export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`)
  }
  const generator = xoroshiro128plus(seed | 0)
  const int = (maxExclusive: number) => {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1) {
      throw new RangeError(`maxExclusive must be a positive integer, got ${maxExclusive}`)
    }
    return uniformInt(generator, 0, maxExclusive - 1)
  }
  return {
    next: () => uniformFloat64(generator),
    int,
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items]
      // (i + 1 is a valid bound: the same draw as int(i + 1) without its checks, once per item of a large roster.)
      for (let i = copy.length - 1; i > 0; i--) {
        const j = uniformInt(generator, 0, i)
        const swapped = copy[i]!
        copy[i] = copy[j]!
        copy[j] = swapped
      }
      return copy
    },
  }
}

// Typed arrays a round needs while it runs, reused by the next round instead of allocated anew. Between two
// collections JavaScriptCore lets garbage grow to about the size of the live heap, so the ~20 MB of fresh arrays
// a 100,000-person round would allocate pile up into hundreds of MB of peak memory over a few rounds; reused,
// they add nothing. The pool is held weakly: a collection frees it, so an idle process keeps nothing.
//
// A key names one use, and its array is valid until the same key is asked for again: `temporary` serves arrays
// a function is done with when it returns (rounds are synchronous, so nothing else asks meanwhile); arrays a
// cost model keeps come from the `Scratch` it was built with (`roundScratch` for createGroups' one model per
// round, `freshArrays` for models that may live side by side). Contents are left as they were: users fill
// what they read.

export interface Scratch {
  int32(key: string, length: number): Int32Array
  float64(key: string, length: number): Float64Array
  uint8(key: string, length: number): Uint8Array
}

type Pool = Map<string, Int32Array | Float64Array | Uint8Array>

let pool: WeakRef<Pool> | undefined

function current(): Pool {
  let map = pool?.deref()
  if (!map) {
    map = new Map()
    pool = new WeakRef(map)
  }
  return map
}

function take<T extends Int32Array | Float64Array | Uint8Array>(
  key: string,
  length: number,
  create: (length: number) => T,
): T {
  const map = current()
  let array = map.get(key) as T | undefined
  if (!array || array.length < length) {
    // A little room, so a roster that grows by a few people does not allocate again.
    array = create(length + (length >> 4))
    map.set(key, array)
  }
  return array.subarray(0, length) as T
}

/** Arrays from the pool, by key. */
export const roundScratch: Scratch = {
  int32: (key, length) => take(`round.${key}`, length, (n) => new Int32Array(n)),
  float64: (key, length) => take(`round.${key}`, length, (n) => new Float64Array(n)),
  uint8: (key, length) => take(`round.${key}`, length, (n) => new Uint8Array(n)),
}

/** New arrays every time. */
export const freshArrays: Scratch = {
  int32: (_, length) => new Int32Array(length),
  float64: (_, length) => new Float64Array(length),
  uint8: (_, length) => new Uint8Array(length),
}

/** Arrays from the pool for use until the caller returns. */
export const temporary: Scratch = {
  int32: (key, length) => take(`temporary.${key}`, length, (n) => new Int32Array(n)),
  float64: (key, length) => take(`temporary.${key}`, length, (n) => new Float64Array(n)),
  uint8: (key, length) => take(`temporary.${key}`, length, (n) => new Uint8Array(n)),
}

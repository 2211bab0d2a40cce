// String ids → dense indices (0, 1, 2 … in the order added), in typed arrays keyed by a 64-bit fingerprint of
// the id: two 32-bit hashes computed in JS. Unlike a Map it keeps no entry objects, a lookup whose fingerprint
// matches nothing touches no string, and a round that fingerprints each participant's id once can use the
// fingerprint for several lookups. Lookups by id are exact (the ids are compared); a lookup by fingerprint
// alone says whether no, one or several ids have it, and the caller confirms.

/** Writes two 32-bit hashes of `id` into `out`: FNV-1a (mixed, as tables index by its low bits), and another. */
export function fingerprintId(id: string, out: Int32Array): void {
  let a = 0x811c9dc5 | 0
  let b = 0x2545f491 | 0
  for (let c = 0; c < id.length; c++) {
    const code = id.charCodeAt(c)
    a = Math.imul(a ^ code, 0x01000193)
    b = Math.imul(b ^ code, 0x5bd1e995)
    b ^= b >>> 13
  }
  a ^= a >>> 15
  a = Math.imul(a, 0x2c1b3c6d)
  a ^= a >>> 12
  out[0] = a
  out[1] = b ^ id.length
}

/** `byFingerprint`: several ids share the fingerprint; look up by id. */
export const SHARED = -2

export class IdTable {
  private readonly names: string[] = []
  /**
   * Open addressing by the first hash's low bits, three numbers a slot: index + 1 (0: empty) and both hashes,
   * so a probe reads one place in memory.
   */
  private slots: Int32Array
  /** 1 where another id has the same fingerprint. */
  private shared: Uint8Array

  constructor(capacity = 8) {
    let size = 16
    while (size < 2 * capacity) size *= 2
    this.slots = new Int32Array(3 * size)
    this.shared = new Uint8Array(size / 2)
  }

  get size(): number {
    return this.names.length
  }

  idOf(index: number): string {
    return this.names[index]!
  }

  /** The index of `id` (whose fingerprint is first, second), or −1. */
  find(id: string, first: number, second: number): number {
    const { slots } = this
    const mask = slots.length / 3 - 1
    for (let at = first & mask; slots[3 * at] !== 0; at = (at + 1) & mask) {
      if (slots[3 * at + 1] === first && slots[3 * at + 2] === second) {
        const index = slots[3 * at]! - 1
        if (this.names[index] === id) return index
      }
    }
    return -1
  }

  /** The one index whose id has this fingerprint (unconfirmed), −1 when none has it, or SHARED. */
  byFingerprint(first: number, second: number): number {
    const { slots } = this
    const mask = slots.length / 3 - 1
    for (let at = first & mask; slots[3 * at] !== 0; at = (at + 1) & mask) {
      if (slots[3 * at + 1] === first && slots[3 * at + 2] === second) {
        const index = slots[3 * at]! - 1
        return this.shared[index] === 1 ? SHARED : index
      }
    }
    return -1
  }

  /** Adds `id` (whose fingerprint is first, second) and returns its index, or returns the index it has. */
  add(id: string, first: number, second: number): number {
    const { slots } = this
    const mask = slots.length / 3 - 1
    // Every id with a fingerprint another id has is marked, so a lookup by fingerprint that meets any knows.
    let shared = 0
    let at = first & mask
    for (; slots[3 * at] !== 0; at = (at + 1) & mask) {
      if (slots[3 * at + 1] === first && slots[3 * at + 2] === second) {
        const index = slots[3 * at]! - 1
        if (this.names[index] === id) return index
        this.shared[index] = shared = 1
      }
    }
    const index = this.names.length
    this.names.push(id)
    if (2 * this.names.length > mask + 1) {
      this.grow()
      this.place(index, first, second)
    } else {
      slots[3 * at] = index + 1
      slots[3 * at + 1] = first
      slots[3 * at + 2] = second
    }
    this.shared[index] = shared
    return index
  }

  private place(index: number, first: number, second: number): void {
    const { slots } = this
    const mask = slots.length / 3 - 1
    let at = first & mask
    while (slots[3 * at] !== 0) at = (at + 1) & mask
    slots[3 * at] = index + 1
    slots[3 * at + 1] = first
    slots[3 * at + 2] = second
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Int32Array(2 * old.length)
    for (let at = 0; at < old.length; at += 3)
      if (old[at] !== 0) this.place(old[at]! - 1, old[at + 1]!, old[at + 2]!)
    const shared = new Uint8Array(this.slots.length / 6)
    shared.set(this.shared)
    this.shared = shared
  }
}

// Who blocked whom in a round, by participant index. A blocked id is matched to a participant by its
// fingerprint in the round's id table (see id-table.ts), not by a Map lookup: with a block per person, 100,000
// lookups that each land on a random participant's id string cost more than the rest of the round's setup. The
// result stays exact: a block found by fingerprint is confirmed by comparing the two ids the first time the
// pair is looked at (rarely: few blocked pairs are ever considered together), and a fingerprint that two
// participants share is looked up by id instead.
import { fingerprintId, SHARED } from './id-table.ts'
import { freshArrays, type Scratch } from './scratch.ts'

/** How Blocks finds a round's participants by id. */
export interface ParticipantIds {
  readonly n: number
  /** Participant i's id. */
  idOf(i: number): string
  /** The participant with this id (its fingerprint given), or −1. */
  find(id: string, first: number, second: number): number
  /** The participant whose id has this fingerprint, unconfirmed; −1 when none has it; SHARED when several may. */
  byFingerprint(first: number, second: number): number
}

const UNCONFIRMED = 0
const CONFIRMED = 1
const REFUTED = 2

/**
 * A round's blocked ids, fingerprinted, by whose list and where in it they are: collected while the caller walks
 * its participants anyway (`add`), so the participant objects and their lists are visited once. The ids
 * themselves are not copied: the rare lookups by id read them from the lists again.
 */
export class BlockedIds {
  count = 0
  owner: Int32Array
  position: Int32Array
  first: Int32Array
  second: Int32Array
  private readonly hash = new Int32Array(2)

  constructor(
    private readonly scratch: Scratch,
    capacity: number,
    private readonly fingerprint: (id: string, out: Int32Array) => void = fingerprintId,
  ) {
    this.owner = scratch.int32('blocks.owner', capacity)
    this.position = scratch.int32('blocks.position', capacity)
    this.first = scratch.int32('blocks.first', capacity)
    this.second = scratch.int32('blocks.second', capacity)
  }

  /** Person i's blocked ids. */
  add(i: number, list: readonly string[]): void {
    if (this.count + list.length > this.owner.length) this.grow(this.count + list.length)
    const { owner, position, first, second, hash } = this
    for (let at = 0; at < list.length; at++) {
      this.fingerprint(list[at]!, hash)
      const b = this.count++
      owner[b] = i
      position[b] = at
      first[b] = hash[0]!
      second[b] = hash[1]!
    }
  }

  private grow(needed: number): void {
    const length = Math.max(needed, 2 * this.owner.length)
    const grown = (key: string, old: Int32Array) => {
      const array = this.scratch.int32(key, length)
      // (From the pool, `array` may be a view of the same memory as `old`: then the copy changes nothing.)
      if (array.buffer !== old.buffer) array.set(old.subarray(0, this.count))
      return array
    }
    this.owner = grown('blocks.owner', this.owner)
    this.position = grown('blocks.position', this.position)
    this.first = grown('blocks.first', this.first)
    this.second = grown('blocks.second', this.second)
  }
}

export class Blocks {
  /** Person i's blocks (either way) are entries start[i] … start[i + 1] − 1: the other person and the block. */
  private readonly start: Int32Array
  private readonly other: Int32Array
  private readonly blockOf: Int32Array
  /** Per block: who blocked, where in their list the id is, who is blocked, whether the match was confirmed. */
  private readonly owner: Int32Array
  private readonly position: Int32Array
  private readonly target: Int32Array
  private readonly state: Uint8Array

  constructor(
    private readonly ids: ParticipantIds,
    private readonly blockedIdsOf: (i: number) => readonly string[] | undefined,
    fingerprint: (id: string, out: Int32Array) => void = fingerprintId,
    /** Where the arrays it keeps come from. */
    scratch: Scratch = freshArrays,
    /** The blocked ids of every participant in order, when the caller collected them already. */
    collected?: BlockedIds,
  ) {
    const n = ids.n
    let list = collected
    if (!list) {
      list = new BlockedIds(scratch, n, fingerprint)
      for (let i = 0; i < n; i++) {
        const own = blockedIdsOf(i)
        if (own) list.add(i, own)
      }
    }
    // Resolved in place: block b is written at or before the entry it came from.
    const { owner, position, first, second } = list
    const total = list.count
    const target = scratch.int32('blocks.target', total)
    const state = scratch.uint8('blocks.state', total)
    const hash = new Int32Array(2)
    // The lookups first, in a loop of their own: independent probes into tables of megabytes then overlap.
    for (let at = 0; at < total; at++) target[at] = ids.byFingerprint(first[at]!, second[at]!)
    let blocks = 0
    for (let at = 0; at < total; at++) {
      const i = owner[at]!
      let j = target[at]!
      // No participant has this fingerprint, so none has this id.
      if (j === -1) continue
      const exact = j === SHARED
      if (exact) {
        const id = blockedIdsOf(i)![position[at]!]!
        fingerprint(id, hash)
        j = ids.find(id, hash[0]!, hash[1]!)
      }
      if (j === -1 || j === i) continue
      owner[blocks] = i
      position[blocks] = position[at]!
      target[blocks] = j
      state[blocks] = exact ? CONFIRMED : UNCONFIRMED
      blocks++
    }
    const count = scratch.int32('blocks.count', n + 1).fill(0)
    for (let b = 0; b < blocks; b++) {
      count[owner[b]!]!++
      count[target[b]!]!++
    }
    const start = scratch.int32('blocks.start', n + 1)
    start[0] = 0
    for (let i = 0; i < n; i++) start[i + 1] = start[i]! + count[i]!
    const other = scratch.int32('blocks.other', start[n]!)
    const blockOf = scratch.int32('blocks.blockOf', start[n]!)
    // `count` becomes each person's next free entry.
    const filled = count
    filled.set(start.subarray(0, n))
    for (let b = 0; b < blocks; b++) {
      const i = owner[b]!
      const j = target[b]!
      other[filled[i]!] = j
      blockOf[filled[i]!++] = b
      other[filled[j]!] = i
      blockOf[filled[j]!++] = b
    }
    this.start = start
    this.other = other
    this.blockOf = blockOf
    this.owner = owner
    this.position = position
    this.target = target
    this.state = state
  }

  /** Whether i may have blocks (unconfirmed ones included): a quick test before `isBlocked`. */
  mayHave(i: number): boolean {
    return this.start[i + 1]! > this.start[i]!
  }

  private confirmed(block: number): boolean {
    if (this.state[block] === UNCONFIRMED)
      this.state[block] =
        this.blockedIdsOf(this.owner[block]!)![this.position[block]!] === this.ids.idOf(this.target[block]!)
          ? CONFIRMED
          : REFUTED
    return this.state[block] === CONFIRMED
  }

  isBlocked(i: number, j: number): boolean {
    for (let at = this.start[i]!, end = this.start[i + 1]!; at < end; at++)
      if (this.other[at] === j && this.confirmed(this.blockOf[at]!)) return true
    return false
  }

  /** The people i blocked or was blocked by (twice where both blocked). */
  of(i: number): Int32Array {
    const from = this.start[i]!
    const end = this.start[i + 1]!
    let refuted = 0
    for (let at = from; at < end; at++) if (!this.confirmed(this.blockOf[at]!)) refuted++
    const all = this.other.subarray(from, end)
    if (refuted === 0) return all
    return all.filter((_, at) => this.state[this.blockOf[from + at]!] === CONFIRMED)
  }
}

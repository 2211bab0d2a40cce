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

export class Blocks {
  /** Person i's blocks (either way) are entries start[i] … start[i + 1] − 1: the other person and the block. */
  private readonly start: Int32Array
  private readonly other: Int32Array
  private readonly blockOf: Int32Array
  /** Per block: who is blocked, the id as given, and whether the fingerprint match was confirmed. */
  private readonly target: Int32Array
  private readonly blockedId: string[]
  private readonly state: Uint8Array

  constructor(
    private readonly ids: ParticipantIds,
    blockedIdsOf: (i: number) => readonly string[] | undefined,
    fingerprint: (id: string, out: Int32Array) => void = fingerprintId,
    /** Where the arrays it keeps come from. */
    scratch: Scratch = freshArrays,
  ) {
    const n = ids.n
    let total = 0
    for (let i = 0; i < n; i++) total += blockedIdsOf(i)?.length ?? 0
    const owner = scratch.int32('blocks.owner', total)
    const target = scratch.int32('blocks.target', total)
    const state = scratch.uint8('blocks.state', total)
    const blockedId: string[] = []
    let blocks = 0
    const hash = new Int32Array(2)
    for (let i = 0; i < n && total > 0; i++) {
      const list = blockedIdsOf(i)
      if (!list) continue
      for (const id of list) {
        fingerprint(id, hash)
        let j = ids.byFingerprint(hash[0]!, hash[1]!)
        // No participant has this fingerprint, so none has this id.
        if (j === -1) continue
        const exact = j === SHARED
        if (exact) j = ids.find(id, hash[0]!, hash[1]!)
        if (j === -1 || j === i) continue
        owner[blocks] = i
        target[blocks] = j
        state[blocks] = exact ? CONFIRMED : UNCONFIRMED
        blockedId.push(id)
        blocks++
      }
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
    this.target = target
    this.blockedId = blockedId
    this.state = state
  }

  /** Whether i may have blocks (unconfirmed ones included): a quick test before `isBlocked`. */
  mayHave(i: number): boolean {
    return this.start[i + 1]! > this.start[i]!
  }

  private confirmed(block: number): boolean {
    if (this.state[block] === UNCONFIRMED)
      this.state[block] = this.blockedId[block] === this.ids.idOf(this.target[block]!) ? CONFIRMED : REFUTED
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

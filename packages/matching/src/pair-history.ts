// Who met whom, kept per person as a sorted run of partners (stable integer ids) with the week of each meeting.
// The caller keeps one across rounds and adds each round's groups, so a round reads the history without
// rebuilding it; a lookup is a binary search in one person's run. Never an N×N matrix.
//
// Layout: every person's run lives in one shared pool, people in id order, each run with some room to grow
// (pool offsets in `start`, the run's length in `count`). Weeks are stored as 16-bit indices into a table of
// the distinct weeks seen (a deployment adds one week per round), so a meeting takes 6 bytes; the table is
// widened to 32 bits past 65,536 distinct weeks. Runs that grow move inside the pool; the pool itself is
// reallocated only when the runs together need more room, so a growing history leaves no old arrays behind.
import { fingerprintId, IdTable } from './id-table.ts'
import type { PastMeeting } from './types.ts'

/** Room a growing run gets beyond what it needs: a quarter, so growth is amortized without doubling waste. */
const HEADROOM = 0.25
/** A run this full grows along with one that overflows, so runs growing in step grow in one pass. */
const NEARLY_FULL = 0.8
/** Pool room kept beyond the runs' total, for newcomers' runs. */
const POOL_HEADROOM = 1 / 16

/** The pool as a round reads it (valid until the history changes). @internal */
export interface HistoryView {
  /** People with at least one meeting when the view was taken; their ids are 0 … people − 1. */
  readonly people: number
  /** Person x's partners are `partners[start[x] … start[x] + count[x])`, sorted by partner, then week. */
  readonly start: Int32Array
  readonly count: Int32Array
  readonly partners: Int32Array
  /** Each meeting's week, as an index into `weeks`. */
  readonly slots: Uint16Array | Uint32Array
  readonly weeks: Float64Array
}

type PoolArray = Int32Array | Uint16Array | Uint32Array
type PoolArrayType = { new (buffer: ArrayBuffer): PoolArray; readonly BYTES_PER_ELEMENT: number }

/**
 * `array` grown to `length`. ArrayBuffer.prototype.transfer (ES2024; the project's TypeScript lib is ES2023)
 * reallocates and detaches the old buffer, whose memory goes back at once instead of at the next collection.
 * (Resizable buffers would grow in place, but JavaScriptCore reads their arrays about ten times slower.)
 */
function growPool<T extends PoolArray>(array: T, length: number): T {
  const buffer = array.buffer as ArrayBuffer & { transfer(byteLength: number): ArrayBuffer }
  const type = array.constructor as PoolArrayType
  return new type(buffer.transfer(length * type.BYTES_PER_ELEMENT)) as T
}

/** `array` if it holds `length` numbers, else a larger one with its contents (growing by half at least). */
function fitted(array: Int32Array, length: number): Int32Array {
  if (length <= array.length) return array
  const grown = new Int32Array(Math.max(length, Math.ceil(array.length * 1.5)))
  grown.set(array)
  return grown
}

/** Sorts entries from … to − 1 of (partners, slots) by partner, then week. */
function sortEntries(
  partners: Int32Array,
  slots: Int32Array,
  from: number,
  to: number,
  weeks: Float64Array,
): void {
  const order = Array.from({ length: to - from }, (_, at) => from + at)
  order.sort((a, b) => partners[a]! - partners[b]! || weeks[slots[a]!]! - weeks[slots[b]!]! || a - b)
  const sortedPartners = order.map((at) => partners[at]!)
  const sortedSlots = order.map((at) => slots[at]!)
  partners.set(sortedPartners, from)
  slots.set(sortedSlots, from)
}

export class PairHistory {
  /** People's ids → their integer ids, in the order they first met someone. */
  private readonly ids = new IdTable()
  private readonly hash = new Int32Array(2)
  private size = 0
  /** Run x occupies pool positions start[x] … start[x + 1] − 1 (start has size + 1 entries in use). */
  private start = new Int32Array(17)
  private count = new Int32Array(16)
  private partners = new Int32Array(0)
  private slots: Uint16Array | Uint32Array = new Uint16Array(0)
  private weeks = new Float64Array(16)
  private readonly slotOfWeek = new Map<number, number>()
  /** Scratch for adding meetings, kept from one round's addGroups to the next. */
  private pairs: Int32Array = new Int32Array(64)
  private adding: Int32Array = new Int32Array(16)
  private offset: Int32Array = new Int32Array(16)
  private newPartner: Int32Array = new Int32Array(64)
  private newSlot: Int32Array = new Int32Array(64)

  /**
   * A history from meetings given by age: the round being formed is week 0 and a meeting `ageWeeks` ago is at
   * week −ageWeeks. Meetings reported as not having happened (`met: false`) are left out.
   */
  static fromMeetings(meetings: Iterable<PastMeeting>): PairHistory {
    const history = new PairHistory()
    const pairs: number[] = []
    const slots: number[] = []
    for (const meeting of meetings) {
      if (meeting.met === false) continue
      const week = -Math.max(0, meeting.ageWeeks)
      if (!Number.isFinite(week))
        throw new RangeError(`ageWeeks: must be a finite number, got ${meeting.ageWeeks}`)
      const a = history.intern(meeting.a)
      const b = history.intern(meeting.b)
      if (a === b) continue
      pairs.push(a, b)
      slots.push(history.slotOf(week))
    }
    history.insertPairs(Int32Array.from(pairs), slots.length, Int32Array.from(slots))
    return history
  }

  /** People with at least one meeting. */
  get people(): number {
    return this.size
  }

  /** The stable integer id of a person, or −1 when they have no history. */
  indexOf(id: string): number {
    fingerprintId(id, this.hash)
    return this.ids.find(id, this.hash[0]!, this.hash[1]!)
  }

  /** `indexOf` for a caller that has the id's fingerprint (`fingerprintId`) already. @internal */
  indexOfFingerprinted(id: string, first: number, second: number): number {
    return this.ids.find(id, first, second)
  }

  /** The person whose id has this fingerprint, unconfirmed (see `IdTable.byFingerprint`). @internal */
  indexOfFingerprint(first: number, second: number): number {
    return this.ids.byFingerprint(first, second)
  }

  /** The pool as it is now, for a round's cost model: read-only, and stale once the history changes. @internal */
  view(): HistoryView {
    return {
      people: this.size,
      start: this.start,
      count: this.count,
      partners: this.partners,
      slots: this.slots,
      weeks: this.weeks,
    }
  }

  private intern(id: string): number {
    fingerprintId(id, this.hash)
    const index = this.ids.add(id, this.hash[0]!, this.hash[1]!)
    if (index === this.size) {
      this.size++
      if (this.size >= this.count.length) {
        const capacity = this.count.length * 2
        const start = new Int32Array(capacity + 1)
        start.set(this.start)
        this.start = start
        const count = new Int32Array(capacity)
        count.set(this.count)
        this.count = count
      }
      // A newcomer's run starts empty at the end of the pool.
      this.start[this.size] = this.start[index]!
    }
    return index
  }

  /** The week's index in the week table, adding it (and widening the stored indices) when it is new. */
  private slotOf(week: number): number {
    let slot = this.slotOfWeek.get(week)
    if (slot === undefined) {
      slot = this.slotOfWeek.size
      this.slotOfWeek.set(week, slot)
      if (slot >= this.weeks.length) {
        const weeks = new Float64Array(this.weeks.length * 2)
        weeks.set(this.weeks)
        this.weeks = weeks
      }
      this.weeks[slot] = week
      if (slot > 0xffff && this.slots instanceof Uint16Array) this.slots = Uint32Array.from(this.slots)
    }
    return slot
  }

  /**
   * Makes room for `adding[x]` more meetings in each run x: runs that would overflow (and runs nearly full)
   * get room for what they need plus HEADROOM, and all runs move up to their new places, last first.
   */
  private reserve(adding: Int32Array): void {
    const { size, start, count } = this
    let overflow = false
    for (let x = 0; x < size && !overflow; x++) overflow = count[x]! + adding[x]! > start[x + 1]! - start[x]!
    if (!overflow) return
    const next = new Int32Array(start.length)
    for (let x = 0; x < size; x++) {
      const room = start[x + 1]! - start[x]!
      const need = count[x]! + adding[x]!
      const grown = need > NEARLY_FULL * room ? need + Math.ceil(need * HEADROOM) + 2 : room
      next[x + 1] = next[x]! + Math.max(room, grown)
    }
    const total = next[size]!
    if (total > this.partners.length) {
      const length = total + Math.ceil(total * POOL_HEADROOM)
      this.partners = growPool(this.partners, length)
      this.slots = growPool(this.slots, length)
    }
    const { partners, slots } = this
    for (let x = size - 1; x >= 0; x--) {
      const from = start[x]!
      const to = next[x]!
      if (from === to) break // Runs before this one have not moved either: every run only grows.
      partners.copyWithin(to, from, from + count[x]!)
      slots.copyWithin(to, from, from + count[x]!)
    }
    start.set(next.subarray(0, size + 1))
  }

  /**
   * Records meetings given as pairs of person ids (`pairs[2m]`, `pairs[2m + 1]`) with their week slots, both
   * ways. Each run takes its new partners in one merge from the back.
   */
  private insertPairs(pairs: Int32Array, pairCount: number, weekSlots: Int32Array | number): void {
    const size = this.size
    // The new partners of each person, grouped by person (counting sort).
    this.adding = fitted(this.adding, size)
    const adding = this.adding
    adding.fill(0, 0, size)
    for (let at = 0; at < 2 * pairCount; at++) adding[pairs[at]!]!++
    this.reserve(adding)
    this.offset = fitted(this.offset, size + 1)
    const offset = this.offset
    offset[0] = 0
    for (let x = 0; x < size; x++) offset[x + 1] = offset[x]! + adding[x]!
    // `adding` becomes each person's next free place in the batch.
    adding.set(offset.subarray(0, size))
    this.newPartner = fitted(this.newPartner, 2 * pairCount)
    this.newSlot = fitted(this.newSlot, 2 * pairCount)
    const { newPartner, newSlot } = this
    for (let m = 0; m < pairCount; m++) {
      const a = pairs[2 * m]!
      const b = pairs[2 * m + 1]!
      const slot = typeof weekSlots === 'number' ? weekSlots : weekSlots[m]!
      newPartner[adding[a]!] = b
      newSlot[adding[a]!++] = slot
      newPartner[adding[b]!] = a
      newSlot[adding[b]!++] = slot
    }
    const { start, count, partners, slots, weeks } = this
    const before = (p: number, s: number, q: number, t: number) => p < q || (p === q && weeks[s]! < weeks[t]!)
    for (let x = 0; x < size; x++) {
      const from = offset[x]!
      const to = offset[x + 1]!
      if (from === to) continue
      // Sort the new entries by (partner, week): insertion sort for the few a round adds per person.
      if (to - from > 16) sortEntries(newPartner, newSlot, from, to, weeks)
      else {
        for (let at = from + 1; at < to; at++) {
          const p = newPartner[at]!
          const s = newSlot[at]!
          let hole = at
          while (hole > from && before(p, s, newPartner[hole - 1]!, newSlot[hole - 1]!)) {
            newPartner[hole] = newPartner[hole - 1]!
            newSlot[hole] = newSlot[hole - 1]!
            hole--
          }
          newPartner[hole] = p
          newSlot[hole] = s
        }
      }
      // Merge from the back; an equal (partner, week) new entry goes after the old one.
      const base = start[x]!
      let old = base + count[x]! - 1
      let add = to - 1
      let write = old + (to - from)
      while (add >= from) {
        if (old >= base && before(newPartner[add]!, newSlot[add]!, partners[old]!, slots[old]!)) {
          partners[write] = partners[old]!
          slots[write--] = slots[old--]!
        } else {
          partners[write] = newPartner[add]!
          slots[write--] = newSlot[add--]!
        }
      }
      count[x]! += to - from
    }
  }

  /** First position in x's run whose partner is ≥ `partner`. */
  private lowerBound(x: number, partner: number): number {
    const { partners } = this
    let lo = this.start[x]!
    let hi = lo + this.count[x]!
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (partners[mid]! < partner) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private delete(x: number, partner: number, week: number | undefined): boolean {
    const { partners, slots, weeks } = this
    const end = this.start[x]! + this.count[x]!
    // Without a week, the latest meeting of the pair (the last entry for that partner).
    let found = -1
    for (let at = this.lowerBound(x, partner); at < end && partners[at] === partner; at++) {
      if (week === undefined || weeks[slots[at]!] === week) found = at
    }
    if (found === -1) return false
    partners.copyWithin(found, found + 1, end)
    slots.copyWithin(found, found + 1, end)
    this.count[x]!--
    return true
  }

  /**
   * Records that `a` and `b` met in the round at `week` (weeks on any fixed scale, e.g. Unix time divided by one
   * week; the round being formed is then given on the same scale).
   */
  add(a: string, b: string, week: number): void {
    this.addGroups([[a, b]], week)
  }

  /** Records every pair of each group as having met at `week`. A whole round at once is the fast way. */
  addGroups(groups: Iterable<readonly string[]>, week: number): void {
    if (!Number.isFinite(week)) throw new RangeError(`week: must be a finite number, got ${week}`)
    let pairs = this.pairs
    let count = 0
    const members: number[] = []
    for (const group of groups) {
      members.length = 0
      for (const id of group) members.push(this.intern(id))
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          if (members[x] === members[y]) continue
          if (2 * count + 2 > pairs.length) pairs = this.pairs = fitted(pairs, 2 * count + 2)
          pairs[2 * count] = members[x]!
          pairs[2 * count++ + 1] = members[y]!
        }
      }
    }
    if (count > 0) this.insertPairs(pairs, count, this.slotOf(week))
  }

  /**
   * They reported that they did not meet: the meeting at `week` (or, without a week, the pair's latest) no longer
   * counts. Returns whether there was such a meeting.
   */
  remove(a: string, b: string, week?: number): boolean {
    const x = this.indexOf(a)
    const y = this.indexOf(b)
    if (x === -1 || y === -1) return false
    return this.delete(x, y, week) && this.delete(y, x, week)
  }

  hasMet(a: string, b: string): boolean {
    const x = this.indexOf(a)
    const y = this.indexOf(b)
    return x !== -1 && y !== -1 && this.metAt(x, y)
  }

  /** Whether the people with integer ids x and y met. */
  metAt(x: number, y: number): boolean {
    const at = this.lowerBound(x, y)
    return at < this.start[x]! + this.count[x]! && this.partners[at] === y
  }

  /**
   * Summed weight of the meetings of x and y for a round at `now`: each counts 0.5^(age / halfLife). 0 when they
   * never met.
   */
  weightAt(x: number, y: number, now: number, halfLife: number): number {
    const { partners, slots, weeks } = this
    const end = this.start[x]! + this.count[x]!
    let weight = 0
    for (let at = this.lowerBound(x, y); at < end && partners[at] === y; at++) {
      weight += 0.5 ** (Math.max(0, now - weeks[slots[at]!]!) / halfLife)
    }
    return weight
  }

  /** Calls `visit` once for each distinct partner of the person with integer id x. */
  forEachPartner(x: number, visit: (y: number) => void): void {
    const { partners } = this
    const from = this.start[x]!
    const end = from + this.count[x]!
    for (let at = from; at < end; at++)
      if (at === from || partners[at] !== partners[at - 1]) visit(partners[at]!)
  }

  /** Meetings recorded, each pair once per round. */
  get meetings(): number {
    let total = 0
    for (let x = 0; x < this.size; x++) total += this.count[x]!
    return total / 2
  }
}

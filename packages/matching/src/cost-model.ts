// The price of putting two people together. Three tiers that never trade against each other within one move:
// a blocked pair (never), a repeat (only when no repeat-free round exists; recent repeats cost more), and
// preferences (other department, same location, shared working hours).
//
// Built once per round in one pass over the participants: everything after it works on participant indices and
// typed arrays (no string, Map or object per participant), and reads the caller's PairHistory in place.
import { BlockedIds, Blocks, type ParticipantIds } from './blocks.ts'
import { fingerprintId, IdTable, SHARED } from './id-table.ts'
import type { PairHistory } from './pair-history.ts'
import { freshArrays, type Scratch, temporary } from './scratch.ts'
import type { MatchParticipant } from './types.ts'

export const BLOCKED = 1e12
export const REPEAT = 1e6
/** Per unit of decayed meeting weight; a move changes at most ~24 pairs, so weight never outweighs a repeat. */
export const REPEAT_WEIGHT = 1e3
const MAX_WEIGHT = 10

const DEPARTMENT_COST = 2
const LOCATION_COST = 1.5
const OVERLAP_COST_PER_HOUR = 1
const MAX_OVERLAP_COST = 4

export interface CostModel {
  readonly n: number
  /** Participant ids by index. */
  readonly ids: readonly string[]
  /** The participant index of an id, or −1 when they do not take part. */
  indexOf(id: string): number
  /** Whether participants i and j met before (a meeting reported as not having happened does not count). */
  hasMet(i: number, j: number): boolean
  /** Calls `visit` once for each participant of this round whom i met before. */
  forEachPartner(i: number, visit: (j: number) => void): void
  /** Whether either of i and j blocked the other. */
  isBlocked(i: number, j: number): boolean
  /** The participants i blocked or was blocked by (twice where both blocked). */
  blockedOf(i: number): Int32Array
  /** The same as sets, built on first use (the group planner's few hundred people). */
  readonly blocked: (Set<number> | undefined)[]
  /** Each participant's department as a small id (−1: none). */
  readonly department: Int32Array
  pairCost(i: number, j: number): number
  /** `pairCost` of many pairs (first[p], second[p]) into out[p]: the same numbers, faster for a whole round. */
  pairCosts(first: Int32Array, second: Int32Array, pairs: number, out: Float64Array): void
  preferenceCost(i: number, j: number): number
  /** Meetings in i's history (repeats counted each time): at least the number of partners i met. */
  meetingCount(i: number): number
  /**
   * What a group's reason says about its people, into `out`: [0] distinct departments and [1] distinct locations
   * (0 when someone's is unknown), [2] minutes of working hours they all share (−1 when someone gave none).
   */
  describePeople(group: readonly number[], out: Float64Array): void
}

/** Minutes two daily windows share, either possibly crossing midnight UTC (b shifted a day either way). */
export function overlapMinutes(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return (
    Math.max(0, Math.min(aEnd, bEnd - 1440) - Math.max(aStart, bStart - 1440)) +
    Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart)) +
    Math.max(0, Math.min(aEnd, bEnd + 1440) - Math.max(aStart, bStart + 1440))
  )
}

/**
 * Small ids for department or location names, compared trimmed and case-blind; −1 for none. Most people share
 * a few names: the same string as the previous person's (or one seen before) skips the normalizing.
 */
class Interner {
  private readonly byRaw = new Map<string, number>()
  private readonly byKey = new Map<string, number>()
  private lastRaw: string | undefined
  private lastId = -1

  idOf(raw: string | undefined): number {
    if (raw === undefined) return -1
    if (raw === this.lastRaw) return this.lastId
    let id = this.byRaw.get(raw)
    if (id === undefined) {
      const key = raw.trim().toLowerCase()
      if (key === '') id = -1
      else {
        id = this.byKey.get(key)
        if (id === undefined) {
          id = this.byKey.size
          this.byKey.set(key, id)
        }
      }
      this.byRaw.set(raw, id)
    }
    this.lastRaw = raw
    this.lastId = id
    return id
  }
}

/** The shift (a day back, none, a day on) that makes window s–e overlap [aStart, aEnd) most; the first on a tie. */
function bestShift(aStart: number, aEnd: number, s: number, e: number): number {
  let best = 0
  let bestOverlap = -1
  for (let shift = -1440; shift <= 1440; shift += 1440) {
    const o = overlapMinutes(aStart, aEnd, s + shift, e + shift)
    if (o > bestOverlap) {
      bestOverlap = o
      best = shift
    }
  }
  return best
}

/** `RoundCostModel.alignment`: not computed yet. */
const UNALIGNED = 255

/** A profile: what a pair's preference cost reads about one person, STRIDE numbers (see `profiles`). */
const STRIDE = 8
const DEPARTMENT = 0
const LOCATION = 1
/** Bits: PREFERS_OTHER_DEPARTMENTS, PREFERS_SAME_LOCATION. */
const FLAGS = 2
const PREFERS_OTHER_DEPARTMENTS = 1
const PREFERS_SAME_LOCATION = 2
const MIN_OVERLAP = 3
const WINDOW_START = 4
const WINDOW_END = 5
const FIELDS = 6
/**
 * Up to this many distinct profiles, people share them and the preference cost of each pair of profiles is
 * kept in a table (computed on first use); past it, every further person gets a profile of their own.
 */
const SHARED_PROFILES = 256

/**
 * Up to this many people, who met whom this round is also kept as an n×n bit matrix (512 KB at 2,048): most
 * pairs never met, and one bit says so faster than a search in the history.
 */
const MET_MATRIX_LIMIT = 2_048

/** Below this many pairs, `pairCosts` prices them one by one: sorting them by history is not worth it. */
const BATCH_PAIRS = 2_048

/**
 * The profile among the first `count` that equals the one written at position `count`, or −1 (then it is
 * entered in `slots`, open addressing over twice SHARED_PROFILES places). NaN equals NaN here.
 */
function findProfile(profiles: Float64Array, count: number, slots: Int32Array): number {
  const at = count * STRIDE
  let hash = 0
  for (let field = 0; field < FIELDS; field++)
    hash = Math.imul(hash ^ (profiles[at + field]! | 0), 0x9e3779b1)
  const mask = slots.length - 1
  for (let slot = (hash >>> 16) & mask; ; slot = (slot + 1) & mask) {
    const profile = slots[slot]!
    if (profile === -1) {
      slots[slot] = count
      return -1
    }
    let same = true
    for (let field = 0; field < FIELDS && same; field++) {
      const x = profiles[profile * STRIDE + field]!
      const y = profiles[at + field]!
      same = x === y || (Number.isNaN(x) && Number.isNaN(y))
    }
    if (same) return profile
  }
}

class RoundCostModel implements CostModel, ParticipantIds {
  readonly n: number
  readonly ids: string[]
  readonly department: Int32Array
  /**
   * Profiles, STRIDE numbers each (department, location, flags, wanted overlap, working window), and each
   * person's profile. Most people share one of a few profiles: then a pair's preference cost is one look in
   * `preferenceTable`, not a computation on two records far apart in memory (at 100,000 people that was most
   * of the cost of pricing a round's pairs).
   */
  private readonly profiles: Float64Array
  private readonly profileOf: Int32Array
  private readonly profileCount: number
  /** Preference cost of profiles a, b at a · profileCount + b, NaN until needed; empty past SHARED_PROFILES. */
  private readonly preferenceTable: Float64Array
  /**
   * For profiles a, b at a · profileCount + b: 1 + the day (−1, 0, 1) by which b's working window is shifted to
   * overlap a's most, UNALIGNED until needed; empty past SHARED_PROFILES. A group's reason reads it per member.
   */
  private readonly alignment: Uint8Array
  /** describePeople's copy of a group's profiles. */
  private groupProfiles = new Int32Array(8)
  /** Participant index → the history's integer id (≥ known: no history yet). */
  private readonly historyIds: Int32Array
  /** The history's integer id → participant index, or −1. */
  private readonly participantOf: Int32Array
  private readonly known: number
  private readonly history: PairHistory
  /** Participants without history: their ids → history ids from `known` on (minus known). */
  private readonly newcomers: IdTable
  private readonly start: Int32Array
  private readonly count: Int32Array
  private readonly partners: Int32Array
  private readonly slots: Uint16Array | Uint32Array
  /** Decayed weight of a meeting in each of the history's weeks, for this round. */
  private readonly slotWeight: Float64Array
  private readonly blocks: Blocks
  /** Bit i·n + j: participants i and j met (MET_MATRIX_LIMIT people at most; else empty). */
  private readonly met: Int32Array
  private blockedSets: (Set<number> | undefined)[] | undefined

  constructor(
    participants: readonly MatchParticipant[],
    history: PairHistory,
    now: number,
    decayWeeks: number,
    scratch: Scratch,
  ) {
    const n = participants.length
    this.n = n
    this.history = history
    const view = history.view()
    const known = view.people
    this.known = known
    this.start = view.start
    this.count = view.count
    this.partners = view.partners
    this.slots = view.slots
    this.slotWeight = new Float64Array(view.weeks.length)
    for (let s = 0; s < view.weeks.length; s++)
      this.slotWeight[s] = 0.5 ** (Math.max(0, now - view.weeks[s]!) / decayWeeks)

    // One pass over the participant objects: ids, blocked ids, preferences, working windows; then history ids.
    const ids: string[] = new Array(n)
    const participantOf = scratch.int32('model.participantOf', known + n).fill(-1)
    const department = scratch.int32('model.department', n)
    const historyIds = scratch.int32('model.historyIds', n)
    let profiles = scratch.float64('model.profiles', SHARED_PROFILES * STRIDE)
    const profileOf = scratch.int32('model.profileOf', n)
    const profileSlots = scratch.int32('model.profileSlots', 2 * SHARED_PROFILES).fill(-1)
    let profileCount = 0
    let sharing = true
    const departments = new Interner()
    const locations = new Interner()
    // (Sized for everyone being new when the history is smaller than the round, as in a first round.)
    const newcomers = new IdTable(Math.max(0, n - known))
    const hash = new Int32Array(2)
    // Blocked ids are fingerprinted here too, so each participant object is read once.
    const blockedIds = new BlockedIds(scratch, n)
    // Ids are fingerprinted in this pass and looked up in the history in the next: there, in a short loop, the
    // probes into the history's table (megabytes at 100,000 people) wait for memory together; interleaved with
    // the reads of the participant objects, each waited on its own (about 15 ms of a 100,000-person round).
    const first = temporary.int32('model.first', n)
    const second = temporary.int32('model.second', n)
    for (let i = 0; i < n; i++) {
      const p = participants[i]!
      const id = p.id
      ids[i] = id
      fingerprintId(id, hash)
      first[i] = hash[0]!
      second[i] = hash[1]!
      const blocked = p.blockedIds
      if (blocked) blockedIds.add(i, blocked)
      // The person's profile, written as the next one and kept only if no existing profile is the same.
      if (profileCount * STRIDE === profiles.length) {
        // Past SHARED_PROFILES: room for a profile per remaining person.
        const grown = scratch.float64('model.ownProfiles', (profileCount + n - i) * STRIDE)
        grown.set(profiles)
        profiles = grown
      }
      const at = profileCount * STRIDE
      profiles[at + DEPARTMENT] = department[i] = departments.idOf(p.department)
      profiles[at + LOCATION] = locations.idOf(p.location)
      profiles[at + FLAGS] =
        (p.preferOtherDepartments === false ? 0 : PREFERS_OTHER_DEPARTMENTS) |
        (p.locationPreference === 'same' ? PREFERS_SAME_LOCATION : 0)
      profiles[at + MIN_OVERLAP] = Math.max(0, p.minOverlapHours ?? 0) * 60
      profiles[at + WINDOW_START] = p.workingWindowUtc?.start ?? Number.NaN
      profiles[at + WINDOW_END] = p.workingWindowUtc?.end ?? Number.NaN
      let profile = sharing ? findProfile(profiles, profileCount, profileSlots) : -1
      if (profile === -1) {
        profile = profileCount++
        if (sharing && profileCount === SHARED_PROFILES) sharing = false
      }
      profileOf[i] = profile
    }
    for (let i = 0; i < n; i++) historyIds[i] = history.indexOfFingerprinted(ids[i]!, first[i]!, second[i]!)
    for (let i = 0; i < n; i++) {
      let h = historyIds[i]!
      if (h === -1) {
        const before = newcomers.size
        h = known + newcomers.add(ids[i]!, first[i]!, second[i]!)
        if (newcomers.size === before) h = -1
      } else if (participantOf[h] !== -1) h = -1
      if (h === -1) throw new RangeError(`participants: id '${ids[i]}' appears twice`)
      participantOf[h] = i
      historyIds[i] = h
    }
    this.ids = ids
    this.participantOf = participantOf
    this.department = department
    this.historyIds = historyIds
    this.profiles = profiles
    this.profileOf = profileOf
    this.profileCount = profileCount
    this.preferenceTable =
      profileCount <= SHARED_PROFILES
        ? scratch.float64('model.preferenceTable', profileCount * profileCount).fill(Number.NaN)
        : new Float64Array(0)
    this.alignment =
      profileCount <= SHARED_PROFILES
        ? scratch.uint8('model.alignment', profileCount * profileCount).fill(UNALIGNED)
        : new Uint8Array(0)
    this.newcomers = newcomers
    this.blocks = new Blocks(this, (i) => participants[i]!.blockedIds, fingerprintId, scratch, blockedIds)
    this.met = n <= MET_MATRIX_LIMIT ? this.metMatrix(scratch) : new Int32Array(0)
  }

  indexOf(id: string): number {
    const hash = new Int32Array(2)
    fingerprintId(id, hash)
    return this.find(id, hash[0]!, hash[1]!)
  }

  idOf(i: number): string {
    return this.ids[i]!
  }

  find(id: string, first: number, second: number): number {
    const h = this.history.indexOfFingerprinted(id, first, second)
    if (h !== -1) return this.participantOf[h]!
    const newcomer = this.newcomers.find(id, first, second)
    return newcomer === -1 ? -1 : this.participantOf[this.known + newcomer]!
  }

  byFingerprint(first: number, second: number): number {
    const h = this.history.indexOfFingerprint(first, second)
    const newcomer = this.newcomers.byFingerprint(first, second)
    if (h === SHARED || newcomer === SHARED || (h !== -1 && newcomer !== -1)) return SHARED
    if (h !== -1) return this.participantOf[h]!
    return newcomer === -1 ? -1 : this.participantOf[this.known + newcomer]!
  }

  /** The history id of participant i (≥ known: no history). */
  private historyId(i: number): number {
    return this.historyIds[i]!
  }

  /** Position of history id y's first entry in x's run, or −1 when they never met. */
  private firstMeeting(x: number, y: number): number {
    if (x >= this.known || y >= this.known) return -1
    const partners = this.partners
    let at = this.start[x]!
    let length = this.count[x]!
    if (length === 0) return -1
    const end = at + length
    // Without branches (a mispredicted one per step cost more than the step): `at` moves to the last entry
    // below y, if any, while the part left to search halves.
    while (length > 1) {
      const half = length >>> 1
      // (Partner ids are non-negative int32s: the difference's sign says which is smaller.)
      at += half & ((partners[at + half]! - y) >> 31)
      length -= half
    }
    if (partners[at]! < y) at++
    return at < end && partners[at] === y ? at : -1
  }

  /** Summed decayed weight of x's meetings from position `first` on with the partner found there. */
  private weightFrom(x: number, first: number): number {
    const { partners, slots, slotWeight } = this
    const y = partners[first]!
    const end = this.start[x]! + this.count[x]!
    let weight = 0
    for (let at = first; at < end && partners[at] === y; at++) weight += slotWeight[slots[at]!]!
    return weight
  }

  private metMatrix(scratch: Scratch): Int32Array {
    const { n, known, partners, participantOf } = this
    const met = scratch.int32('model.met', (n * n + 31) >>> 5).fill(0)
    for (let i = 0; i < n; i++) {
      const x = this.historyIds[i]!
      if (x >= known) continue
      for (let at = this.start[x]!, end = at + this.count[x]!; at < end; at++) {
        const j = participantOf[partners[at]!]!
        if (j !== -1) met[(i * n + j) >>> 5]! |= 1 << ((i * n + j) & 31)
      }
    }
    return met
  }

  /** False when the bit matrix says i and j never met; true when they may have (or there is no matrix). */
  private mayHaveMet(i: number, j: number): boolean {
    const met = this.met
    if (met.length === 0) return true
    const bit = i * this.n + j
    return (met[bit >>> 5]! & (1 << (bit & 31))) !== 0
  }

  hasMet(i: number, j: number): boolean {
    return this.mayHaveMet(i, j) && this.firstMeeting(this.historyId(i), this.historyId(j)) !== -1
  }

  /** Meetings in i's history (repeats counted each time): at least the number of partners i met. */
  meetingCount(i: number): number {
    const x = this.historyId(i)
    return x < this.known ? this.count[x]! : 0
  }

  forEachPartner(i: number, visit: (j: number) => void): void {
    const x = this.historyId(i)
    if (x >= this.known) return
    const { partners, participantOf } = this
    const from = this.start[x]!
    const end = from + this.count[x]!
    for (let at = from; at < end; at++) {
      const y = partners[at]!
      if (at > from && y === partners[at - 1]) continue
      const j = participantOf[y]!
      if (j !== -1) visit(j)
    }
  }

  isBlocked(i: number, j: number): boolean {
    return this.blockedPair(i, j)
  }

  blockedOf(i: number): Int32Array {
    return this.blocks.of(i)
  }

  get blocked(): (Set<number> | undefined)[] {
    this.blockedSets ??= Array.from({ length: this.n }, (_, i) => {
      const list = this.blockedOf(i)
      return list.length > 0 ? new Set(list) : undefined
    })
    return this.blockedSets
  }

  preferenceCost(i: number, j: number): number {
    const a = this.profileOf[i]!
    const b = this.profileOf[j]!
    const table = this.preferenceTable
    if (table.length === 0) return this.profileCost(a, b)
    const at = a * this.profileCount + b
    let cost = table[at]!
    if (Number.isNaN(cost)) cost = table[at] = this.profileCost(a, b)
    return cost
  }

  /** The preference cost of two people with profiles a and b (STRIDE-scaled offsets computed here). */
  private profileCost(profileA: number, profileB: number): number {
    const profiles = this.profiles
    const a = profileA * STRIDE
    const b = profileB * STRIDE
    const flagsA = profiles[a + FLAGS]!
    const flagsB = profiles[b + FLAGS]!
    let cost = 0
    const department = profiles[a + DEPARTMENT]!
    if (department !== -1 && department === profiles[b + DEPARTMENT]) {
      cost += DEPARTMENT_COST * ((flagsA & PREFERS_OTHER_DEPARTMENTS) + (flagsB & PREFERS_OTHER_DEPARTMENTS))
    }
    const location = profiles[a + LOCATION]!
    const other = profiles[b + LOCATION]!
    if (location !== -1 && other !== -1 && location !== other) {
      cost += LOCATION_COST * (((flagsA & PREFERS_SAME_LOCATION) + (flagsB & PREFERS_SAME_LOCATION)) >> 1)
    }
    const wanted = Math.max(profiles[a + MIN_OVERLAP]!, profiles[b + MIN_OVERLAP]!)
    if (wanted > 0) {
      const startA = profiles[a + WINDOW_START]!
      const startB = profiles[b + WINDOW_START]!
      if (!Number.isNaN(startA) && !Number.isNaN(startB)) {
        const shared = overlapMinutes(startA, profiles[a + WINDOW_END]!, startB, profiles[b + WINDOW_END]!)
        if (shared < wanted)
          cost += Math.min(MAX_OVERLAP_COST, ((wanted - shared) / 60) * OVERLAP_COST_PER_HOUR)
      }
    }
    return cost
  }

  /** Distinct values of a profile field among the first `size` profiles, or 0 when someone's is unknown (−1). */
  private distinct(members: Int32Array, size: number, field: number): number {
    const profiles = this.profiles
    let count = 0
    for (let x = 0; x < size; x++) {
      const value = profiles[members[x]! * STRIDE + field]!
      if (value === -1) return 0
      let seen = false
      for (let y = 0; y < x && !seen; y++) seen = profiles[members[y]! * STRIDE + field] === value
      if (!seen) count++
    }
    return count
  }

  describePeople(group: readonly number[], out: Float64Array): void {
    const { profiles, profileOf } = this
    // The members' profiles, read once.
    if (group.length > this.groupProfiles.length) this.groupProfiles = new Int32Array(group.length)
    const members = this.groupProfiles
    for (let x = 0; x < group.length; x++) members[x] = profileOf[group[x]!]!
    out[0] = this.distinct(members, group.length, DEPARTMENT)
    out[1] = this.distinct(members, group.length, LOCATION)
    // Every window aligned to the first one's day (shifted by the day that overlaps it most), then intersected.
    const firstProfile = members[0]!
    const firstStart = profiles[firstProfile * STRIDE + WINDOW_START]!
    const firstEnd = profiles[firstProfile * STRIDE + WINDOW_END]!
    let start = Number.NEGATIVE_INFINITY
    let end = Number.POSITIVE_INFINITY
    for (let x = 0; x < group.length; x++) {
      const profile = members[x]!
      let s = profiles[profile * STRIDE + WINDOW_START]!
      let e = profiles[profile * STRIDE + WINDOW_END]!
      if (Number.isNaN(s)) {
        out[2] = -1
        return
      }
      const shift = this.shiftToAlign(firstProfile, profile, firstStart, firstEnd, s, e)
      s += shift
      e += shift
      start = Math.max(start, s)
      end = Math.min(end, e)
    }
    out[2] = Math.max(0, end - start)
  }

  /** The shift (−1440, 0 or 1440 minutes) that makes window s–e (profile b's) overlap a's window most. */
  private shiftToAlign(a: number, b: number, aStart: number, aEnd: number, s: number, e: number): number {
    const table = this.alignment
    if (table.length === 0) return bestShift(aStart, aEnd, s, e)
    const at = a * this.profileCount + b
    let code = table[at]!
    if (code === UNALIGNED) code = table[at] = bestShift(aStart, aEnd, s, e) / 1440 + 1
    return (code - 1) * 1440
  }

  private blockedPair(i: number, j: number): boolean {
    return this.blocks.mayHave(i) && this.blocks.isBlocked(i, j)
  }

  /** A pair's cost from its preference cost and the decayed weight of its meetings (0: never met). */
  private static priced(preference: number, weight: number): number {
    // (Meetings so old their weight underflows to 0 no longer count.)
    const repeat = weight === 0 ? 0 : REPEAT + REPEAT_WEIGHT * Math.min(weight, MAX_WEIGHT)
    return repeat + preference
  }

  pairCost(i: number, j: number): number {
    if (this.blockedPair(i, j)) return BLOCKED
    if (!this.mayHaveMet(i, j)) return RoundCostModel.priced(this.preferenceCost(i, j), 0)
    const x = this.historyId(i)
    const first = this.firstMeeting(x, this.historyId(j))
    return RoundCostModel.priced(this.preferenceCost(i, j), first === -1 ? 0 : this.weightFrom(x, first))
  }

  pairCosts(first: Int32Array, second: Int32Array, pairs: number, out: Float64Array): void {
    if (pairs < BATCH_PAIRS) {
      for (let p = 0; p < pairs; p++) out[p] = this.pairCost(first[p]!, second[p]!)
      return
    }
    // The history is read in the order of its runs (a counting sort of the pairs by the first person's history
    // id): at 100,000 people the runs lie far apart in a pool of ~100 MB, and visiting them in pool order lets
    // the memory keep up. Blocks and preferences are then priced in the pairs' own order.
    const known = this.known
    const bucket = temporary.int32('pairCosts.bucket', known + 1).fill(0)
    const x = temporary.int32('pairCosts.x', pairs)
    const y = temporary.int32('pairCosts.y', pairs)
    for (let p = 0; p < pairs; p++) {
      x[p] = this.historyId(first[p]!)
      y[p] = this.historyId(second[p]!)
      if (x[p]! < known && y[p]! < known) bucket[x[p]! + 1]!++
    }
    for (let h = 0; h < known; h++) bucket[h + 1]! += bucket[h]!
    const order = temporary.int32('pairCosts.order', bucket[known]!)
    for (let p = 0; p < pairs; p++) if (x[p]! < known && y[p]! < known) order[bucket[x[p]!]!++] = p
    out.fill(0, 0, pairs)
    for (let at = 0; at < order.length; at++) {
      const p = order[at]!
      const found = this.firstMeeting(x[p]!, y[p]!)
      if (found !== -1) out[p] = this.weightFrom(x[p]!, found)
    }
    for (let p = 0; p < pairs; p++)
      out[p] = this.blockedPair(first[p]!, second[p]!)
        ? BLOCKED
        : RoundCostModel.priced(this.preferenceCost(first[p]!, second[p]!), out[p]!)
  }
}

export function buildCostModel(
  participants: readonly MatchParticipant[],
  history: PairHistory,
  /** The round's time on the history's week scale. */
  now: number,
  decayWeeks: number,
  /** Where the model's arrays come from: new ones unless the caller builds one model at a time. */
  scratch: Scratch = freshArrays,
): CostModel {
  return new RoundCostModel(participants, history, now, decayWeeks, scratch)
}

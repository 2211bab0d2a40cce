// Who met whom, kept per person in sorted typed arrays: a person's partners (by a stable integer id) and the
// week of each meeting. The caller keeps one across rounds and adds each round's groups, so a round reads the
// history without rebuilding it; a lookup is a binary search in one person's list. Never an N×N matrix.
import type { PastMeeting } from './types.ts'

const INITIAL_CAPACITY = 4

export class PairHistory {
  private readonly ids = new Map<string, number>()
  private partners: Int32Array[] = []
  private weeks: Float32Array[] = []
  private counts = new Int32Array(16)

  /**
   * A history from meetings given by age: the round being formed is week 0 and a meeting `ageWeeks` ago is at
   * week −ageWeeks. Meetings reported as not having happened (`met: false`) are left out.
   */
  static fromMeetings(meetings: Iterable<PastMeeting>): PairHistory {
    const history = new PairHistory()
    for (const meeting of meetings) {
      if (meeting.met === false) continue
      history.add(meeting.a, meeting.b, -Math.max(0, meeting.ageWeeks))
    }
    return history
  }

  /** People with at least one meeting. */
  get people(): number {
    return this.ids.size
  }

  /** The stable integer id of a person, or −1 when they have no history. */
  indexOf(id: string): number {
    return this.ids.get(id) ?? -1
  }

  private intern(id: string): number {
    let index = this.ids.get(id)
    if (index === undefined) {
      index = this.ids.size
      this.ids.set(id, index)
      this.partners.push(new Int32Array(INITIAL_CAPACITY))
      this.weeks.push(new Float32Array(INITIAL_CAPACITY))
      if (index >= this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2)
        grown.set(this.counts)
        this.counts = grown
      }
    }
    return index
  }

  /** First position in `of`'s list whose partner is ≥ `partner` (the list is sorted by partner, then week). */
  private lowerBound(of: number, partner: number): number {
    const list = this.partners[of]!
    let lo = 0
    let hi = this.counts[of]!
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (list[mid]! < partner) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private insert(of: number, partner: number, week: number): void {
    const count = this.counts[of]!
    let list = this.partners[of]!
    let weeks = this.weeks[of]!
    if (count === list.length) {
      const capacity = Math.ceil(count * 1.5) + 2
      const grownList = new Int32Array(capacity)
      const grownWeeks = new Float32Array(capacity)
      grownList.set(list)
      grownWeeks.set(weeks)
      this.partners[of] = list = grownList
      this.weeks[of] = weeks = grownWeeks
    }
    let at = this.lowerBound(of, partner)
    while (at < count && list[at] === partner && weeks[at]! <= week) at++
    // A plain loop: lists are short (a partner per round), and copyWithin's call costs more than the move.
    for (let move = count; move > at; move--) {
      list[move] = list[move - 1]!
      weeks[move] = weeks[move - 1]!
    }
    list[at] = partner
    weeks[at] = week
    this.counts[of] = count + 1
  }

  private delete(of: number, partner: number, week: number | undefined): boolean {
    const count = this.counts[of]!
    const list = this.partners[of]!
    const weeks = this.weeks[of]!
    let at = this.lowerBound(of, partner)
    // Without a week, the latest meeting of the pair (the last entry for that partner).
    let found = -1
    for (; at < count && list[at] === partner; at++) {
      if (week === undefined || weeks[at] === Math.fround(week)) found = at
    }
    if (found === -1) return false
    list.copyWithin(found, found + 1, count)
    weeks.copyWithin(found, found + 1, count)
    this.counts[of] = count - 1
    return true
  }

  /**
   * Records that `a` and `b` met in the round at `week` (weeks on any fixed scale, e.g. Unix time divided by one
   * week; the round being formed is then given on the same scale).
   */
  add(a: string, b: string, week: number): void {
    this.addGroups([[a, b]], week)
  }

  /** Records every pair of each group as having met at `week`. */
  addGroups(groups: Iterable<readonly string[]>, week: number): void {
    if (!Number.isFinite(week)) throw new RangeError(`week: must be a finite number, got ${week}`)
    const members: number[] = []
    for (const group of groups) {
      members.length = 0
      for (const id of group) members.push(this.intern(id))
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          if (members[x] === members[y]) continue
          this.insert(members[x]!, members[y]!, week)
          this.insert(members[y]!, members[x]!, week)
        }
      }
    }
  }

  /**
   * They reported that they did not meet: the meeting at `week` (or, without a week, the pair's latest) no longer
   * counts. Returns whether there was such a meeting.
   */
  remove(a: string, b: string, week?: number): boolean {
    const x = this.ids.get(a)
    const y = this.ids.get(b)
    if (x === undefined || y === undefined) return false
    return this.delete(x, y, week) && this.delete(y, x, week)
  }

  hasMet(a: string, b: string): boolean {
    const x = this.ids.get(a)
    const y = this.ids.get(b)
    return x !== undefined && y !== undefined && this.metAt(x, y)
  }

  /** Whether the people with integer ids x and y met. */
  metAt(x: number, y: number): boolean {
    const at = this.lowerBound(x, y)
    return at < this.counts[x]! && this.partners[x]![at] === y
  }

  /**
   * Summed weight of the meetings of x and y for a round at `now`: each counts 0.5^(age / halfLife). 0 when they
   * never met.
   */
  weightAt(x: number, y: number, now: number, halfLife: number): number {
    const list = this.partners[x]!
    const weeks = this.weeks[x]!
    const count = this.counts[x]!
    let weight = 0
    for (let at = this.lowerBound(x, y); at < count && list[at] === y; at++) {
      weight += 0.5 ** (Math.max(0, now - weeks[at]!) / halfLife)
    }
    return weight
  }

  /** Calls `visit` once for each distinct partner of the person with integer id x. */
  forEachPartner(x: number, visit: (y: number) => void): void {
    const list = this.partners[x]!
    const count = this.counts[x]!
    for (let at = 0; at < count; at++) if (at === 0 || list[at] !== list[at - 1]) visit(list[at]!)
  }

  /** Meetings recorded, each pair once per round. */
  get meetings(): number {
    let total = 0
    for (let x = 0; x < this.ids.size; x++) total += this.counts[x]!
    return total / 2
  }
}

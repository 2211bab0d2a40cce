// A round's groups as mutable search state: who is where, each group's cost, and which groups hold a
// conflict (a repeat or a blocked pair). Swaps keep every group's size.
import { type CostModel, REPEAT } from './cost-model.ts'
import { temporary } from './scratch.ts'

export class Grouping {
  readonly members: number[][]
  readonly groupOf: Int32Array
  readonly cost: Float64Array
  total = 0
  /** Groups whose cost includes a repeat or a blocked pair, with O(1) add, remove and random pick. */
  readonly conflicted: number[] = []
  private readonly conflictedAt: Int32Array

  constructor(
    readonly model: CostModel,
    groups: number[][],
    /** Take `groups` as they are instead of copying them (the caller no longer uses them). */
    adopt = false,
  ) {
    this.members = adopt ? groups : groups.map((group) => [...group])
    this.groupOf = new Int32Array(model.n).fill(-1)
    this.cost = new Float64Array(groups.length)
    this.conflictedAt = new Int32Array(groups.length).fill(-1)
    // Every pair of every group priced in one call (the cost model orders the history lookups), then summed
    // per group in the order groupCost sums them.
    let pairs = 0
    for (const group of this.members) pairs += (group.length * (group.length - 1)) / 2
    const first = temporary.int32('grouping.first', pairs)
    const second = temporary.int32('grouping.second', pairs)
    let at = 0
    for (const group of this.members) {
      for (let x = 0; x < group.length; x++) {
        for (let y = x + 1; y < group.length; y++) {
          first[at] = group[x]!
          second[at++] = group[y]!
        }
      }
    }
    const prices = temporary.float64('grouping.prices', pairs)
    model.pairCosts(first, second, pairs, prices)
    at = 0
    for (let g = 0; g < this.members.length; g++) {
      const group = this.members[g]!
      let cost = 0
      for (let x = 0; x < group.length; x++) {
        this.groupOf[group[x]!] = g
        for (let y = x + 1; y < group.length; y++) cost += prices[at++]!
      }
      this.setCost(g, cost)
    }
  }

  groupCost(group: readonly number[]): number {
    const model = this.model
    let cost = 0
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) cost += model.pairCost(group[x]!, group[y]!)
    }
    return cost
  }

  private refresh(g: number): void {
    this.setCost(g, this.groupCost(this.members[g]!))
  }

  private setCost(g: number, after: number): void {
    const before = this.cost[g]!
    this.cost[g] = after
    this.total += after - before
    const isConflicted = after >= REPEAT / 2
    const at = this.conflictedAt[g]!
    if (isConflicted && at === -1) {
      this.conflictedAt[g] = this.conflicted.length
      this.conflicted.push(g)
    } else if (!isConflicted && at !== -1) {
      const last = this.conflicted.pop()!
      if (last !== g) {
        this.conflicted[at] = last
        this.conflictedAt[last] = at
      }
      this.conflictedAt[g] = -1
    }
  }

  /** Change in total cost if p and q (in different groups) traded places. */
  swapDelta(p: number, q: number): number {
    const a = this.groupOf[p]!
    const b = this.groupOf[q]!
    if (a === b) return 0
    const model = this.model
    let delta = 0
    for (const x of this.members[a]!) if (x !== p) delta += model.pairCost(q, x) - model.pairCost(p, x)
    for (const y of this.members[b]!) if (y !== q) delta += model.pairCost(p, y) - model.pairCost(q, y)
    return delta
  }

  /**
   * swapDelta counting preferences only: while no group holds a repeat or a blocked pair, a swap lowers the
   * total exactly when this is negative (a swap that brings a repeat costs far more than any preference), so
   * the history need not be read for swaps that cannot help.
   */
  preferenceDelta(p: number, q: number): number {
    const a = this.groupOf[p]!
    const b = this.groupOf[q]!
    if (a === b) return 0
    const model = this.model
    let delta = 0
    for (const x of this.members[a]!)
      if (x !== p) delta += model.preferenceCost(q, x) - model.preferenceCost(p, x)
    for (const y of this.members[b]!)
      if (y !== q) delta += model.preferenceCost(p, y) - model.preferenceCost(q, y)
    return delta
  }

  swap(p: number, q: number): void {
    const a = this.groupOf[p]!
    const b = this.groupOf[q]!
    const groupA = this.members[a]!
    const groupB = this.members[b]!
    groupA[groupA.indexOf(p)] = q
    groupB[groupB.indexOf(q)] = p
    this.groupOf[p] = b
    this.groupOf[q] = a
    this.refresh(a)
    this.refresh(b)
  }

  /** The members of group g with a conflict inside it, in the group's order, into `out`. */
  conflictedMembers(g: number, out: number[]): void {
    const group = this.members[g]!
    let flags = 0
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) {
        if (this.model.pairCost(group[x]!, group[y]!) >= REPEAT / 2) flags |= (1 << x) | (1 << y)
      }
    }
    out.length = 0
    for (let x = 0; x < group.length; x++) if (flags & (1 << x)) out.push(group[x]!)
  }
}

// A round's groups as mutable search state: who is where, each group's cost, and which groups hold a
// conflict (a repeat or a blocked pair). Swaps keep every group's size.
import { type CostModel, REPEAT } from './cost-model.ts'

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
  ) {
    this.members = groups.map((group) => [...group])
    this.groupOf = new Int32Array(model.n).fill(-1)
    this.cost = new Float64Array(groups.length)
    this.conflictedAt = new Int32Array(groups.length).fill(-1)
    this.members.forEach((group, g) => {
      for (const person of group) this.groupOf[person] = g
      this.refresh(g)
    })
  }

  groupCost(group: readonly number[]): number {
    let cost = 0
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) cost += this.model.pairCost(group[x]!, group[y]!)
    }
    return cost
  }

  private refresh(g: number): void {
    const before = this.cost[g]!
    const after = this.groupCost(this.members[g]!)
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
    const { pairCost } = this.model
    let delta = 0
    for (const x of this.members[a]!) if (x !== p) delta += pairCost(q, x) - pairCost(p, x)
    for (const y of this.members[b]!) if (y !== q) delta += pairCost(p, y) - pairCost(q, y)
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

  /** Conflicts p has inside its own group. */
  conflictsOf(p: number): number {
    let count = 0
    for (const x of this.members[this.groupOf[p]!]!) {
      if (x !== p && this.model.pairCost(p, x) >= REPEAT / 2) count++
    }
    return count
  }

  snapshot(): number[][] {
    return this.members.map((group) => [...group])
  }
}

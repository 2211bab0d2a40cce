import { describe, expect, it } from 'bun:test'
import { planGroupSizes } from '../src/group-sizes.ts'

describe('planGroupSizes', () => {
  it('lets groups of k+1 absorb the remainder by default', () => {
    expect(planGroupSizes(10, 4)).toEqual({ sizes: [5, 5], leftOut: 0 })
    expect(planGroupSizes(7, 2)).toEqual({ sizes: [3, 2, 2], leftOut: 0 })
    expect(planGroupSizes(12, 3)).toEqual({ sizes: [3, 3, 3, 3], leftOut: 0 })
  })

  it('never makes a group larger than k + 1: more remainder than groups means smaller groups', () => {
    expect(planGroupSizes(6, 4)).toEqual({ sizes: [3, 3], leftOut: 0 })
    expect(planGroupSizes(8, 6)).toEqual({ sizes: [4, 4], leftOut: 0 })
    expect(planGroupSizes(5, 4)).toEqual({ sizes: [5], leftOut: 0 })
  })

  it('forms smaller groups when asked, but never a group of one', () => {
    expect(planGroupSizes(10, 4, 'smaller-groups')).toEqual({ sizes: [4, 3, 3], leftOut: 0 })
    expect(planGroupSizes(7, 2, 'smaller-groups')).toEqual({ sizes: [3, 2, 2], leftOut: 0 })
  })

  it('leaves the remainder out when the policy says so', () => {
    expect(planGroupSizes(11, 4, 'leave-out')).toEqual({ sizes: [4, 4], leftOut: 3 })
  })

  it('puts everyone in one group when there are fewer than k, and nobody alone', () => {
    expect(planGroupSizes(3, 4)).toEqual({ sizes: [3], leftOut: 0 })
    expect(planGroupSizes(1, 2)).toEqual({ sizes: [], leftOut: 1 })
    expect(planGroupSizes(0, 2)).toEqual({ sizes: [], leftOut: 0 })
  })
})

import { describe, expect, it } from 'bun:test'
import { Blocks, type ParticipantIds } from '../src/blocks.ts'
import { fingerprintId, IdTable } from '../src/id-table.ts'

/** A round's participants for Blocks, fingerprinted with `fingerprint`. */
function participants(ids: string[], fingerprint: (id: string, out: Int32Array) => void): ParticipantIds {
  const table = new IdTable()
  const hash = new Int32Array(2)
  for (const id of ids) {
    fingerprint(id, hash)
    table.add(id, hash[0]!, hash[1]!)
  }
  return {
    n: ids.length,
    idOf: (i) => table.idOf(i),
    find: (id, first, second) => table.find(id, first, second),
    byFingerprint: (first, second) => table.byFingerprint(first, second),
  }
}

describe('Blocks', () => {
  it('holds a block either way, and ignores ids of people not taking part', () => {
    const ids = ['ada', 'ben', 'cem']
    const blocks = new Blocks(
      participants(ids, fingerprintId),
      (i) => [['ben', 'zoe'], [], ['ada', 'cem']][i],
    )
    expect(blocks.isBlocked(0, 1)).toBe(true)
    expect(blocks.isBlocked(1, 0)).toBe(true)
    expect(blocks.isBlocked(2, 0)).toBe(true)
    expect(blocks.isBlocked(1, 2)).toBe(false)
    expect([...blocks.of(0)].sort()).toEqual([1, 2])
    // Blocking oneself is no block.
    expect(blocks.mayHave(2)).toBe(true)
    expect([...blocks.of(2)]).toEqual([0])
  })

  it('confirms a block found by fingerprint: an id that only shares a fingerprint blocks nobody', () => {
    // A fingerprint by length: 'zed' (not taking part) looks like 'ada'.
    const byLength = (id: string, out: Int32Array) => {
      out[0] = id.length
      out[1] = 0
    }
    const ids = ['ada', 'bo']
    const blocks = new Blocks(participants(ids, byLength), (i) => [[], ['zed']][i], byLength)
    expect(blocks.mayHave(1)).toBe(true)
    expect(blocks.isBlocked(1, 0)).toBe(false)
    expect(blocks.isBlocked(0, 1)).toBe(false)
    expect([...blocks.of(1)]).toEqual([])
    const real = new Blocks(participants(ids, byLength), (i) => [[], ['ada']][i], byLength)
    expect(real.isBlocked(0, 1)).toBe(true)
    expect([...real.of(0)]).toEqual([1])
  })

  it('looks an id up exactly where participants share its fingerprint', () => {
    const constant = (_: string, out: Int32Array) => {
      out[0] = 1
      out[1] = 2
    }
    const ids = ['ada', 'ben', 'cem']
    const blocks = new Blocks(participants(ids, constant), (i) => [['cem'], [], ['zoe']][i], constant)
    expect(blocks.isBlocked(0, 2)).toBe(true)
    expect(blocks.isBlocked(0, 1)).toBe(false)
    expect([...blocks.of(2)]).toEqual([0])
  })

  it('holds more blocked ids than people (their list grows) and reads an id again only to confirm it', () => {
    const ids = ['ada', 'ben', 'cem']
    const lists = [['x1', 'x2', 'x3', 'ben', 'x4', 'x5', 'cem', 'x6'], [], ['x7', 'ada', 'ada']]
    let reads = 0
    const blocks = new Blocks(participants(ids, fingerprintId), (i) => {
      reads++
      return lists[i]
    })
    const collected = reads
    expect([...blocks.of(0)].sort()).toEqual([1, 2, 2, 2])
    expect(blocks.isBlocked(1, 0)).toBe(true)
    expect(blocks.isBlocked(1, 2)).toBe(false)
    expect([...blocks.of(2)]).toEqual([0, 0, 0])
    // One pass over the lists to collect them; later reads only confirm blocks found by fingerprint.
    expect(collected).toBe(3)
  })
})

import { describe, expect, it } from 'bun:test'
import { fingerprintId, IdTable, SHARED } from '../src/id-table.ts'

const fingerprint = (id: string): [number, number] => {
  const out = new Int32Array(2)
  fingerprintId(id, out)
  return [out[0]!, out[1]!]
}

describe('IdTable', () => {
  it('numbers ids in the order they are added and finds each again', () => {
    const table = new IdTable()
    const ids = Array.from({ length: 1_000 }, (_, i) => `member-${i}`)
    ids.forEach((id, i) => {
      expect(table.add(id, ...fingerprint(id))).toBe(i)
    })
    expect(table.size).toBe(1_000)
    expect(table.add('member-7', ...fingerprint('member-7'))).toBe(7)
    for (const [i, id] of ids.entries()) {
      expect(table.find(id, ...fingerprint(id))).toBe(i)
      expect(table.idOf(i)).toBe(id)
    }
    expect(table.find('member-1000', ...fingerprint('member-1000'))).toBe(-1)
  })

  it('tells apart two ids with the same fingerprint, and says the fingerprint is shared', () => {
    const table = new IdTable()
    expect(table.add('ada', 7, 9)).toBe(0)
    expect(table.byFingerprint(7, 9)).toBe(0)
    expect(table.add('ben', 7, 9)).toBe(1)
    expect(table.find('ada', 7, 9)).toBe(0)
    expect(table.find('ben', 7, 9)).toBe(1)
    expect(table.find('cem', 7, 9)).toBe(-1)
    expect(table.byFingerprint(7, 9)).toBe(SHARED)
    expect(table.byFingerprint(7, 10)).toBe(-1)
  })

  it('gives different ids different fingerprints', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 100_000; i++) seen.add(fingerprint(`p${i}`).join())
    expect(seen.size).toBe(100_000)
  })
})

import { describe, expect, it } from 'bun:test'
import { toUtcWorkingWindow } from '../src/working-window.ts'

describe('toUtcWorkingWindow', () => {
  it('follows daylight saving time', () => {
    const hours = { start: '09:00', end: '17:00' }
    expect(toUtcWorkingWindow(hours, 'Europe/Berlin', new Date('2026-01-12T12:00:00Z'))).toEqual({
      start: 480,
      end: 960,
    })
    expect(toUtcWorkingWindow(hours, 'Europe/Berlin', new Date('2026-07-13T12:00:00Z'))).toEqual({
      start: 420,
      end: 900,
    })
  })

  it('wraps windows that cross midnight UTC', () => {
    const window = toUtcWorkingWindow(
      { start: '09:00', end: '17:00' },
      'Asia/Tokyo',
      new Date('2026-03-02T00:00:00Z'),
    )
    expect(window).toEqual({ start: 0, end: 480 })
    const la = toUtcWorkingWindow(
      { start: '09:00', end: '17:00' },
      'America/Los_Angeles',
      new Date('2026-01-12T20:00:00Z'),
    )
    expect(la).toEqual({ start: 1020, end: 1500 })
  })
})

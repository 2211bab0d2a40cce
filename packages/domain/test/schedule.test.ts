import { describe, expect, it } from 'bun:test'
import { nextRoundTimes, toCronExpression } from '../src/schedule.ts'
import { isIanaTimeZone } from '../src/time-zone.ts'

describe('schedule', () => {
  it('turns a weekday and time into a cron expression', () => {
    expect(toCronExpression({ kind: 'weekly', weekday: 'monday', time: '09:00' })).toBe('0 9 * * 1')
    expect(toCronExpression({ kind: 'weekly', weekday: 'sunday', time: '18:30' })).toBe('30 18 * * 0')
  })

  it('keeps Monday 09:00 Berlin at 09:00 local across the change to summer time', () => {
    const times = nextRoundTimes(
      { kind: 'weekly', weekday: 'monday', time: '09:00' },
      'Europe/Berlin',
      new Date('2026-03-20T00:00:00Z'),
      3,
    )
    // 2026-03-29 is the switch to CEST: 08:00 UTC before, 07:00 UTC after.
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ])
  })

  it('knows IANA names and refuses made-up ones', () => {
    expect(isIanaTimeZone('America/New_York')).toBe(true)
    expect(isIanaTimeZone('UTC')).toBe(true)
    expect(isIanaTimeZone('Mars/Olympus')).toBe(false)
    expect(isIanaTimeZone('CEST')).toBe(false)
  })
})

import { describe, expect, it } from 'bun:test'
import { suggestMeetingTimes } from '../src/meeting-times.ts'

const nineToFive = { start: '09:00', end: '17:00' }

describe('suggestMeetingTimes', () => {
  it('finds the shared hours of Berlin and New York on weekdays, one per day', () => {
    // Friday 2026-03-06 12:00 UTC.
    const times = suggestMeetingTimes(
      [
        { timeZone: 'Europe/Berlin', workingHours: nineToFive },
        { timeZone: 'America/New_York', workingHours: nineToFive },
      ],
      new Date('2026-03-06T12:00:00Z'),
    )
    // Berlin 09–17 is 08–16 UTC; New York 09–17 is 14–22 UTC: they share 14:00–16:00 UTC.
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z', // New York moved to summer time on 8 March: 09:00 there is 13:00 UTC
      '2026-03-10T13:00:00.000Z',
    ])
  })

  it("finds the hour Tokyo's morning shares with California's afternoon of the day before", () => {
    const times = suggestMeetingTimes(
      [
        { timeZone: 'Asia/Tokyo', workingHours: nineToFive },
        { timeZone: 'America/Los_Angeles', workingHours: nineToFive },
      ],
      new Date('2026-01-13T00:00:00Z'), // Tuesday
    )
    // Tokyo 09:00 (00:00 UTC) is 16:00 in Los Angeles (PST), so 00:00–01:00 UTC works, Tuesday to Friday in Tokyo.
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-01-13T00:00:00.000Z',
      '2026-01-14T00:00:00.000Z',
      '2026-01-15T00:00:00.000Z',
    ])
  })

  it('finds nothing when working hours never overlap', () => {
    expect(
      suggestMeetingTimes(
        [
          { timeZone: 'Asia/Tokyo', workingHours: { start: '09:00', end: '12:00' } },
          { timeZone: 'Europe/London', workingHours: { start: '09:00', end: '12:00' } },
        ],
        new Date('2026-03-06T00:00:00Z'),
      ),
    ).toEqual([])
  })
})

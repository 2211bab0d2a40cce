// Inputs the tests share: a group of three across three time zones, one of them with a hostile profile.
import type { Clock } from '../../src/rate-limiter.ts'
import type { MatchNotificationInput } from '../../src/templates/match-notification.ts'

export const hostileName = 'Eve <script>alert("x")</script> & *Co*'
export const hostileBio =
  'I write <b>bold</b> *claims*, _italics_ & <!channel> [links](https://evil.test) <img src=x onerror=alert(1)>'

export const links = {
  met: 'https://percolate.test/m/r1/met?t=abc',
  didNotMeet: 'https://percolate.test/m/r1/didnt?t=abc',
  pause: 'https://percolate.test/pause?t=abc',
  unsubscribe: 'https://percolate.test/unsubscribe?t=abc',
}

// Monday 9 March 2026, 08:00 UTC: Berlin is on CET (UTC+1), New York already on EDT (UTC−4).
export const roundAt = new Date('2026-03-09T08:00:00Z')

export function matchInput(overrides: Partial<MatchNotificationInput> = {}): MatchNotificationInput {
  return {
    deploymentName: 'Acme Berlin',
    recipient: { name: 'Ada Lovelace', timeZone: 'Europe/Berlin' },
    others: [
      {
        name: 'Grace Hopper',
        timeZone: 'America/New_York',
        department: 'Compilers',
        location: 'New York',
        bio: 'Navy, COBOL, nanoseconds.',
        interests: ['sailing', 'teaching'],
        email: 'grace@acme.test',
      },
      {
        name: hostileName,
        timeZone: 'Asia/Tokyo',
        department: 'Security',
        bio: hostileBio,
        email: 'eve@acme.test',
      },
    ],
    reason: 'first meeting; different departments; 2 h of shared working hours',
    suggestedTimes: [new Date('2026-03-09T14:00:00Z'), new Date('2026-03-10T14:30:00Z')],
    now: roundAt,
    links,
    ...overrides,
  }
}

export const invite = {
  round: { deploymentId: 'acme', scheduledAt: roundAt.toISOString() },
  groupIndex: 4,
  uidDomain: 'percolate.test',
  start: new Date('2026-03-09T14:00:00Z'),
  durationMinutes: 30,
  summary: 'Percolate: Ada, Grace and Eve',
  description: 'Why: first meeting; different departments.',
  organizer: { name: 'Percolate', email: 'percolate@acme.test' },
  attendees: [
    { name: 'Ada Lovelace', email: 'ada@acme.test' },
    { name: 'Grace Hopper', email: 'grace@acme.test' },
    { name: hostileName, email: 'eve@acme.test' },
  ],
  stamp: roundAt,
}

/** A clock that only moves when someone sleeps on it. */
export class ManualClock implements Clock {
  slept: number[] = []
  constructor(public time = 0) {}
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.slept.push(ms)
    this.time += Math.max(0, ms)
  }
}

export const message = {
  id: 'acme#2026-03-09T08:00:00.000Z#grp4#ada#email',
  subject: 'Hello',
  text: 'Hello there',
}

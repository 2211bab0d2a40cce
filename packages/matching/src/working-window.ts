// Turns local working hours into a window in UTC minutes for the round's date, DST included (Intl's IANA data).

function offsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '')
  if (!match) return 0
  const minutes = Number(match[2]) * 60 + Number(match[3])
  return match[1] === '-' ? -minutes : minutes
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** `{ start: "09:00", end: "17:00" }` in `timeZone` on `at`'s date → `{ start, end }` minutes after 00:00 UTC. */
export function toUtcWorkingWindow(
  hours: { start: string; end: string },
  timeZone: string,
  at: Date,
): { start: number; end: number } {
  const offset = offsetMinutes(timeZone, at)
  const start = (((minutesOf(hours.start) - offset) % 1440) + 1440) % 1440
  return { start, end: start + (minutesOf(hours.end) - minutesOf(hours.start)) }
}

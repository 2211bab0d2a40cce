// Times a group could meet: half-hour slots inside everyone's working hours, on their own weekdays, each read in
// their own time zone (DST included, through Intl's IANA data).
import { minutesOfDay } from './time-zone.ts'

export interface Availability {
  timeZone: string
  workingHours: { start: string; end: string }
}

const SLOT_MINUTES = 30
const HORIZON_DAYS = 14

function localClock(timeZone: string, at: Date): { weekday: string; minutes: number; day: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return {
    weekday: part('weekday'),
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
    day: `${part('year')}-${part('month')}-${part('day')}`,
  }
}

/**
 * Up to `count` meeting starts (UTC instants) after `after`, at most one per day of the first person's calendar,
 * where a `duration`-minute meeting fits everyone's working hours on a weekday of theirs.
 */
export function suggestMeetingTimes(
  people: readonly Availability[],
  after: Date,
  count = 3,
  duration = SLOT_MINUTES,
): Date[] {
  if (people.length === 0) return []
  const step = SLOT_MINUTES * 60_000
  let at = Math.ceil(after.getTime() / step) * step
  const end = after.getTime() + HORIZON_DAYS * 86_400_000
  const found: Date[] = []
  const days = new Set<string>()
  for (; at < end && found.length < count; at += step) {
    const instant = new Date(at)
    const fits = people.every((person) => {
      const clock = localClock(person.timeZone, instant)
      if (clock.weekday === 'Sat' || clock.weekday === 'Sun') return false
      return (
        clock.minutes >= minutesOfDay(person.workingHours.start) &&
        clock.minutes + duration <= minutesOfDay(person.workingHours.end)
      )
    })
    if (!fits) continue
    const day = localClock(people[0]!.timeZone, instant).day
    if (days.has(day)) continue
    days.add(day)
    found.push(instant)
  }
  return found
}

// Times a group could meet: half-hour slots inside everyone's working hours, on their own weekdays, each read in
// their own time zone (DST included, through Intl's IANA data).
import { minutesOfDay } from './time-zone.ts'

export interface Availability {
  timeZone: string
  workingHours: { start: string; end: string }
}

const SLOT_MINUTES = 30
const HORIZON_DAYS = 14

// Building an Intl.DateTimeFormat costs far more than using one: one per time zone, kept.
const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formats.set(timeZone, format)
  }
  return format
}

function localClock(timeZone: string, at: Date): { weekday: string; minutes: number; day: string } {
  const parts = formatFor(timeZone).formatToParts(at)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return {
    weekday: part('weekday'),
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
    day: `${part('year')}-${part('month')}-${part('day')}`,
  }
}

/** Minutes the zone is ahead of UTC at `at`, and the local weekday and date there. */
function zoneAt(timeZone: string, at: Date) {
  const clock = localClock(timeZone, at)
  const utcMinutes = at.getUTCHours() * 60 + at.getUTCMinutes()
  let offset = clock.minutes - utcMinutes
  if (offset > 720) offset -= 1440
  if (offset < -720) offset += 1440
  return { offset, weekday: clock.weekday, day: clock.day }
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/**
 * Up to `count` meeting starts (UTC instants) after `after`, at most one per UTC day, where a `duration`-minute
 * meeting fits everyone's working hours on a weekday of theirs, read in their own zone. Each zone's offset is
 * read once a day (at UTC noon; zones change offset at night, outside working hours), then every half hour of
 * the day is checked with arithmetic, so windows that cross midnight for someone (Tokyo and California) count.
 */
export function suggestMeetingTimes(
  people: readonly Availability[],
  after: Date,
  count = 3,
  duration = SLOT_MINUTES,
): Date[] {
  if (people.length === 0) return []
  const step = SLOT_MINUTES * 60_000
  const earliest = Math.ceil(after.getTime() / step) * step
  const firstDay = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate())
  const hours = people.map((p) => ({
    start: minutesOfDay(p.workingHours.start),
    end: minutesOfDay(p.workingHours.end),
  }))
  const found: Date[] = []
  for (let d = 0; d <= HORIZON_DAYS && found.length < count; d++) {
    const dayStart = firstDay + d * 86_400_000
    const zones = people.map((p) => zoneAt(p.timeZone, new Date(dayStart + 12 * 3_600_000)))
    for (let minute = 0; minute < 1440; minute += SLOT_MINUTES) {
      const at = dayStart + minute * 60_000
      if (at < earliest) continue
      const fits = zones.every((zone, i) => {
        const local = minute + zone.offset
        const shift = Math.floor(local / 1440) - Math.floor((720 + zone.offset) / 1440)
        const weekday = WEEKDAYS[(WEEKDAYS.indexOf(zone.weekday) + shift + 7) % 7]
        if (weekday === 'Sat' || weekday === 'Sun') return false
        const clock = ((local % 1440) + 1440) % 1440
        return clock >= hours[i]!.start && clock + duration <= hours[i]!.end
      })
      if (fits) {
        found.push(new Date(at))
        break
      }
    }
  }
  return found
}

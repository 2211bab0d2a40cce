// Dates and times as a recipient reads them: in their own IANA time zone, with the zone's abbreviation.

const DEFAULT_LOCALE = 'en-GB'

/** "Tuesday 10 March, 15:00 CET" in `timeZone`. */
export function formatMeetingTime(at: Date, timeZone: string, locale: string = DEFAULT_LOCALE): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at)
}

/** "14:05" in `timeZone`. */
export function formatClock(at: Date, timeZone: string, locale: string = DEFAULT_LOCALE): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(at)
}

/** "Monday 9 March" in `timeZone`. */
export function formatDay(at: Date, timeZone: string, locale: string = DEFAULT_LOCALE): string {
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(
    at,
  )
}

/** "Europe/Berlin" → "Berlin", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function cityOf(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replaceAll('_', ' ')
}

/** Names as a sentence: "Ada", "Ada and Grace", "Ada, Grace and Linus". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? ''
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

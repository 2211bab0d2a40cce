// "Add to calendar": a one-event iCalendar file (RFC 5545) for a suggested meeting time, as a data: URL.

const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
const escapeText = (text: string) => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')

export function calendarEventUrl(event: {
  start: string
  minutes: number
  title: string
  description: string
}) {
  const start = new Date(event.start)
  const end = new Date(start.getTime() + event.minutes * 60_000)
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Percolate//Web//EN',
    'BEGIN:VEVENT',
    `UID:${stamp(start)}-${encodeURIComponent(event.title)}@percolate`,
    `DTSTAMP:${stamp(new Date())}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:${escapeText(event.title)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n')
  return `data:text/calendar;charset=utf-8,${encodeURIComponent(ics)}`
}

// Reads an .ics back with a calendar library (ical.js), the way a mail client would.
import ICAL from 'ical.js'

export function parseInvite(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics))
  const vevent = calendar.getFirstSubcomponent('vevent')
  if (!vevent) throw new Error('the invite has no VEVENT')
  const event = new ICAL.Event(vevent)
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.uid,
    start: event.startDate.toJSDate(),
    startZone: event.startDate.zone?.tzid,
    end: event.endDate.toJSDate(),
    summary: event.summary,
    organizer: String(vevent.getFirstPropertyValue('organizer')),
    attendees: event.attendees.map((attendee) => ({
      email: String(attendee.getFirstValue()).replace(/^mailto:/i, ''),
      name: attendee.getParameter('cn'),
      partstat: attendee.getParameter('partstat'),
      role: attendee.getParameter('role'),
    })),
  }
}

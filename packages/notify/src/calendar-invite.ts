// The .ics invite sent with a match: METHOD:REQUEST, every group member an attendee, DTSTART in UTC, and a UID
// stable per (round, group) so a resend or a second member's copy updates the same calendar entry.
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator'
import type { MessageAttachment } from './channel.ts'

export interface InvitePerson {
  name: string
  email: string
}

export interface MeetingInviteInput {
  /** The round's identity: deployment and scheduled time (ISO 8601 UTC). */
  round: { deploymentId: string; scheduledAt: string }
  groupIndex: number
  /** Right-hand side of the UID, e.g. the deployment's host name. */
  uidDomain: string
  start: Date
  durationMinutes: number
  summary: string
  description: string
  /** The sending identity: RFC 5546 requires an ORGANIZER on a REQUEST. */
  organizer: InvitePerson
  attendees: InvitePerson[]
  url?: string
  /** DTSTAMP: when this version of the invite was made (deterministic when the caller passes the round time). */
  stamp: Date
  /** Bump to update an invite already sent (a new time, for one). */
  sequence?: number
}

/** `demo.20260309T080000Z.group-3@percolate.example.com`: the same for every copy of one group's invite. */
export function meetingUid(
  round: MeetingInviteInput['round'],
  groupIndex: number,
  uidDomain: string,
): string {
  const compact = new Date(round.scheduledAt)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  return `${round.deploymentId}.${compact}.group-${groupIndex}@${uidDomain}`
}

export function createMeetingInvite(input: MeetingInviteInput): string {
  const calendar = ical({
    prodId: { company: 'Percolate', product: 'Percolate', language: 'EN' },
    method: ICalCalendarMethod.REQUEST,
  })
  calendar.createEvent({
    id: meetingUid(input.round, input.groupIndex, input.uidDomain),
    sequence: input.sequence ?? 0,
    stamp: input.stamp,
    start: input.start,
    end: new Date(input.start.getTime() + input.durationMinutes * 60_000),
    summary: input.summary,
    description: input.description,
    status: ICalEventStatus.CONFIRMED,
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: input.attendees.map((person) => ({
      name: person.name,
      email: person.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: true,
    })),
    ...(input.url && { url: input.url }),
  })
  return calendar.toString()
}

export function meetingInviteAttachment(ics: string): MessageAttachment {
  return { filename: 'invite.ics', contentType: 'text/calendar; charset=UTF-8; method=REQUEST', content: ics }
}

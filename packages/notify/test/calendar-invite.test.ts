import { describe, expect, it } from 'bun:test'
import { createMeetingInvite, meetingUid } from '../src/calendar-invite.ts'
import { hostileName, invite } from './support/fixtures.ts'
import { parseInvite } from './support/parse-ics.ts'

describe('createMeetingInvite', () => {
  it('is a REQUEST with every member as a required attendee and the sender as organizer', () => {
    const parsed = parseInvite(createMeetingInvite(invite))
    expect(parsed.method).toBe('REQUEST')
    expect(parsed.organizer).toBe('mailto:percolate@acme.test')
    expect(parsed.attendees).toEqual([
      { email: 'ada@acme.test', name: 'Ada Lovelace', partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' },
      { email: 'grace@acme.test', name: 'Grace Hopper', partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' },
      { email: 'eve@acme.test', name: hostileName, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' },
    ])
    expect(parsed.summary).toBe('Percolate: Ada, Grace and Eve')
  })

  it('starts and ends in UTC', () => {
    const ics = createMeetingInvite(invite)
    expect(ics).toContain('\r\nDTSTART:20260309T140000Z\r\n')
    const parsed = parseInvite(ics)
    expect(parsed.startZone).toBe('UTC')
    expect(parsed.end.getTime() - parsed.start.getTime()).toBe(30 * 60_000)
  })

  it('keeps the same UID for every copy of one group and a different one per group and round', () => {
    const forAda = createMeetingInvite(invite)
    const forGrace = createMeetingInvite({ ...invite, attendees: [...invite.attendees].reverse() })
    expect(parseInvite(forAda).uid).toBe(parseInvite(forGrace).uid)
    expect(meetingUid(invite.round, 4, 'percolate.test')).toBe('acme.20260309T080000Z.group-4@percolate.test')
    expect(meetingUid(invite.round, 5, 'percolate.test')).not.toBe(parseInvite(forAda).uid)
    expect(
      meetingUid({ ...invite.round, scheduledAt: '2026-03-16T08:00:00.000Z' }, 4, 'percolate.test'),
    ).not.toBe(parseInvite(forAda).uid)
  })

  it('is the same text for the same input (no clock inside)', () => {
    expect(createMeetingInvite(invite)).toBe(createMeetingInvite(invite))
  })

  it('escapes a name with quotes (RFC 6868) so it reads back whole and the address stays intact', () => {
    expect(hostileName).toContain('"')
    const ics = createMeetingInvite(invite)
    expect(ics).not.toContain('alert("x")')
    const eve = parseInvite(ics).attendees[2]!
    expect(eve).toMatchObject({ name: hostileName, email: 'eve@acme.test' })
  })
})

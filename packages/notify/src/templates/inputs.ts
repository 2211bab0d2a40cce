// What the templates take: plain data the dispatcher loads, never database rows or clocks.
import type { Profile } from '@percolate/domain/member'

/** Who a notification is for: names and times are written for them, in their own time zone. */
export interface Recipient {
  name: string
  timeZone: Profile['timeZone']
  /** BCP 47 locale for dates and times (default en-GB). */
  locale?: string
}

/** What a group member shows the others: their profile snippet. */
export type MemberProfile = Pick<Profile, 'name' | 'timeZone'> &
  Partial<Pick<Profile, 'department' | 'location' | 'bio' | 'interests'>> & {
    /** Shown so the group can write to each other; omit to keep it private. */
    email?: string
  }

/** Links every message carries: pausing from any notification is one click. */
export interface FooterLinks {
  /** Page where the member pauses (GET shows a confirmation, changes nothing). */
  pause: string
  /** One-click endpoint for `List-Unsubscribe` (RFC 8058 POST); a signed, expiring token in it. */
  unsubscribe: string
}

/** The footer's "why you get this" line, shared by every template. */
export function footerFor(deploymentName: string, links: FooterLinks) {
  return [
    `You get this because you take part in ${deploymentName} on Percolate. `,
    { text: 'Pause me', url: links.pause },
    ' to stop new matches; you can come back any time.',
  ]
}

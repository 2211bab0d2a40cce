// "You were matched": who, their profiles, why this group, times in the recipient's own zone, and one-click
// answers. With an invite, the email carries it as an .ics attachment.
import { createMeetingInvite, type MeetingInviteInput, meetingInviteAttachment } from '../calendar-invite.ts'
import {
  asSentence,
  type ContentBlock,
  type NotificationContent,
  type PersonCard,
} from '../content/content.ts'
import { cityOf, formatClock, formatMeetingTime, joinNames } from '../content/format-time.ts'
import { type RenderedMessage, renderMessage } from '../render/render-message.ts'
import { type FooterLinks, footerFor, type MemberProfile, type Recipient } from './inputs.ts'

export interface MatchNotificationInput {
  deploymentName: string
  recipient: Recipient
  /** The others in the group, without the recipient. */
  others: MemberProfile[]
  /** The matching's human reason: "first meeting; different departments; 3 h of shared working hours". */
  reason: string
  /** Meeting starts that suit everyone (UTC instants, e.g. from `suggestMeetingTimes`). */
  suggestedTimes: Date[]
  /** "Now" for the members' local clocks. */
  now: Date
  links: FooterLinks & { met: string; didNotMeet: string }
  /** Attach a calendar invite (email only). */
  invite?: MeetingInviteInput
}

export function matchNotificationContent(input: MatchNotificationInput): NotificationContent {
  const { recipient } = input
  const names = joinNames(input.others.map((person) => person.name))
  const blocks: ContentBlock[] = [
    { kind: 'heading', text: `Hi ${recipient.name}, meet ${names}` },
    {
      kind: 'paragraph',
      content: [
        `This round of ${input.deploymentName} put you together. `,
        { text: 'Why: ', strong: true },
        asSentence(input.reason),
      ],
    },
    { kind: 'people', people: input.others.map((person) => personCard(person, input.now, recipient.locale)) },
  ]
  if (input.suggestedTimes.length > 0) {
    blocks.push({
      kind: 'list',
      title: `Times that suit everyone (your time, ${cityOf(recipient.timeZone)})`,
      items: input.suggestedTimes.map((at) => formatMeetingTime(at, recipient.timeZone, recipient.locale)),
    })
  } else {
    blocks.push({
      kind: 'paragraph',
      content: ["Your working hours don't overlap this week: agree on a time that works for all of you."],
    })
  }
  const emails = input.others.flatMap((person) => (person.email ? [person.email] : []))
  blocks.push({
    kind: 'paragraph',
    content: [
      emails.length > 0 ? `Say hello and pick a time: ${emails.join(', ')}. ` : 'Say hello and pick a time. ',
      input.invite ? 'The attached invite holds the first time; move it if another suits you better. ' : '',
      'Afterwards, tell us how it went:',
    ],
  })
  blocks.push({
    kind: 'actions',
    actions: [
      { label: 'We met', url: input.links.met, style: 'primary' },
      { label: "We didn't meet", url: input.links.didNotMeet },
      { label: 'Pause me', url: input.links.pause },
    ],
  })
  return {
    subject: `You're meeting ${names}`,
    preview: `Why: ${input.reason}`,
    blocks,
    footer: footerFor(input.deploymentName, input.links),
  }
}

function personCard(person: MemberProfile, now: Date, locale: string | undefined): PersonCard {
  const facts = [person.department, person.location].filter((fact): fact is string => Boolean(fact))
  facts.push(
    `${formatClock(now, person.timeZone, locale)} now in ${cityOf(person.timeZone)} (${person.timeZone})`,
  )
  return {
    name: person.name,
    facts,
    ...(person.bio && { bio: person.bio }),
    ...(person.interests && person.interests.length > 0 && { interests: person.interests }),
  }
}

export function renderMatchNotification(input: MatchNotificationInput): Promise<RenderedMessage> {
  return renderMessage(matchNotificationContent(input), {
    unsubscribeUrl: input.links.unsubscribe,
    attachments: input.invite ? [meetingInviteAttachment(createMeetingInvite(input.invite))] : [],
  })
}

// "Did you meet?": one click records it, and the next rounds learn from it (pairs who did not meet may meet again).
import type { NotificationContent } from '../content/content.ts'
import { formatDay, joinNames } from '../content/format-time.ts'
import { type RenderedMessage, renderMessage } from '../render/render-message.ts'
import { type FooterLinks, footerFor, type Recipient } from './inputs.ts'

export interface CheckInInput {
  deploymentName: string
  recipient: Recipient
  /** Names of the others in the group. */
  others: { name: string }[]
  /** The round that grouped them. */
  roundAt: Date
  links: FooterLinks & { met: string; didNotMeet: string }
}

export function checkInContent(input: CheckInInput): NotificationContent {
  const { recipient } = input
  const names = joinNames(input.others.map((person) => person.name))
  return {
    subject: `Did you meet ${names}?`,
    preview: 'One click tells us, and helps the next rounds.',
    blocks: [
      { kind: 'heading', text: `Hi ${recipient.name}, did you meet ${names}?` },
      {
        kind: 'paragraph',
        content: [
          `The round on ${formatDay(input.roundAt, recipient.timeZone, recipient.locale)} put you together. `,
          'One click tells us how it went. If you did not meet, you may be matched again later.',
        ],
      },
      {
        kind: 'actions',
        actions: [
          { label: 'We met', url: input.links.met, style: 'primary' },
          { label: "We didn't meet", url: input.links.didNotMeet },
          { label: 'Pause me', url: input.links.pause },
        ],
      },
    ],
    footer: footerFor(input.deploymentName, input.links),
  }
}

export function renderCheckIn(input: CheckInInput): Promise<RenderedMessage> {
  return renderMessage(checkInContent(input), { unsubscribeUrl: input.links.unsubscribe })
}

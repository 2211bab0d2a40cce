// Before an opt-in round: only people who say yes are matched, so ask in time.
import type { ContentBlock, NotificationContent } from '../content/content.ts'
import { formatDay, formatMeetingTime } from '../content/format-time.ts'
import { type RenderedMessage, renderMessage } from '../render/render-message.ts'
import { type FooterLinks, footerFor, type Recipient } from './inputs.ts'

export interface OptInReminderInput {
  deploymentName: string
  recipient: Recipient
  roundAt: Date
  /** Answers count until then (default: until the round runs). */
  optInBy?: Date
  links: FooterLinks & { optIn: string }
}

export function optInReminderContent(input: OptInReminderInput): NotificationContent {
  const { recipient } = input
  const zone = recipient.timeZone
  const blocks: ContentBlock[] = [
    { kind: 'heading', text: `Hi ${recipient.name}, are you in for the next round?` },
    {
      kind: 'paragraph',
      content: [
        `The next ${input.deploymentName} round runs `,
        { text: formatMeetingTime(input.roundAt, zone, recipient.locale), strong: true },
        '. Rounds are opt-in: only the people who say yes are matched.',
      ],
    },
  ]
  if (input.optInBy) {
    blocks.push({
      kind: 'paragraph',
      content: [
        'Say yes by ',
        { text: formatMeetingTime(input.optInBy, zone, recipient.locale), strong: true },
        '.',
      ],
    })
  }
  blocks.push({
    kind: 'actions',
    actions: [
      { label: 'Count me in', url: input.links.optIn, style: 'primary' },
      { label: 'Pause me', url: input.links.pause },
    ],
  })
  return {
    subject: `Join the ${input.deploymentName} round on ${formatDay(input.roundAt, zone, recipient.locale)}?`,
    preview: 'Only the people who say yes are matched.',
    blocks,
    footer: footerFor(input.deploymentName, input.links),
  }
}

export function renderOptInReminder(input: OptInReminderInput): Promise<RenderedMessage> {
  return renderMessage(optInReminderContent(input), { unsubscribeUrl: input.links.unsubscribe })
}

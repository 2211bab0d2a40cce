// "You were not matched this round, and why": nobody is left out silently.
import { asSentence, type ContentBlock, type NotificationContent } from '../content/content.ts'
import { formatMeetingTime } from '../content/format-time.ts'
import { type RenderedMessage, renderMessage } from '../render/render-message.ts'
import { type FooterLinks, footerFor, type Recipient } from './inputs.ts'

export interface NotMatchedInput {
  deploymentName: string
  recipient: Recipient
  /** The matching's reason, e.g. "odd number of participants and groups are capped at 2". */
  reason: string
  /** When the next round runs, if one is scheduled. */
  nextRoundAt?: Date
  links: FooterLinks & { preferences?: string }
}

export function notMatchedContent(input: NotMatchedInput): NotificationContent {
  const { recipient } = input
  const blocks: ContentBlock[] = [
    { kind: 'heading', text: `Hi ${recipient.name}, no match for you this round` },
    {
      kind: 'paragraph',
      content: [
        { text: 'Why: ', strong: true },
        `${asSentence(input.reason)} `,
        'This is not about you, and it is rare.',
      ],
    },
  ]
  if (input.nextRoundAt) {
    blocks.push({
      kind: 'paragraph',
      content: [
        'You are first in line for the next round, ',
        { text: formatMeetingTime(input.nextRoundAt, recipient.timeZone, recipient.locale), strong: true },
        '.',
      ],
    })
  }
  blocks.push({
    kind: 'actions',
    actions: [
      ...(input.links.preferences
        ? [{ label: 'Review my preferences', url: input.links.preferences, style: 'primary' as const }]
        : []),
      { label: 'Pause me', url: input.links.pause },
    ],
  })
  return {
    subject: 'No match for you this round',
    preview: `Why: ${input.reason}`,
    blocks,
    footer: footerFor(input.deploymentName, input.links),
  }
}

export function renderNotMatched(input: NotMatchedInput): Promise<RenderedMessage> {
  return renderMessage(notMatchedContent(input), { unsubscribeUrl: input.links.unsubscribe })
}

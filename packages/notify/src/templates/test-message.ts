// "Send me a test message": proves a channel reaches the member, in the same formats real notifications use.
import type { NotificationContent } from '../content/content.ts'
import { type RenderedMessage, renderMessage } from '../render/render-message.ts'
import { type FooterLinks, footerFor, type Recipient } from './inputs.ts'

export interface TestMessageInput {
  deploymentName: string
  recipient: Recipient
  /** The channel being tested, as people name it: "Email", "Slack", "Telegram", "Signal". */
  channelName: string
  links: FooterLinks
}

export function testMessageContent(input: TestMessageInput): NotificationContent {
  return {
    subject: `Test message from ${input.deploymentName}`,
    preview: `${input.channelName} works: this is where your matches will arrive.`,
    blocks: [
      { kind: 'heading', text: `Hi ${input.recipient.name}, this is a test` },
      {
        kind: 'paragraph',
        content: [`You asked for it: ${input.channelName} reaches you. Your matches will arrive here too.`],
      },
    ],
    footer: footerFor(input.deploymentName, input.links),
  }
}

export function renderTestMessage(input: TestMessageInput): Promise<RenderedMessage> {
  return renderMessage(testMessageContent(input), { unsubscribeUrl: input.links.unsubscribe })
}

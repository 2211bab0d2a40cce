// One piece of content in every format a channel may need, so the dispatcher can fall back from one channel to
// another without rendering again.
import type { MessageAttachment, OutgoingMessage } from '../channel.ts'
import type { NotificationContent } from '../content/content.ts'
import { renderEmailHtml } from './email-html.tsx'
import { renderPlainText } from './plain-text.ts'
import { renderSlackMessage } from './slack-blocks.ts'
import { renderTelegramMessage } from './telegram-html.ts'

export type RenderedMessage = Omit<OutgoingMessage, 'id'>

export interface RenderExtras {
  /** One-click pause endpoint for the email's List-Unsubscribe headers. */
  unsubscribeUrl: string
  attachments?: MessageAttachment[]
}

export async function renderMessage(
  content: NotificationContent,
  extras: RenderExtras,
): Promise<RenderedMessage> {
  return {
    subject: content.subject,
    text: renderPlainText(content),
    html: await renderEmailHtml(content),
    unsubscribeUrl: extras.unsubscribeUrl,
    ...(extras.attachments && extras.attachments.length > 0 && { attachments: extras.attachments }),
    slack: renderSlackMessage(content),
    telegram: renderTelegramMessage(content),
  }
}

/** The outbox item's message: a rendering plus its deterministic id. */
export function toOutgoingMessage(rendered: RenderedMessage, id: string): OutgoingMessage {
  return { ...rendered, id }
}

// What every notification channel (email, Slack, Telegram, Signal) implements, and how a send can end.
import type { ChannelKind } from '@percolate/domain/deployment'
import type { SlackMessage } from './render/slack-blocks.ts'
import type { TelegramMessage } from './render/telegram-html.ts'

export interface MessageAttachment {
  filename: string
  /** MIME type with parameters, e.g. `text/calendar; method=REQUEST; charset=UTF-8`. */
  contentType: string
  content: string | Uint8Array
}

export interface OutgoingMessage {
  /** Deterministic id of the outbox item: providers that take an idempotency key get this one. */
  id: string
  subject: string
  /** Plain text: the email's text part, Signal's message, every chat's fallback. */
  text: string
  html?: string
  /** Email: the one-click URL for `List-Unsubscribe` + `List-Unsubscribe-Post` (RFC 8058). */
  unsubscribeUrl?: string
  /** Email only (an .ics invite, for one). */
  attachments?: MessageAttachment[]
  /** Slack Block Kit rendering; without it Slack gets `text`. */
  slack?: SlackMessage
  /** Telegram HTML rendering; without it Telegram gets `text` with no parse mode. */
  telegram?: TelegramMessage
}

export type SendResult =
  | { outcome: 'sent'; providerMessageId: string }
  /** Worth trying again later; `retryAfterSeconds` when the provider said how long to wait. */
  | { outcome: 'retry'; reason: string; retryAfterSeconds?: number }
  /** Will fail the same way again (unknown recipient, blocked bot, rejected address). */
  | { outcome: 'failed'; reason: string }

export interface Channel<Address> {
  readonly kind: ChannelKind
  send(address: Address, message: OutgoingMessage): Promise<SendResult>
}

/** Addresses, in the shapes members store them (`@percolate/domain/member` channel addresses). */
export interface EmailAddress {
  email: string
}
export interface SlackAddress {
  memberId: string
}
export interface TelegramAddress {
  chatId: string
}
export interface SignalAddress {
  number: string
}

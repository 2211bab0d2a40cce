// What every notification channel (email, Slack, Telegram, Signal) implements, and how a send can end.
import type { ChannelKind } from '@percolate/domain/deployment'

export interface OutgoingMessage {
  /** Deterministic id of the outbox item: providers that take an idempotency key get this one. */
  id: string
  subject: string
  text: string
  html?: string
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

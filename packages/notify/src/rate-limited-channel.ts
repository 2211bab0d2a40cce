// A channel that waits for its provider's rate limiter before each send, and stops sending to a recipient for as
// long as the provider asked after a 429.
import type { Channel, OutgoingMessage, SendResult } from './channel.ts'
import type { RateLimiter } from './rate-limiter.ts'

export function withRateLimit<Address>(
  channel: Channel<Address>,
  limiter: RateLimiter,
  recipientKey: (address: Address) => string,
): Channel<Address> {
  return {
    kind: channel.kind,
    async send(address: Address, message: OutgoingMessage): Promise<SendResult> {
      const key = recipientKey(address)
      await limiter.acquire(key)
      const result = await channel.send(address, message)
      if (result.outcome === 'retry' && result.retryAfterSeconds !== undefined) {
        limiter.pause(key, result.retryAfterSeconds)
      }
      return result
    },
  }
}

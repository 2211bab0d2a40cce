// How fast each provider may be called: a token bucket per provider and, where the provider limits per
// conversation, one per recipient. Each bucket is kept as the time its next token is free (GCRA), so a waiter
// reserves its slot synchronously and concurrent senders queue fairly without locks.
import type { ChannelKind } from '@percolate/domain/deployment'

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => (ms > 0 ? Bun.sleep(ms) : Promise.resolve()),
}

export interface Rate {
  perSecond: number
  /** Tokens available at once after a quiet spell (default 1). */
  burst?: number
}

export interface ProviderRateLimits {
  /** For the whole provider account (SES MaxSendRate, Telegram's 30 messages a second). */
  global?: Rate
  /** For each recipient or conversation (Slack's and Telegram's 1 message a second per chat). */
  perRecipient?: Rate
}

/** Published limits; SES's MaxSendRate is per account (GetAccount → SendQuota.MaxSendRate): configure yours. */
export const defaultRateLimits: Record<ChannelKind, ProviderRateLimits> = {
  email: { global: { perSecond: 14, burst: 14 } },
  slack: { perRecipient: { perSecond: 1 } },
  telegram: { global: { perSecond: 30, burst: 30 }, perRecipient: { perSecond: 1 } },
  signal: { global: { perSecond: 1, burst: 5 } },
}

const ROUNDING_MS = 0.001

class Bucket {
  private readonly interval: number
  private readonly tolerance: number
  /** When the bucket is full again ("theoretical arrival time"). */
  nextFree = 0

  constructor(rate: Rate) {
    if (!(rate.perSecond > 0)) throw new Error(`rate must be above 0 per second, got ${rate.perSecond}`)
    this.interval = 1000 / rate.perSecond
    this.tolerance = (Math.max(1, rate.burst ?? 1) - 1) * this.interval
  }

  /** Earliest time a token can be taken. */
  earliest(now: number): number {
    const at = this.nextFree - this.tolerance
    // 1000/14 ms steps do not add up exactly: a microsecond's rounding is no reason to wait.
    return at - now > ROUNDING_MS ? at : now
  }

  take(at: number): void {
    this.nextFree = Math.max(this.nextFree, at) + this.interval
  }

  pauseUntil(at: number): void {
    this.nextFree = Math.max(this.nextFree, at + this.tolerance)
  }
}

const MAX_TRACKED_RECIPIENTS = 10_000

export class RateLimiter {
  private readonly global: Bucket | undefined
  private readonly recipients = new Map<string, Bucket>()

  constructor(
    private readonly limits: ProviderRateLimits,
    private readonly clock: Clock = systemClock,
  ) {
    this.global = limits.global && new Bucket(limits.global)
  }

  /** Waits until a message to `recipient` may go, and takes its token. */
  async acquire(recipient: string): Promise<void> {
    const wait = this.reserve(recipient)
    if (wait > 0) await this.clock.sleep(wait)
  }

  /**
   * Takes a token now if one is free and returns 0; otherwise takes nothing and returns the milliseconds until
   * one is (what a server answering 429 needs).
   */
  tryAcquire(recipient: string): number {
    const now = this.clock.now()
    const start = this.earliest(recipient, now)
    if (start > now) return start - now
    this.take(recipient, now)
    return 0
  }

  /** Reserves the next slot and returns how long to wait for it (ms). */
  reserve(recipient: string): number {
    const now = this.clock.now()
    const start = this.earliest(recipient, now)
    this.take(recipient, start)
    return start - now
  }

  /** The provider said to wait (Retry-After): nothing more to this recipient (or at all) until then. */
  pause(recipient: string, seconds: number): void {
    const until = this.clock.now() + seconds * 1000
    const bucket = this.limits.perRecipient ? this.bucketFor(recipient) : this.global
    bucket?.pauseUntil(until)
  }

  private earliest(recipient: string, now: number): number {
    const own = this.limits.perRecipient ? this.bucketFor(recipient).earliest(now) : now
    return Math.max(own, this.global?.earliest(now) ?? now)
  }

  private take(recipient: string, at: number): void {
    this.global?.take(at)
    if (this.limits.perRecipient) this.bucketFor(recipient).take(at)
  }

  private bucketFor(recipient: string): Bucket {
    let bucket = this.recipients.get(recipient)
    if (!bucket) {
      if (this.recipients.size >= MAX_TRACKED_RECIPIENTS) this.forgetIdle()
      bucket = new Bucket(this.limits.perRecipient!)
      this.recipients.set(recipient, bucket)
    }
    return bucket
  }

  /** A bucket whose next token is already free is the same as a new one. */
  private forgetIdle(): void {
    const now = this.clock.now()
    for (const [key, bucket] of this.recipients) if (bucket.nextFree <= now) this.recipients.delete(key)
  }
}

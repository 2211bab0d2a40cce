import { describe, expect, it } from 'bun:test'
import type { Channel, SendResult } from '../src/channel.ts'
import { withRateLimit } from '../src/rate-limited-channel.ts'
import { defaultRateLimits, RateLimiter } from '../src/rate-limiter.ts'
import { ManualClock, message } from './support/fixtures.ts'

describe('RateLimiter', () => {
  it('spaces SES sends at MaxSendRate once the burst is spent', async () => {
    const clock = new ManualClock()
    const limiter = new RateLimiter({ global: { perSecond: 14, burst: 14 } }, clock)
    for (let i = 0; i < 14; i++) await limiter.acquire(`person-${i}`)
    expect(clock.time).toBe(0)
    await limiter.acquire('person-14')
    await limiter.acquire('person-15')
    expect(clock.time).toBeCloseTo(2000 / 14, 6)
  })

  it('holds Slack to one message a second per conversation, leaving other conversations free', async () => {
    const clock = new ManualClock()
    const limiter = new RateLimiter(defaultRateLimits.slack, clock)
    await limiter.acquire('D1')
    await limiter.acquire('D2')
    expect(clock.time).toBe(0)
    await limiter.acquire('D1')
    expect(clock.time).toBe(1000)
  })

  it('applies both Telegram limits: 1/s per chat and 30/s overall', () => {
    const clock = new ManualClock()
    const limiter = new RateLimiter(defaultRateLimits.telegram, clock)
    const waits = Array.from({ length: 31 }, (_, i) => limiter.reserve(`chat-${i}`))
    expect(waits.slice(0, 30).every((wait) => wait === 0)).toBe(true)
    expect(waits[30]).toBeCloseTo(1000 / 30, 6)
    expect(limiter.reserve('chat-0')).toBe(1000)
  })

  it('queues concurrent senders in order without handing out a slot twice', () => {
    const limiter = new RateLimiter({ global: { perSecond: 2 } }, new ManualClock())
    expect([limiter.reserve('a'), limiter.reserve('b'), limiter.reserve('c')]).toEqual([0, 500, 1000])
  })

  it('tryAcquire takes nothing when it has to say no', () => {
    const clock = new ManualClock()
    const limiter = new RateLimiter({ perRecipient: { perSecond: 1 } }, clock)
    expect(limiter.tryAcquire('D1')).toBe(0)
    expect(limiter.tryAcquire('D1')).toBe(1000)
    clock.time = 400
    expect(limiter.tryAcquire('D1')).toBe(600)
    clock.time = 1000
    expect(limiter.tryAcquire('D1')).toBe(0)
  })

  it('refuses a rate of zero', () => {
    expect(() => new RateLimiter({ global: { perSecond: 0 } })).toThrow('rate must be above 0 per second')
  })
})

describe('withRateLimit', () => {
  it('waits for the Retry-After the provider gave before the next send to that recipient', async () => {
    const clock = new ManualClock()
    const answers: SendResult[] = [
      { outcome: 'retry', reason: 'Slack rate limit (HTTP 429)', retryAfterSeconds: 30 },
      { outcome: 'sent', providerMessageId: 'D1/1.000001' },
      { outcome: 'sent', providerMessageId: 'D2/1.000002' },
    ]
    const sentAt: number[] = []
    const slack: Channel<{ memberId: string }> = {
      kind: 'slack',
      async send() {
        sentAt.push(clock.now())
        return answers.shift()!
      },
    }
    const limited = withRateLimit(slack, new RateLimiter(defaultRateLimits.slack, clock), (a) => a.memberId)
    expect((await limited.send({ memberId: 'U1' }, message)).outcome).toBe('retry')
    expect((await limited.send({ memberId: 'U1' }, message)).outcome).toBe('sent')
    expect(sentAt).toEqual([0, 30_000])
    // Another conversation is not held back by U1's pause.
    await limited.send({ memberId: 'U2' }, message)
    expect(sentAt[2]).toBe(30_000)
  })
})

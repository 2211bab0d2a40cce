import { describe, expect, it } from 'bun:test'
import { nextRetryDelayMs } from '../src/retry-policy.ts'

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 }

describe('nextRetryDelayMs', () => {
  it('doubles the ceiling each attempt and caps it', () => {
    expect(nextRetryDelayMs(1, 0.999, undefined, policy)).toBe(999)
    expect(nextRetryDelayMs(2, 0.999, undefined, policy)).toBe(1998)
    expect(nextRetryDelayMs(3, 0.999, undefined, policy)).toBe(3996)
  })

  it('spreads retries with jitter', () => {
    expect(nextRetryDelayMs(3, 0, undefined, policy)).toBe(0)
    expect(nextRetryDelayMs(3, 0.5, undefined, policy)).toBe(2000)
  })

  it('never retries sooner than Retry-After says', () => {
    expect(nextRetryDelayMs(1, 0.1, 30, policy)).toBe(30_000)
  })

  it('stops after the last attempt', () => {
    expect(nextRetryDelayMs(4, 0.5, undefined, policy)).toBeNull()
  })
})

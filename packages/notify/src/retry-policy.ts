// When to try a failed send again: exponential backoff with full jitter, never sooner than the provider asked.

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000 }

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1), or null when no attempts are left.
 * `random` is in [0, 1): passed in so tests and callers control it.
 */
export function nextRetryDelayMs(
  attempt: number,
  random: number,
  retryAfterSeconds?: number,
  policy: RetryPolicy = defaultRetryPolicy,
): number | null {
  if (attempt >= policy.maxAttempts) return null
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  const jittered = Math.floor(random * ceiling)
  const floor = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : 0
  return Math.max(jittered, floor)
}

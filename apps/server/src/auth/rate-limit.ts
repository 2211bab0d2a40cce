// A fixed-window limit per client address for /auth/*: enough to stop scripted guessing and callback floods from
// one address, without shared state (each server replica counts its own).
export interface RateLimiter {
  /** Whether one more request from `key` is allowed now; if not, how many seconds until it is. */
  take(key: string, now?: number): { allowed: true } | { allowed: false; retryAfterSeconds: number }
}

export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>()
  return {
    take(key, now = Date.now()) {
      let window = windows.get(key)
      if (!window || now - window.start >= windowMs) {
        if (windows.size > 10_000) {
          for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k)
        }
        window = { start: now, count: 0 }
        windows.set(key, window)
      }
      window.count++
      if (window.count <= limit) return { allowed: true }
      return { allowed: false, retryAfterSeconds: Math.ceil((window.start + windowMs - now) / 1000) }
    },
  }
}

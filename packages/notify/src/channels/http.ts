// The HTTP plumbing the chat channels share: a JSON POST with a time-out, Retry-After parsing, and the outcomes
// that mean the same on every provider (network trouble and 5xx: retry).
import type { SendResult } from '../channel.ts'

export interface HttpOptions {
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch
  /** Abort a request after this long (default 10 s): a hung provider becomes a retry, not a stuck dispatcher. */
  timeoutMs?: number
}

export type JsonResponse = { status: number; headers: Headers; body: unknown }

/**
 * POSTs `body` as JSON. Returns the response, or a `retry` result when no answer came (refused, reset, timed
 * out). A time-out is ambiguous: the provider may have delivered, and none of these APIs takes an idempotency
 * key, so a retry after one can duplicate a message.
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  options: HttpOptions = {},
): Promise<JsonResponse | SendResult> {
  const doFetch = options.fetch ?? fetch
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: parseJson(text) }
  } catch (error) {
    return { outcome: 'retry', reason: `no answer from ${new URL(url).host}: ${describeError(error)}` }
  }
}

export function isSendResult(value: JsonResponse | SendResult): value is SendResult {
  return 'outcome' in value
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timed out' : error.message
  return String(error)
}

/** Seconds from a `Retry-After` header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

/** 429 and 5xx mean "later" everywhere; `undefined` when the status needs the provider's own reading. */
export function classifyStatus(provider: string, status: number, headers: Headers): SendResult | undefined {
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'))
    return {
      outcome: 'retry',
      reason: `${provider} rate limit (HTTP 429)`,
      ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    }
  }
  if (status >= 500) return { outcome: 'retry', reason: `${provider} answered HTTP ${status}` }
  return undefined
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

// signal-cli-rest-api `POST /v2/send`: 201 `{ timestamp }` when sent. A failed recipient shows up either as a 400
// `{ error }` naming them ("Unregistered user") or, from json-rpc mode, as a 201/200 whose `results` give each
// recipient's type (SUCCESS, UNREGISTERED_FAILURE, RATE_LIMIT_FAILURE…).
import type { Channel, OutgoingMessage, SendResult, SignalAddress } from '../channel.ts'
import { classifyStatus, type HttpOptions, isSendResult, postJson, trimSlash } from './http.ts'

export interface SignalConfig extends HttpOptions {
  /** Base URL of the signal-cli-rest-api instance. */
  baseUrl: string
  /** The registered number messages are sent from, e.g. "+4915712345678". */
  senderNumber: string
}

interface RecipientResult {
  type?: string
  retryAfterSeconds?: number
  recipientAddress?: { number?: string | null }
}

interface SignalAnswer {
  timestamp?: string | number
  error?: string
  results?: RecipientResult[]
}

/** signal-cli's per-recipient failures that repeat on retry. */
const PERMANENT_RECIPIENT_FAILURES = new Set([
  'UNREGISTERED_FAILURE',
  'IDENTITY_FAILURE',
  'INVALID_PRE_KEY_FAILURE',
])

export function createSignalChannel(config: SignalConfig): Channel<SignalAddress> {
  const url = `${trimSlash(config.baseUrl)}/v2/send`

  return {
    kind: 'signal',
    async send(address: SignalAddress, message: OutgoingMessage): Promise<SendResult> {
      const body = { number: config.senderNumber, recipients: [address.number], message: message.text }
      const response = await postJson(url, body, {}, config)
      if (isSendResult(response)) return response
      const answer = (
        typeof response.body === 'object' && response.body !== null ? response.body : {}
      ) as SignalAnswer
      const byStatus = classifyStatus('Signal', response.status, response.headers)
      if (byStatus) return { ...byStatus, ...(answer.error && { reason: `Signal: ${answer.error}` }) }
      if (response.status === 200 || response.status === 201) {
        const failure = answer.results?.find((result) => result.type && result.type !== 'SUCCESS')
        if (failure) return classifyRecipientFailure(failure)
        return { outcome: 'sent', providerMessageId: String(answer.timestamp ?? '') }
      }
      const error = answer.error ?? `HTTP ${response.status}`
      // signal-cli reports Signal's own rate limit inside a 400 text.
      if (/rate ?limit|\[429\]/i.test(error)) return { outcome: 'retry', reason: `Signal: ${error}` }
      return { outcome: 'failed', reason: `Signal: ${error}` }
    },
  }
}

function classifyRecipientFailure(failure: RecipientResult): SendResult {
  const reason = `Signal: ${failure.type} for ${failure.recipientAddress?.number ?? 'the recipient'}`
  if (PERMANENT_RECIPIENT_FAILURES.has(failure.type ?? '')) return { outcome: 'failed', reason }
  return {
    outcome: 'retry',
    reason,
    ...(failure.retryAfterSeconds !== undefined && { retryAfterSeconds: failure.retryAfterSeconds }),
  }
}

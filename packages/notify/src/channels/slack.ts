// Slack Web API: a direct message from the app's bot, via conversations.open (user → DM channel, cached) and
// chat.postMessage. Slack answers most errors as HTTP 200 `{ ok: false, error }`; rate limits as HTTP 429 with
// Retry-After (seconds).
import type { Channel, OutgoingMessage, SendResult, SlackAddress } from '../channel.ts'
import { escapeSlackText } from '../render/slack-blocks.ts'
import {
  classifyStatus,
  type HttpOptions,
  isSendResult,
  parseRetryAfter,
  postJson,
  trimSlash,
} from './http.ts'

export interface SlackConfig extends HttpOptions {
  /** Bot token (`xoxb-…`) with `chat:write` and `im:write`. */
  botToken: string
  /** Web API base URL (default https://slack.com/api); a local fake in development and tests. */
  baseUrl?: string
}

/** Errors that mean "later"; every other `ok: false` error repeats on retry (channel_not_found, invalid_auth…). */
const RETRYABLE_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
])

interface SlackAnswer {
  ok?: boolean
  error?: string
  channel?: string | { id?: string }
  ts?: string
}

export function createSlackChannel(config: SlackConfig): Channel<SlackAddress> {
  const baseUrl = trimSlash(config.baseUrl ?? 'https://slack.com/api')
  const headers = { authorization: `Bearer ${config.botToken}` }
  const dmChannels = new Map<string, string>()

  async function call(method: string, body: unknown): Promise<SlackAnswer | SendResult> {
    const response = await postJson(`${baseUrl}/${method}`, body, headers, config)
    if (isSendResult(response)) return response
    const byStatus = classifyStatus('Slack', response.status, response.headers)
    if (byStatus) return byStatus
    const answer = (
      typeof response.body === 'object' && response.body !== null ? response.body : {}
    ) as SlackAnswer
    if (response.status !== 200)
      return { outcome: 'failed', reason: `Slack ${method} answered HTTP ${response.status}` }
    if (answer.ok) return answer
    const error = answer.error ?? 'unknown_error'
    if (RETRYABLE_ERRORS.has(error)) {
      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'))
      return {
        outcome: 'retry',
        reason: `Slack ${method}: ${error}`,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
      }
    }
    return { outcome: 'failed', reason: `Slack ${method}: ${error}` }
  }

  async function openDm(userId: string): Promise<string | SendResult> {
    const cached = dmChannels.get(userId)
    if (cached) return cached
    const answer = await call('conversations.open', { users: userId })
    if ('outcome' in answer) return answer
    const id = typeof answer.channel === 'object' ? answer.channel.id : undefined
    if (!id) return { outcome: 'retry', reason: 'Slack conversations.open returned no channel id' }
    dmChannels.set(userId, id)
    return id
  }

  return {
    kind: 'slack',
    async send(address: SlackAddress, message: OutgoingMessage): Promise<SendResult> {
      const channel = await openDm(address.memberId)
      if (typeof channel !== 'string') return channel
      const answer = await call('chat.postMessage', {
        channel,
        text: message.slack?.text ?? escapeSlackText(message.text),
        ...(message.slack && { blocks: message.slack.blocks }),
        mrkdwn: false,
        unfurl_links: false,
        unfurl_media: false,
      })
      if ('outcome' in answer) {
        // A DM channel that vanished (user deactivated and restored, app reinstalled): open it afresh next time.
        if (answer.outcome === 'failed') dmChannels.delete(address.memberId)
        return answer
      }
      return {
        outcome: 'sent',
        providerMessageId: `${typeof answer.channel === 'string' ? answer.channel : channel}/${answer.ts}`,
      }
    },
  }
}

import { afterAll, beforeEach, describe, expect, it } from 'bun:test'
import { createSlackChannel } from '../src/channels/slack.ts'
import { withRateLimit } from '../src/rate-limited-channel.ts'
import { defaultRateLimits, RateLimiter } from '../src/rate-limiter.ts'
import { renderMatchNotification } from '../src/templates/match-notification.ts'
import { startFakeSlack } from '../src/testing/fake-slack.ts'
import { ManualClock, matchInput, message } from './support/fixtures.ts'

const slack = startFakeSlack({ botToken: 'xoxb-test', users: { U0ADA0001: true, U0GONE001: false } })
const ada = { memberId: 'U0ADA0001' }
// A new channel per test: each starts without cached DM channels.
let channel = createSlackChannel({ botToken: 'xoxb-test', baseUrl: slack.url })

beforeEach(() => {
  slack.reset()
  channel = createSlackChannel({ botToken: 'xoxb-test', baseUrl: slack.url })
})
afterAll(() => slack.stop())

describe('Slack channel', () => {
  it('opens the DM and posts the blocks, with the fallback text', async () => {
    const rendered = await renderMatchNotification(matchInput())
    const result = await channel.send(ada, { ...rendered, id: 'item-1' })
    expect(result).toEqual({
      outcome: 'sent',
      providerMessageId: expect.stringMatching(/^D0ADA0001\/\d+\.\d{6}$/),
    })
    expect(slack.requests.map((r) => r.path)).toEqual(['/conversations.open', '/chat.postMessage'])
    expect(slack.requests[1]!.headers.get('authorization')).toBe('Bearer xoxb-test')
    const [posted] = slack.messages
    expect(posted).toMatchObject({ channel: 'D0ADA0001', user: 'U0ADA0001', text: rendered.slack!.text })
    expect(posted!.blocks).toEqual(rendered.slack!.blocks)
  })

  it('reuses the DM channel for the next message to the same person', async () => {
    await channel.send(ada, message)
    await channel.send(ada, message)
    expect(slack.requests.filter((r) => r.path === '/conversations.open')).toHaveLength(1)
    expect(slack.messages).toHaveLength(2)
  })

  it('asks to retry after the Retry-After of a 429, and the retry goes through', async () => {
    slack.faults.enqueue({ kind: 'rate-limit', retryAfterSeconds: 7, route: 'chat.postMessage' })
    expect(await channel.send(ada, message)).toEqual({
      outcome: 'retry',
      reason: 'Slack rate limit (HTTP 429)',
      retryAfterSeconds: 7,
    })
    expect((await channel.send(ada, message)).outcome).toBe('sent')
    expect(slack.messages).toHaveLength(1)
  })

  it('answers 429 itself past one message a second per conversation', async () => {
    const results = []
    for (let i = 0; i < 4; i++) results.push(await channel.send(ada, message))
    expect(results.map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent', 'retry'])
    expect(results[3]).toMatchObject({ retryAfterSeconds: 1 })
  })

  it('retries on a 5xx', async () => {
    slack.faults.enqueue({ kind: 'server-error', status: 503 })
    expect(await channel.send(ada, message)).toEqual({ outcome: 'retry', reason: 'Slack answered HTTP 503' })
  })

  it.each(['ratelimited', 'internal_error', 'service_unavailable'])(
    'retries on ok:false %s',
    async (error) => {
      slack.faults.enqueue({ kind: 'permanent', error, route: 'chat.postMessage' })
      expect(await channel.send(ada, message)).toEqual({
        outcome: 'retry',
        reason: `Slack chat.postMessage: ${error}`,
      })
    },
  )

  it('escapes plain text posted without a Block Kit rendering', async () => {
    await channel.send(ada, { ...message, text: 'Tom & Jerry <!channel>' })
    expect(slack.messages[0]!.text).toBe('Tom &amp; Jerry &lt;!channel&gt;')
  })

  it('sends again only after the Retry-After has passed, when rate limited', async () => {
    const clock = new ManualClock(Date.now())
    const limited = withRateLimit(channel, new RateLimiter(defaultRateLimits.slack, clock), (a) => a.memberId)
    slack.faults.enqueue({ kind: 'rate-limit', retryAfterSeconds: 5, route: 'chat.postMessage' })
    expect(await limited.send(ada, message)).toMatchObject({ outcome: 'retry', retryAfterSeconds: 5 })
    const before = clock.now()
    expect(await limited.send(ada, message)).toMatchObject({ outcome: 'sent' })
    expect(clock.now() - before).toBe(5000)
    expect(slack.requests.filter((r) => r.path === '/chat.postMessage')).toHaveLength(2)
    expect(slack.messages).toHaveLength(1)
  })

  it('retries when Slack does not answer in time', async () => {
    const impatient = createSlackChannel({ botToken: 'xoxb-test', baseUrl: slack.url, timeoutMs: 50 })
    slack.faults.enqueue({ kind: 'slow', delayMs: 300 })
    const result = await impatient.send(ada, message)
    expect(result).toMatchObject({ outcome: 'retry', reason: expect.stringContaining('timed out') })
  })

  it.each([
    ['an unknown member', { memberId: 'U0NOBODY1' }, 'Slack conversations.open: user_not_found'],
    ['a deactivated member', { memberId: 'U0GONE001' }, 'Slack conversations.open: user_disabled'],
  ])('fails for good for %s', async (_, address, reason) => {
    expect(await channel.send(address, message)).toEqual({ outcome: 'failed', reason })
    expect(slack.messages).toHaveLength(0)
  })

  it.each(['channel_not_found', 'not_in_channel', 'account_inactive', 'is_archived'])(
    'fails for good on ok:false %s',
    async (error) => {
      slack.faults.enqueue({ kind: 'permanent', error, route: 'chat.postMessage' })
      expect(await channel.send(ada, message)).toEqual({
        outcome: 'failed',
        reason: `Slack chat.postMessage: ${error}`,
      })
    },
  )

  it('fails for good with a wrong token', async () => {
    const wrong = createSlackChannel({ botToken: 'xoxb-wrong', baseUrl: slack.url })
    expect(await wrong.send(ada, message)).toEqual({
      outcome: 'failed',
      reason: 'Slack conversations.open: invalid_auth',
    })
  })
})

import { afterAll, beforeEach, describe, expect, it } from 'bun:test'
import { createTelegramChannel } from '../src/channels/telegram.ts'
import { renderMatchNotification } from '../src/templates/match-notification.ts'
import { startFakeTelegram } from '../src/testing/fake-telegram.ts'
import { hostileBio, matchInput, message } from './support/fixtures.ts'

const token = '123456:ABC-test'
const telegram = startFakeTelegram({ botToken: token, blockedChatIds: ['666'] })
const channel = createTelegramChannel({ botToken: token, baseUrl: telegram.url })
const ada = { chatId: '424242' }

beforeEach(() => telegram.reset())
afterAll(() => telegram.stop())

describe('Telegram channel', () => {
  it('sends the HTML rendering with URL buttons, and Telegram parses it', async () => {
    const rendered = await renderMatchNotification(matchInput())
    const result = await channel.send(ada, { ...rendered, id: 'item-1' })
    expect(result).toEqual({ outcome: 'sent', providerMessageId: '424242/1' })
    expect(telegram.requests[0]!.path).toBe(`/bot${token}/sendMessage`)
    const [sent] = telegram.messages
    expect(sent).toMatchObject({ chatId: '424242', parseMode: 'HTML', text: rendered.telegram!.html })
    expect(sent!.replyMarkup).toEqual({ inline_keyboard: rendered.telegram!.buttons })
    // The hostile bio arrived as text, not as tags.
    expect(sent!.text).toContain('I write &lt;b&gt;bold&lt;/b&gt; *claims*')
    expect(hostileBio).toContain('<b>bold</b>')
  })

  it('sends plain text without a parse mode when there is no HTML rendering', async () => {
    await channel.send(ada, { ...message, text: 'a <b> that is not a tag' })
    expect(telegram.messages[0]).toEqual({ chatId: '424242', text: 'a <b> that is not a tag', messageId: 1 })
  })

  it('asks to retry after parameters.retry_after of a 429, and the retry goes through', async () => {
    telegram.faults.enqueue({ kind: 'rate-limit', retryAfterSeconds: 12 })
    expect(await channel.send(ada, message)).toEqual({
      outcome: 'retry',
      reason: 'Telegram: Too Many Requests: retry after 12',
      retryAfterSeconds: 12,
    })
    expect((await channel.send(ada, message)).outcome).toBe('sent')
    expect(telegram.requests).toHaveLength(2)
    expect(telegram.messages).toHaveLength(1)
  })

  it('answers 429 itself past one message a second per chat', async () => {
    const outcomes = []
    for (let i = 0; i < 4; i++) outcomes.push(await channel.send(ada, message))
    expect(outcomes.map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent', 'retry'])
    expect(outcomes[3]).toMatchObject({ retryAfterSeconds: 1 })
  })

  it('retries on a 5xx', async () => {
    telegram.faults.enqueue({ kind: 'server-error', status: 502 })
    expect(await channel.send(ada, message)).toEqual({
      outcome: 'retry',
      reason: 'Telegram answered HTTP 502',
    })
  })

  it('fails for good when the user blocked the bot (403)', async () => {
    expect(await channel.send({ chatId: '666' }, message)).toEqual({
      outcome: 'failed',
      reason: 'Telegram: Forbidden: bot was blocked by the user',
    })
  })

  it('fails for good for a chat that does not exist (400)', async () => {
    expect(await channel.send({ chatId: 'not-a-chat' }, message)).toEqual({
      outcome: 'failed',
      reason: 'Telegram: Bad Request: chat not found',
    })
  })

  it('fails for good on HTML Telegram cannot parse', async () => {
    const result = await channel.send(ada, { ...message, telegram: { html: 'Hi <script>x</script>' } })
    expect(result).toEqual({
      outcome: 'failed',
      reason: 'Telegram: Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 3',
    })
  })

  it('fails for good with a wrong token (401)', async () => {
    const wrong = createTelegramChannel({ botToken: '1:wrong', baseUrl: telegram.url })
    expect(await wrong.send(ada, message)).toEqual({ outcome: 'failed', reason: 'Telegram: Unauthorized' })
  })
})

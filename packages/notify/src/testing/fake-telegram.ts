// A local Telegram Bot API (sendMessage) that answers as Telegram does: `{ ok, result }` or `{ ok: false,
// error_code, description, parameters }`; 429 with `parameters.retry_after`; 403 from a user who blocked the bot;
// 400 for an unknown chat or HTML it cannot parse.
import { type Rate, RateLimiter } from '../rate-limiter.ts'
import { asRecord, type FakeServer, type FakeServerOptions, json, startFakeServer } from './fake-server.ts'
import { checkTelegramHtml, telegramVisibleText } from './telegram-html-check.ts'

export interface FakeTelegramOptions extends FakeServerOptions {
  /** The bot token in the URL path (`/bot<token>/sendMessage`). */
  botToken: string
  /** Chats the bot can write to; default: any numeric chat id. */
  chatIds?: string[]
  /** Users who blocked the bot: 403. */
  blockedChatIds?: string[]
  /** Limits enforced with 429s (default 1/s per chat with a burst of 3, 30/s overall); `false` turns them off. */
  rateLimit?: { perChat: Rate; global: Rate } | false
}

export interface TelegramSent {
  chatId: string
  text: string
  parseMode?: string
  replyMarkup?: unknown
  messageId: number
}

export interface FakeTelegram extends FakeServer {
  readonly messages: TelegramSent[]
}

function telegramError(status: number, description: string, parameters?: Record<string, number>): Response {
  return json({ ok: false, error_code: status, description, ...(parameters && { parameters }) }, status)
}

export function startFakeTelegram(options: FakeTelegramOptions): FakeTelegram {
  const messages: TelegramSent[] = []
  let messageId = 0
  const newLimiter = () =>
    options.rateLimit === false
      ? null
      : new RateLimiter({
          perRecipient: options.rateLimit?.perChat ?? { perSecond: 1, burst: 3 },
          global: options.rateLimit?.global ?? { perSecond: 30, burst: 30 },
        })
  let limiter = newLimiter()

  const server = startFakeServer(
    options,
    (request) => request.path.split('/').pop() ?? '',
    (request, fault) => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.path)
      if (!match) return telegramError(404, 'Not Found')
      if (match[1] !== options.botToken) return telegramError(401, 'Unauthorized')
      if (match[2] !== 'sendMessage') return telegramError(404, 'Not Found: method not found')
      if (fault?.kind === 'rate-limit') {
        return telegramError(429, `Too Many Requests: retry after ${fault.retryAfterSeconds}`, {
          retry_after: fault.retryAfterSeconds,
        })
      }
      if (fault?.kind === 'server-error') return new Response('Bad Gateway', { status: fault.status ?? 502 })
      if (fault?.kind === 'permanent')
        return telegramError(403, fault.error ?? 'Forbidden: bot was blocked by the user')

      const body = asRecord(request.body)
      const chatId = String(body.chat_id ?? '')
      const known = options.chatIds ? options.chatIds.includes(chatId) : /^-?\d{1,20}$/.test(chatId)
      if (!known) return telegramError(400, 'Bad Request: chat not found')
      if (options.blockedChatIds?.includes(chatId))
        return telegramError(403, 'Forbidden: bot was blocked by the user')
      const text = typeof body.text === 'string' ? body.text : ''
      const parseMode = typeof body.parse_mode === 'string' ? body.parse_mode : undefined
      if (
        parseMode !== undefined &&
        parseMode !== 'HTML' &&
        parseMode !== 'MarkdownV2' &&
        parseMode !== 'Markdown'
      ) {
        return telegramError(400, 'Bad Request: unsupported parse_mode')
      }
      if (parseMode === 'HTML') {
        const problem = checkTelegramHtml(text)
        if (problem) return telegramError(400, problem)
      }
      const visible = parseMode === 'HTML' ? telegramVisibleText(text) : text
      if (visible.trim() === '') return telegramError(400, 'Bad Request: message text is empty')
      if (visible.length > 4096) return telegramError(400, 'Bad Request: message is too long')
      const wait = limiter?.tryAcquire(chatId) ?? 0
      if (wait > 0) {
        const retryAfter = Math.ceil(wait / 1000)
        return telegramError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter })
      }
      messageId += 1
      messages.push({
        chatId,
        text,
        ...(parseMode && { parseMode }),
        ...(body.reply_markup !== undefined && { replyMarkup: body.reply_markup }),
        messageId,
      })
      return json({
        ok: true,
        result: {
          message_id: messageId,
          date: Math.floor(request.at / 1000),
          chat: { id: Number(chatId), type: 'private' },
          text: visible,
        },
      })
    },
    () => {
      messages.length = 0
      messageId = 0
      limiter = newLimiter()
    },
  )
  return Object.assign(server, { messages })
}

// Telegram Bot API sendMessage. Errors come as `{ ok: false, error_code, description, parameters }`: 429 with
// `parameters.retry_after`, 403 when the user blocked the bot, 400 for an unknown chat or bad markup.
import type { Channel, OutgoingMessage, SendResult, TelegramAddress } from '../channel.ts'
import { classifyStatus, type HttpOptions, isSendResult, postJson, trimSlash } from './http.ts'

export interface TelegramConfig extends HttpOptions {
  /** The bot's token from @BotFather. */
  botToken: string
  /** Bot API base URL (default https://api.telegram.org); a local fake in development and tests. */
  baseUrl?: string
}

interface TelegramAnswer {
  ok?: boolean
  result?: { message_id?: number }
  error_code?: number
  description?: string
  parameters?: { retry_after?: number; migrate_to_chat_id?: number }
}

export function createTelegramChannel(config: TelegramConfig): Channel<TelegramAddress> {
  const url = `${trimSlash(config.baseUrl ?? 'https://api.telegram.org')}/bot${config.botToken}/sendMessage`

  return {
    kind: 'telegram',
    async send(address: TelegramAddress, message: OutgoingMessage): Promise<SendResult> {
      const body = {
        chat_id: address.chatId,
        text: message.telegram?.html ?? message.text,
        ...(message.telegram && { parse_mode: 'HTML' }),
        link_preview_options: { is_disabled: true },
        ...(message.telegram?.buttons && { reply_markup: { inline_keyboard: message.telegram.buttons } }),
      }
      const response = await postJson(url, body, {}, config)
      if (isSendResult(response)) return response
      const answer = (
        typeof response.body === 'object' && response.body !== null ? response.body : {}
      ) as TelegramAnswer
      if (response.status === 200 && answer.ok) {
        return { outcome: 'sent', providerMessageId: `${address.chatId}/${answer.result?.message_id ?? ''}` }
      }
      const description = answer.description ?? `HTTP ${response.status}`
      if (response.status === 429) {
        const retryAfter = answer.parameters?.retry_after
        return {
          outcome: 'retry',
          reason: `Telegram: ${description}`,
          ...(retryAfter !== undefined && { retryAfterSeconds: retryAfter }),
        }
      }
      const byStatus = classifyStatus('Telegram', response.status, response.headers)
      if (byStatus) return byStatus
      const migrated = answer.parameters?.migrate_to_chat_id
      return {
        outcome: 'failed',
        reason: `Telegram: ${description}${migrated !== undefined ? ` (the chat is now ${migrated})` : ''}`,
      }
    },
  }
}

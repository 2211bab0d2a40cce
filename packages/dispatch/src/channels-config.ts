// Which providers a dispatcher talks to, from configuration (the apps read the environment; this validates and
// builds). A channel without its settings is left out: its items fail with a reason naming the missing setting.
import { optionalUrlSchema } from '@percolate/db/env'
import type { ChannelKind } from '@percolate/domain/deployment'
import type { Channel } from '@percolate/notify/channel'
import { createEmailChannel } from '@percolate/notify/channels/email'
import { createSignalChannel } from '@percolate/notify/channels/signal'
import { createSlackChannel } from '@percolate/notify/channels/slack'
import { createTelegramChannel } from '@percolate/notify/channels/telegram'
import { withRateLimit } from '@percolate/notify/rate-limited-channel'
import { defaultRateLimits, RateLimiter } from '@percolate/notify/rate-limiter'
import { z } from 'zod'
import type { DispatchChannels } from './dispatcher.ts'

const optionalUrl = optionalUrlSchema
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value))

/** The environment variables of notification delivery, shared by the server (local mode) and the cron binary. */
export const channelsEnvSchema = z.object({
  /** Sender of email, a verified SES identity: `Percolate <percolate@example.com>`. Without it, no email. */
  SES_FROM: optionalText,
  /** The local SES (aws-ses-v2-local) or another endpoint; empty in AWS. */
  SES_ENDPOINT: optionalUrl,
  /** The SES configuration set every email is sent with (event publishing, the deployment's own reputation). */
  SES_CONFIGURATION_SET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, {
      error: 'must be an SES configuration set name: letters, digits, "_" and "-", at most 64',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Your account's SES MaxSendRate (GetAccount → SendQuota.MaxSendRate). */
  SES_MAX_SEND_RATE: z.coerce
    .number({ error: 'must be a number of emails per second' })
    .positive({ error: 'must be above 0' })
    .default(14),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_API_URL: optionalUrl,
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_API_URL: optionalUrl,
  /** signal-cli-rest-api's base URL, e.g. http://signal-cli:8080. */
  SIGNAL_API_URL: optionalUrl,
  /** The registered sender number of signal-cli, e.g. +4915112345678. */
  SIGNAL_NUMBER: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, {
      error: 'must be a phone number in international format such as "+491701234567"',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
})
export type ChannelsEnv = z.infer<typeof channelsEnvSchema>

/** The address inside `Name <address>`, or the whole value. */
export function emailAddressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim()
}

export function createChannels(env: ChannelsEnv, region: string): DispatchChannels {
  const limited = <A>(kind: ChannelKind, channel: Channel<A>, key: (address: A) => string): Channel<A> =>
    withRateLimit(
      channel,
      new RateLimiter(
        kind === 'email'
          ? {
              global: {
                perSecond: env.SES_MAX_SEND_RATE,
                burst: Math.max(1, Math.floor(env.SES_MAX_SEND_RATE)),
              },
            }
          : defaultRateLimits[kind],
      ),
      key,
    )
  const channels: DispatchChannels = {}
  if (env.SES_FROM)
    channels.email = limited(
      'email',
      createEmailChannel({
        from: env.SES_FROM,
        region,
        ...(env.SES_CONFIGURATION_SET ? { configurationSetName: env.SES_CONFIGURATION_SET } : {}),
        ...(env.SES_ENDPOINT
          ? { endpoint: env.SES_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
          : {}),
      }),
      (address) => address.email,
    )
  if (env.SLACK_BOT_TOKEN)
    channels.slack = limited(
      'slack',
      createSlackChannel({
        botToken: env.SLACK_BOT_TOKEN,
        ...(env.SLACK_API_URL ? { baseUrl: env.SLACK_API_URL } : {}),
      }),
      (address) => address.memberId,
    )
  if (env.TELEGRAM_BOT_TOKEN)
    channels.telegram = limited(
      'telegram',
      createTelegramChannel({
        botToken: env.TELEGRAM_BOT_TOKEN,
        ...(env.TELEGRAM_API_URL ? { baseUrl: env.TELEGRAM_API_URL } : {}),
      }),
      (address) => address.chatId,
    )
  if (env.SIGNAL_API_URL && env.SIGNAL_NUMBER)
    channels.signal = limited(
      'signal',
      createSignalChannel({ baseUrl: env.SIGNAL_API_URL, senderNumber: env.SIGNAL_NUMBER }),
      (address) => address.number,
    )
  return channels
}

// Everything a developer machine needs in place of the four providers: the local SES and the Slack, Telegram and
// Signal fakes, each on its own port, with the channel configuration that points at them.
import type { EmailConfig } from '../channels/email.ts'
import type { SignalConfig } from '../channels/signal.ts'
import type { SlackConfig } from '../channels/slack.ts'
import type { TelegramConfig } from '../channels/telegram.ts'
import type { FakeServerOptions } from './fake-server.ts'
import { type FakeSignal, startFakeSignal } from './fake-signal.ts'
import { type FakeSlack, startFakeSlack } from './fake-slack.ts'
import { type FakeTelegram, startFakeTelegram } from './fake-telegram.ts'
import { type LocalSes, startLocalSes } from './local-ses.ts'

export interface LocalProvidersOptions {
  hostname?: string
  /** Fixed ports for `make dev` (so URLs stay the same across restarts); default: free ports. */
  ports?: { ses?: number; slack?: number; telegram?: number; signal?: number }
  /** Sender identity in the email configuration (default `Percolate <percolate@localhost>`). */
  from?: string
}

export interface LocalProviders {
  ses: LocalSes
  slack: FakeSlack
  telegram: FakeTelegram
  signal: FakeSignal
  /** Channel configuration pointing at the local providers. */
  config: { email: EmailConfig; slack: SlackConfig; telegram: TelegramConfig; signal: SignalConfig }
  stop(): Promise<void>
}

const SLACK_TOKEN = 'xoxb-local-development'
const TELEGRAM_TOKEN = '100000:local-development'
const SIGNAL_SENDER = '+15550000000'

export async function startLocalProviders(options: LocalProvidersOptions = {}): Promise<LocalProviders> {
  const on = (port: number | undefined): FakeServerOptions => ({
    ...(options.hostname && { hostname: options.hostname }),
    ...(port !== undefined && { port }),
  })
  const ses = await startLocalSes(on(options.ports?.ses))
  const slack = startFakeSlack({ ...on(options.ports?.slack), botToken: SLACK_TOKEN })
  const telegram = startFakeTelegram({ ...on(options.ports?.telegram), botToken: TELEGRAM_TOKEN })
  const signal = startFakeSignal({ ...on(options.ports?.signal), senderNumber: SIGNAL_SENDER })
  return {
    ses,
    slack,
    telegram,
    signal,
    config: {
      email: {
        from: options.from ?? 'Percolate <percolate@localhost>',
        region: 'us-east-1',
        endpoint: ses.endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      slack: { botToken: SLACK_TOKEN, baseUrl: slack.url },
      telegram: { botToken: TELEGRAM_TOKEN, baseUrl: telegram.url },
      signal: { baseUrl: signal.url, senderNumber: SIGNAL_SENDER },
    },
    async stop() {
      await Promise.all([ses.stop(), slack.stop(), telegram.stop(), signal.stop()])
    },
  }
}

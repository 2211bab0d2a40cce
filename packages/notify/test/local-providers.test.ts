import { afterAll, describe, expect, it } from 'bun:test'
import { createEmailChannel } from '../src/channels/email.ts'
import { createSignalChannel } from '../src/channels/signal.ts'
import { createSlackChannel } from '../src/channels/slack.ts'
import { createTelegramChannel } from '../src/channels/telegram.ts'
import { toOutgoingMessage } from '../src/render/render-message.ts'
import { renderCheckIn } from '../src/templates/check-in.ts'
import { startLocalProviders } from '../src/testing/local-providers.ts'
import { links, roundAt } from './support/fixtures.ts'

const providers = await startLocalProviders()
afterAll(() => providers.stop())

describe('startLocalProviders', () => {
  it('gives each channel a configuration that reaches its local provider', async () => {
    const rendered = await renderCheckIn({
      deploymentName: 'Demo',
      recipient: { name: 'Ada', timeZone: 'Europe/Berlin' },
      others: [{ name: 'Grace' }],
      roundAt,
      links,
    })
    const message = toOutgoingMessage(rendered, 'demo#checkin#ada')
    const { config } = providers
    const results = await Promise.all([
      createEmailChannel(config.email).send({ email: 'ada@demo.test' }, message),
      createSlackChannel(config.slack).send({ memberId: 'U0ADA0001' }, message),
      createTelegramChannel(config.telegram).send({ chatId: '42' }, message),
      createSignalChannel(config.signal).send({ number: '+4917012345678' }, message),
    ])
    expect(results.map((result) => result.outcome)).toEqual(['sent', 'sent', 'sent', 'sent'])
    expect((await providers.ses.store()).map((mail) => mail.subject)).toEqual(['Did you meet Grace?'])
    expect(providers.slack.messages).toHaveLength(1)
    expect(providers.telegram.messages[0]!.parseMode).toBe('HTML')
    expect(providers.signal.messages[0]!.message).toBe(rendered.text)
  })
})

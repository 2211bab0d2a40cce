// Every kind of provider trouble at once: 429 with Retry-After, 5xx, time-outs and permanent errors on Slack,
// Telegram, Signal and SES. Dispatching until nothing is due, every item ends sent or failed with its reason,
// and no message reaches a provider twice, except where a time-out hid a delivery (the fakes count what they
// received).
import { afterAll, expect, test } from 'bun:test'
import { createDeployment } from '@percolate/db/deployments'
import { createMember } from '@percolate/db/members'
import { listOutboxByStatus, type OutboxItem } from '@percolate/db/outbox'
import { createTestDatabase, testMember, testSettings } from '@percolate/db/testing'
import { createEmailChannel } from '@percolate/notify/channels/email'
import { createSignalChannel } from '@percolate/notify/channels/signal'
import { createSlackChannel } from '@percolate/notify/channels/slack'
import { createTelegramChannel } from '@percolate/notify/channels/telegram'
import { startLocalProviders } from '@percolate/notify/testing/local-providers'
import { runRound } from '@percolate/rounds/run-round'
import { createDispatcher } from '../src/dispatcher.ts'

const db = await createTestDatabase()
const providers = await startLocalProviders()
afterAll(async () => {
  await providers.stop()
  await db.drop()
})

const all = async (status: 'pending' | 'sending' | 'sent' | 'failed'): Promise<OutboxItem[]> =>
  (await listOutboxByStatus(db, 'storm', status, { limit: 1000 })).items

test('under every kind of fault each item ends sent or failed; nothing is sent twice but after a late-answered time-out', async () => {
  const deployment = await createDeployment(
    db,
    'storm',
    testSettings({ name: 'Storm Co', enabledChannels: ['email', 'slack', 'telegram', 'signal'] }),
    new Date('2026-01-01T00:00:00Z'),
  )
  const people = 24
  for (let i = 0; i < people; i++)
    await createMember(
      db,
      testMember('storm', `storm-p${String(i).padStart(2, '0')}`, {
        email: `storm.p${i}@acme.test`,
        department: ['A', 'B', 'C'][i % 3]!,
        channels: {
          email: { enabled: true },
          slack: { memberId: `U0STORM${String(i).padStart(2, '0')}` },
          telegram: { chatId: String(900_000 + i) },
          signal: { number: `+4917000000${String(i).padStart(2, '0')}` },
        },
      }),
    )
  const start = new Date('2026-03-02T08:00:00Z')
  await runRound(db, deployment, start, { seed: 9, now: start })
  expect(await all('pending')).toHaveLength(people * 4)

  for (const fake of [providers.slack, providers.telegram, providers.signal, providers.ses]) fake.reset()
  // Slack: rate limits and a 5xx; Telegram: a blocked bot, a time-out and a 5xx; Signal: 429s and a 5xx;
  // SES: throttling, a 5xx and one rejected address.
  providers.slack.faults.enqueue({ kind: 'rate-limit', retryAfterSeconds: 20, route: 'chat.postMessage' }, 3)
  providers.slack.faults.enqueue({ kind: 'server-error', status: 503, route: 'chat.postMessage' }, 2)
  providers.telegram.faults.enqueue({ kind: 'permanent', error: 'Forbidden: bot was blocked by the user' }, 2)
  providers.telegram.faults.enqueue({ kind: 'slow', delayMs: 1_500 }, 2)
  providers.telegram.faults.enqueue({ kind: 'server-error', status: 502 }, 1)
  providers.signal.faults.enqueue({ kind: 'rate-limit', retryAfterSeconds: 10 }, 2)
  providers.signal.faults.enqueue({ kind: 'server-error' }, 1)
  providers.ses.faults.enqueue({ kind: 'rate-limit', retryAfterSeconds: 1 }, 2)
  providers.ses.faults.enqueue({ kind: 'server-error' }, 1)
  providers.ses.faults.enqueue({ kind: 'permanent', error: 'Email address is not verified.' }, 1)

  const dispatcher = createDispatcher({
    db,
    channels: {
      email: createEmailChannel(providers.config.email),
      slack: createSlackChannel({ ...providers.config.slack, timeoutMs: 1_000 }),
      telegram: createTelegramChannel({ ...providers.config.telegram, timeoutMs: 1_000 }),
      signal: createSignalChannel({ ...providers.config.signal, timeoutMs: 1_000 }),
    },
    links: async () => ({
      app: 'http://localhost/',
      pause: 'http://localhost/actions/pause?token=t',
      unsubscribe: 'http://localhost/actions/pause?token=t',
      met: 'http://localhost/actions/met?token=t',
      didNotMeet: 'http://localhost/actions/didnt-meet?token=t',
    }),
    random: () => 0.99,
    // One at a time per channel keeps the fakes' own per-chat limits out of the way.
    concurrency: 4,
  })
  // Dispatch "every minute" until nothing is due: retries come due as time passes.
  let now = start
  for (let minute = 0; minute < 60; minute++) {
    await dispatcher.dispatchDue(deployment, { now })
    if ((await all('pending')).length === 0 && (await all('sending')).length === 0) break
    now = new Date(now.getTime() + 60_000)
  }
  const sent = await all('sent')
  const failed = await all('failed')
  expect((await all('pending')).length + (await all('sending')).length).toBe(0)
  expect(sent.length + failed.length).toBe(people * 4)
  // Exactly the permanent errors failed, each with the provider's reason.
  expect(failed.map((item) => `${item.channel}: ${item.reason}`).sort()).toEqual([
    expect.stringMatching(/^email: .*Email address is not verified/),
    expect.stringMatching(/^telegram: .*bot was blocked/),
    expect.stringMatching(/^telegram: .*bot was blocked/),
  ])
  // No duplicates: every recipient got its message once per channel.
  const once = (recipients: string[]) => new Set(recipients).size === recipients.length
  expect(providers.slack.messages).toHaveLength(people)
  expect(once(providers.slack.messages.map((m) => m.user))).toBe(true)
  // Telegram: 22 delivered once each; the two time-outs were answered late, after the provider had delivered,
  // so those two went again (at least once: no chat API takes an idempotency key). A faster fault-free answer
  // never doubles.
  const chats = providers.telegram.messages.map((m) => m.chatId)
  expect(new Set(chats).size).toBe(people - 2)
  expect(chats.length - new Set(chats).size).toBe(2)
  expect(providers.signal.messages).toHaveLength(people)
  const mail = await providers.ses.store()
  expect(mail.filter((m) => m.destination.to[0]?.startsWith('storm.'))).toHaveLength(people - 1)
  // Retried items say how often they were tried.
  expect(sent.some((item) => item.attempts > 1)).toBe(true)
}, 300_000)

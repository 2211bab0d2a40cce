// The dispatcher against the real local SES and the Slack, Telegram and Signal fakes (which answer as the real
// APIs do, rate limits and permanent errors included), on DynamoDB Local.
import { afterAll, describe, expect, test } from 'bun:test'
import type { Database } from '@percolate/db/database'
import { createDeployment } from '@percolate/db/deployments'
import { createMember } from '@percolate/db/members'
import { getOutboxItem, listMemberOutbox, listOutboxByStatus } from '@percolate/db/outbox'
import { createTestDatabase, testMember, testSettings } from '@percolate/db/testing'
import type { Deployment } from '@percolate/domain/deployment'
import type { Member } from '@percolate/domain/member'
import { createEmailChannel } from '@percolate/notify/channels/email'
import { createSignalChannel } from '@percolate/notify/channels/signal'
import { createSlackChannel } from '@percolate/notify/channels/slack'
import { createTelegramChannel } from '@percolate/notify/channels/telegram'
import { startLocalProviders } from '@percolate/notify/testing/local-providers'
import { runRound } from '@percolate/rounds/run-round'
import { createDispatcher, type DispatcherConfig } from '../src/dispatcher.ts'

const db = await createTestDatabase()
const providers = await startLocalProviders()
afterAll(async () => {
  await providers.stop()
  await db.drop()
})

const channels = {
  email: createEmailChannel(providers.config.email),
  slack: createSlackChannel(providers.config.slack),
  telegram: createTelegramChannel(providers.config.telegram),
  signal: createSignalChannel(providers.config.signal),
}
const links: DispatcherConfig['links'] = async ({ memberId, scheduledAt }) => ({
  app: 'http://localhost:5173/',
  pause: `http://localhost:5173/pause?m=${memberId}`,
  unsubscribe: `http://localhost:5173/unsubscribe?m=${memberId}`,
  met: `http://localhost:5173/met?m=${memberId}&r=${scheduledAt}`,
  didNotMeet: `http://localhost:5173/didnt-meet?m=${memberId}&r=${scheduledAt}`,
})
const dispatcher = (database: Database = db) =>
  createDispatcher({
    db: database,
    channels,
    links,
    invite: { organizer: { name: 'Percolate', email: 'percolate@localhost' }, uidDomain: 'percolate.test' },
    random: () => 0.5,
  })

async function roster(id: string, people: Partial<Member>[]): Promise<Deployment> {
  const deployment = await createDeployment(
    db,
    id,
    testSettings({ name: `Company ${id}`, enabledChannels: ['signal', 'telegram', 'slack', 'email'] }),
    new Date('2026-01-01T00:00:00Z'),
  )
  for (const [i, person] of people.entries()) {
    await createMember(
      db,
      testMember(id, `${id}-p${i}`, {
        email: `${id}.p${i}@acme.test`,
        name: `Person ${i} <b>bold</b>`,
        department: ['A', 'B'][i % 2]!,
        location: 'Berlin',
        bio: 'Bio with <script>alert(1)</script> and *stars*',
        interests: ['chess'],
        ...person,
      }),
    )
  }
  return deployment
}

const at = new Date('2026-03-02T08:00:00Z')

describe('dispatch', () => {
  test('sends every item of a round on its channel, once, and records the provider ids', async () => {
    const deployment = await roster('sendall', [
      {},
      { channels: { email: { enabled: true }, slack: { memberId: 'U0100001' } } },
      { channels: { email: { enabled: false }, telegram: { chatId: '4242' } } },
      { channels: { email: { enabled: true }, signal: { number: '+491701234567' } } },
    ])
    await runRound(db, deployment, at, { seed: 1, now: at })
    const since = Math.floor(Date.now() / 1000) - 1
    // Two dispatchers at once: each item still goes out exactly once.
    const [first, second] = await Promise.all([
      dispatcher().dispatchDue(deployment, { now: at }),
      dispatcher().dispatchDue(deployment, { now: at }),
    ])
    expect(first.sent + second.sent).toBe(3 + 1 + 1 + 1)
    expect(first.failed + second.failed + first.retried + second.retried).toBe(0)
    const mail = (await providers.ses.store(since)).filter((m) => m.destination.to[0]?.includes('sendall'))
    expect(mail.map((m) => m.destination.to[0]).sort()).toEqual([
      'sendall.p0@acme.test',
      'sendall.p1@acme.test',
      'sendall.p3@acme.test',
    ])
    const one = mail[0]!
    expect(one.subject).toContain('Person')
    expect(one.body.html).not.toContain('<script>')
    expect(one.body.text).toContain('Why:')
    expect(one.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' })
    const ics = Buffer.from(one.attachments[0]!.content, 'base64').toString()
    expect(ics).toContain('METHOD:REQUEST')
    expect(ics).toContain('ATTENDEE')
    expect(providers.slack.messages.filter((m) => m.user === 'U0100001')).toHaveLength(1)
    expect(providers.telegram.messages.filter((m) => m.chatId === '4242')).toHaveLength(1)
    expect(providers.signal.messages.length).toBeGreaterThanOrEqual(1)
    const sent = (await listOutboxByStatus(db, 'sendall', 'sent', { limit: 50 })).items
    expect(sent).toHaveLength(6)
    expect(sent.every((item) => item.providerMessageId && item.attempts === 1)).toBe(true)
    // Nothing left to do.
    expect(await dispatcher().dispatchDue(deployment, { now: at })).toEqual({
      sent: 0,
      failed: 0,
      retried: 0,
      skipped: 0,
    })
  })

  test("a rate limit waits at least the provider's Retry-After, then sends", async () => {
    const deployment = await roster('limited', [
      { channels: { email: { enabled: false }, slack: { memberId: 'U0200001' } } },
      { channels: { email: { enabled: false }, slack: { memberId: 'U0200002' } } },
    ])
    await runRound(db, deployment, at, { seed: 1, now: at })
    providers.slack.faults.enqueue(
      { kind: 'rate-limit', retryAfterSeconds: 30, route: 'chat.postMessage' },
      2,
    )
    const counts = await dispatcher().dispatchDue(deployment, { now: at })
    expect(counts.retried).toBe(2)
    const pending = (await listOutboxByStatus(db, 'limited', 'pending')).items
    expect(pending).toHaveLength(2)
    for (const item of pending) {
      expect(Date.parse(item.nextAttemptAt) - at.getTime()).toBeGreaterThanOrEqual(30_000)
      expect(item.reason).toContain('429')
    }
    expect((await dispatcher().dispatchDue(deployment, { now: new Date(at.getTime() + 10_000) })).sent).toBe(
      0,
    )
    expect((await dispatcher().dispatchDue(deployment, { now: new Date(at.getTime() + 31_000) })).sent).toBe(
      2,
    )
  })

  test('a permanent failure is not retried, says why, and email takes over', async () => {
    const deployment = await roster('blocked', [
      { channels: { email: { enabled: true }, telegram: { chatId: '777' } } },
      { channels: { email: { enabled: false }, telegram: { chatId: '778' } } },
    ])
    await runRound(db, deployment, at, { seed: 1, now: at })
    providers.telegram.faults.enqueue(
      { kind: 'permanent', error: 'Forbidden: bot was blocked by the user' },
      2,
    )
    // p0 has email and Telegram: the email goes anyway; p1 has Telegram only.
    const counts = await dispatcher().dispatchDue(deployment, { now: at })
    expect(counts.failed).toBe(2)
    const failed = (await listOutboxByStatus(db, 'blocked', 'failed')).items
    expect(failed.map((item) => item.reason)).toEqual([
      expect.stringContaining('bot was blocked'),
      expect.stringContaining('bot was blocked'),
    ])
    const p1 = await listMemberOutbox(db, 'blocked', 'blocked-p1')
    expect(p1.map((i) => `${i.channel} ${i.status}`)).toEqual(['telegram failed'])
    // Nothing more happens later: no retry of a permanent failure.
    expect(
      await dispatcher().dispatchDue(deployment, { now: new Date(at.getTime() + 3_600_000) }),
    ).toMatchObject({
      failed: 0,
      retried: 0,
    })
    expect(
      await getOutboxItem(db, {
        deploymentId: 'blocked',
        memberId: 'blocked-p0',
        scheduledAt: at.toISOString(),
        kind: 'match',
        channel: 'email',
      }),
    ).toMatchObject({ status: 'sent' })
  })
})

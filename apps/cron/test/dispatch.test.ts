// percolate-cron dispatch and the Lambda stream handler, against DynamoDB Local, the local SES and the chat fakes.
import { afterAll, describe, expect, test } from 'bun:test'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { createDeployment } from '@percolate/db/deployments'
import { createMember } from '@percolate/db/members'
import { listOutboxByStatus } from '@percolate/db/outbox'
import { createTestDatabase, testMember, testSettings } from '@percolate/db/testing'
import type { Deployment } from '@percolate/domain/deployment'
import { startLocalProviders } from '@percolate/notify/testing/local-providers'
import { runRound } from '@percolate/rounds/run-round'
import { readCronEnv } from '../src/config.ts'
import { createDispatcherFromEnv } from '../src/dispatcher-setup.ts'
import { createStreamHandler } from '../src/lambda.ts'
import { runCli } from '../src/main.ts'
import { localCronEnv } from './local-cron-env.ts'

const db = await createTestDatabase()
const providers = await startLocalProviders()
afterAll(async () => {
  await providers.stop()
  await db.drop()
})
const env = {
  ...(await localCronEnv(db, providers)),
}
const at = new Date('2026-03-02T08:00:00Z')

async function roster(id: string, size: number): Promise<Deployment> {
  const deployment = await createDeployment(
    db,
    id,
    testSettings({ name: `Company ${id}`, enabledChannels: ['email', 'slack', 'telegram'] }),
    new Date('2026-01-01T00:00:00Z'),
  )
  for (let i = 0; i < size; i++)
    await createMember(
      db,
      testMember(id, `${id}-p${i}`, {
        email: `${id}.p${i}@acme.test`,
        department: ['A', 'B'][i % 2]!,
        channels: {
          email: { enabled: true },
          ...(i === 0 ? { slack: { memberId: 'U0300001' } } : {}),
          ...(i === 1 ? { telegram: { chatId: '31337' } } : {}),
        },
      }),
    )
  return deployment
}

describe('percolate-cron dispatch', () => {
  test('sends the outbox of a round; a channel without settings fails with the setting named', async () => {
    const deployment = await roster('cron-dispatch', 4)
    await runRound(db, deployment, at, { seed: 3, now: at })
    const since = Math.floor(Date.now() / 1000) - 1
    const lines: Record<string, unknown>[] = []
    const result = await runCli(
      ['dispatch', '--deployment', 'cron-dispatch', '--at', '2026-03-02T08:05:00Z'],
      {
        env,
        db,
        log: (line) => lines.push(line),
      },
    )
    expect(result).toEqual({ exitCode: 0 })
    expect(lines.at(-1)).toMatchObject({ step: 'dispatch', outcome: 'done', sent: 5, failed: 1 })
    const mail = (await providers.ses.store(since)).filter((m) =>
      m.destination.to[0]?.startsWith('cron-dispatch'),
    )
    expect(mail).toHaveLength(4)
    // Links are signed and point at PUBLIC_URL's /actions endpoints.
    expect(mail[0]!.body.html).toContain('http://localhost:5173/actions/met?token=')
    expect(providers.slack.messages.filter((m) => m.user === 'U0300001')).toHaveLength(1)
    const [failed] = (await listOutboxByStatus(db, 'cron-dispatch', 'failed')).items
    expect(failed).toMatchObject({
      channel: 'telegram',
      reason: 'Telegram is not configured (TELEGRAM_BOT_TOKEN)',
    })
  })

  test('without PUBLIC_URL and SESSION_SIGNING_KEY, dispatch says what is missing and exits 1', async () => {
    await roster('cron-unconfigured', 2)
    const result = await runCli(['dispatch', '--deployment', 'cron-unconfigured'], {
      env: { ...env, SESSION_SIGNING_KEY: '' },
      db,
      log: () => {},
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('sending notifications needs PUBLIC_URL')
    expect(result.stderr).not.toContain('PRIVATE KEY')
  })
})

/** The stream's NEW_IMAGE is the raw item, as DynamoDB stores it: the email outbox item of `item`'s member. */
async function rawEmailOutboxItem(deploymentId: string, item: { memberId: string; scheduledAt: string }) {
  const { Item } = await db.client.send(
    new GetItemCommand({
      TableName: db.tableName,
      Key: {
        pk: { S: `DEP#${deploymentId}` },
        sk: { S: `OUTBOX#${item.memberId}#${item.scheduledAt}#match#email` },
      },
    }),
  )
  return Item!
}

describe('the Lambda stream handler', () => {
  test('sends inserted outbox items from a stream batch, ignores everything else, reports failures per record', async () => {
    const deployment = await roster('stream', 2)
    await runRound(db, deployment, at, { seed: 5, now: at })
    const config = readCronEnv(env)
    const dispatcher = await createDispatcherFromEnv(config, db, () => {})
    const handler = createStreamHandler(async () => ({ db, dispatcher }))
    const [item] = (await listOutboxByStatus(db, 'stream', 'pending')).items
    const Item = await rawEmailOutboxItem('stream', item!)
    const event = {
      Records: [
        { eventID: '1', eventName: 'INSERT' as const, dynamodb: { NewImage: Item, SequenceNumber: '100' } },
        { eventID: '2', eventName: 'MODIFY' as const, dynamodb: { NewImage: Item, SequenceNumber: '101' } },
        {
          eventID: '3',
          eventName: 'INSERT' as const,
          dynamodb: { NewImage: { _et: { S: 'Member' } }, SequenceNumber: '102' },
        },
      ],
    }
    expect(await handler(event)).toEqual({ batchItemFailures: [] })
    const sent = (await listOutboxByStatus(db, 'stream', 'sent')).items
    expect(sent.map((i) => i.memberId)).toEqual([item!.memberId])
    // Delivered again (Lambda retries a batch): nothing is sent twice.
    expect(await handler(event)).toEqual({ batchItemFailures: [] })
    expect((await listOutboxByStatus(db, 'stream', 'sent')).items).toHaveLength(1)
  })
  test('leaves an item on a channel the Lambda has no settings for pending, for percolate-cron dispatch', async () => {
    const deployment = await roster('stream-left', 2)
    await runRound(db, deployment, at, { seed: 5, now: at })
    const config = readCronEnv(env)
    const dispatcher = await createDispatcherFromEnv(config, db, () => {})
    const handler = createStreamHandler(async () => ({
      db,
      dispatcher,
      channels: new Set(['slack' as const]),
    }))
    const [item] = (await listOutboxByStatus(db, 'stream-left', 'pending')).items
    const Item = await rawEmailOutboxItem('stream-left', item!)
    const event = {
      Records: [
        { eventID: '1', eventName: 'INSERT' as const, dynamodb: { NewImage: Item, SequenceNumber: '7' } },
      ],
    }
    expect(await handler(event)).toEqual({ batchItemFailures: [] })
    expect((await listOutboxByStatus(db, 'stream-left', 'sent')).items).toHaveLength(0)
    expect((await listOutboxByStatus(db, 'stream-left', 'failed')).items).toHaveLength(0)
    expect((await listOutboxByStatus(db, 'stream-left', 'pending')).items.map((i) => i.memberId)).toContain(
      item!.memberId,
    )
  })
})

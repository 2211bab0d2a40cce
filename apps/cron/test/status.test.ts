// percolate-cron status against DynamoDB Local: the last rounds and the failed notifications, as tables and as JSON,
// read with Queries and GetItems only.
import { afterAll, describe, expect, test } from 'bun:test'
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase } from '@percolate/db/database'
import { createDeployment, getDeployment } from '@percolate/db/deployments'
import { createMember } from '@percolate/db/members'
import { claimOutboxItem, finishOutboxItem, newOutboxItem, outboxWritesOnce } from '@percolate/db/outbox'
import { recordSkippedRound } from '@percolate/db/rounds'
import { createTestDatabase, testEndpoint, testMember, testSettings } from '@percolate/db/testing'
import { writeEachOnce } from '@percolate/db/write-once'
import { runRound } from '@percolate/rounds/run-round'
import { runCli } from '../src/main.ts'
import type { DeploymentStatus } from '../src/status-report.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())
const env = { DYNAMODB_TABLE: db.tableName, DYNAMODB_ENDPOINT: testEndpoint(), AWS_REGION: 'local' }

/** A handle on the same table that records the name of every DynamoDB request. */
function recordingDatabase() {
  const client = createDynamoClient({ endpoint: testEndpoint(), region: 'local' })
  const requests: string[] = []
  client.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(String(context.commandName))
      return next(args)
    },
    { step: 'initialize', name: 'recordRequests' },
  )
  return { db: createDatabase({ client, tableName: db.tableName }), requests, close: () => client.destroy() }
}

async function status(argv: string[]) {
  const recording = recordingDatabase()
  try {
    const result = await runCli(['status', ...argv], { env, db: recording.db, log: () => {} })
    return { ...result, requests: recording.requests }
  } finally {
    recording.close()
  }
}

async function failNotification(deploymentId: string, memberId: string, reason: string, at: Date) {
  const key = { deploymentId, memberId, scheduledAt: '2026-03-02T08:00:00.000Z', kind: 'match' as const }
  const item = newOutboxItem({ ...key, channel: 'signal' }, at)
  await writeEachOnce(outboxWritesOnce(db, [item]))
  const claimed = await claimOutboxItem(db, item, 60, at)
  await finishOutboxItem(db, claimed!, { status: 'failed', reason }, at)
}

const berlin = testSettings({ name: 'Berlin Office' })
// Five Mondays: three skipped (missed), then two rounds that ran.
await createDeployment(db, 'office', berlin, new Date('2026-02-01T00:00:00Z'))
for (let i = 0; i < 5; i++)
  await createMember(db, testMember('office', `office-p${i}`, { email: `office.p${i}@acme.test` }))
for (const monday of ['2026-02-02', '2026-02-09', '2026-02-16'])
  await recordSkippedRound(db, {
    deploymentId: 'office',
    scheduledAt: `${monday}T08:00:00.000Z`,
    reason: 'missed: no run started within the 24 h deadline',
  })
const office = (await getDeployment(db, 'office'))!
for (const at of ['2026-02-23T08:00:00.000Z', '2026-03-02T08:00:00.000Z'])
  await runRound(db, office, new Date(at), { seed: 7, now: new Date(at) })
await failNotification(
  'office',
  'office-p1',
  'Signal: UNREGISTERED_FAILURE for +4915550000123',
  new Date('2026-03-02T08:01:00Z'),
)
await failNotification(
  'office',
  'office-p3',
  'SES MessageRejected: Email address is not verified. The following identities failed the check: office.p3@acme.test',
  new Date('2026-03-02T08:02:00Z'),
)
await createDeployment(db, 'quiet', testSettings({ name: 'Quiet Co', timeZone: 'America/New_York' }))

describe('percolate-cron status', () => {
  test('prints the last rounds and the failed notifications as tables, masking addresses in reasons', async () => {
    const result = await status(['--deployment', 'office'])
    expect(result.exitCode).toBe(0)
    const text = result.stdout!
    expect(text).toStartWith('Deployment office (Berlin Office, Europe/Berlin)\n')
    const rounds = text
      .slice(text.indexOf('Last 5 rounds'), text.indexOf('Failed notifications'))
      .trim()
      .split('\n')
    expect(rounds[1]).toMatch(
      /^ {2}SCHEDULED AT \(UTC\) +STATE +PARTICIPANTS +GROUPS +LEFT OUT +SKIPPED REASON$/,
    )
    // Newest first; five members in pairs: two groups (one of three), nobody left out.
    expect(rounds.slice(2).map((row) => row.trim().split(/\s{2,}/))).toEqual([
      ['2026-03-02T08:00:00.000Z', 'completed', '5', '2', '0'],
      ['2026-02-23T08:00:00.000Z', 'completed', '5', '2', '0'],
      [
        '2026-02-16T08:00:00.000Z',
        'skipped',
        '0',
        '0',
        '0',
        'missed: no run started within the 24 h deadline',
      ],
      [
        '2026-02-09T08:00:00.000Z',
        'skipped',
        '0',
        '0',
        '0',
        'missed: no run started within the 24 h deadline',
      ],
      [
        '2026-02-02T08:00:00.000Z',
        'skipped',
        '0',
        '0',
        '0',
        'missed: no run started within the 24 h deadline',
      ],
    ])
    const failed = text.slice(text.indexOf('Failed notifications')).trim().split('\n')
    expect(failed[0]).toBe('Failed notifications (newest first):')
    expect(failed.slice(2).map((row) => row.trim().split(/\s{2,}/))).toEqual([
      [
        '2026-03-02T08:02:00.000Z',
        'signal',
        'match',
        'office-p3',
        '2026-03-02T08:00:00.000Z',
        'SES MessageRejected: Email address is not verified. The following identities failed the check: <email>',
      ],
      [
        '2026-03-02T08:01:00.000Z',
        'signal',
        'match',
        'office-p1',
        '2026-03-02T08:00:00.000Z',
        'Signal: UNREGISTERED_FAILURE for <phone>',
      ],
    ])
    expect(text).not.toContain('@acme.test')
    expect(text).not.toContain('+4915550000123')
  })

  test('--json prints one line; --limit picks the number of rounds', async () => {
    const result = await status(['--deployment', 'office', '--limit', '2', '--json'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout!.trimEnd().split('\n')).toHaveLength(1)
    const { deployments } = JSON.parse(result.stdout!) as { deployments: DeploymentStatus[] }
    expect(deployments).toHaveLength(1)
    expect(deployments[0]!.rounds).toEqual([
      {
        scheduledAt: '2026-03-02T08:00:00.000Z',
        state: 'completed',
        participants: 5,
        groups: 2,
        leftOut: 0,
        skippedReason: null,
      },
      {
        scheduledAt: '2026-02-23T08:00:00.000Z',
        state: 'completed',
        participants: 5,
        groups: 2,
        leftOut: 0,
        skippedReason: null,
      },
    ])
    expect(
      deployments[0]!.failedNotifications.map((item) => [item.memberId, item.channel, item.reason]),
    ).toEqual([
      [
        'office-p3',
        'signal',
        'SES MessageRejected: Email address is not verified. The following identities failed the check: <email>',
      ],
      ['office-p1', 'signal', 'Signal: UNREGISTERED_FAILURE for <phone>'],
    ])
    expect(deployments[0]!.moreFailedNotifications).toBe(false)
  })

  test('--all (the default) shows every deployment; one with nothing yet says so', async () => {
    for (const argv of [['--all'], []]) {
      const result = await status(argv)
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('Deployment office (Berlin Office, Europe/Berlin)')
      expect(result.stdout).toContain(
        'Deployment quiet (Quiet Co, America/New_York)\n\nLast 5 rounds, newest first:\n  none yet\n\nFailed notifications (newest first):\n  none\n',
      )
    }
  })

  test('reads with Query and GetItem only, never Scan, and writes nothing', async () => {
    const result = await status(['--all', '--json'])
    expect(result.exitCode).toBe(0)
    expect(result.requests.length).toBeGreaterThan(0)
    expect(new Set(result.requests)).toEqual(new Set(['QueryCommand', 'GetItemCommand']))
  })

  test('an unknown deployment exits 1 naming it; wrong flags exit 2', async () => {
    const missing = await status(['--deployment', 'nope'])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toBe("percolate-cron: status: no deployment 'nope'")
    expect((await status(['--limit', '0'])).stderr).toContain(
      '--limit: "0" is not a whole number from 1 to 100',
    )
    expect((await status(['--limit', 'all'])).exitCode).toBe(2)
    expect((await status(['--dry-run'])).stderr).toContain('--dry-run is a flag of run only')
    expect((await status(['--at', '2026-03-02T08:00:00Z'])).stderr).toContain(
      '--at is a flag of run, dispatch and checkin only',
    )
    expect((await runCli(['run', '--json'])).stderr).toContain('--json is a flag of status only')
  })
})

// The run's metrics, pushed to a local Pushgateway stand-in after real rounds against DynamoDB Local, the local SES
// and the chat fakes; and the JSON lines' run id and masking.
import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { createDeployment } from '@percolate/db/deployments'
import { createMember } from '@percolate/db/members'
import { createTestDatabase, testMember, testSettings } from '@percolate/db/testing'
import { startLocalProviders } from '@percolate/notify/testing/local-providers'
import { runCli } from '../src/main.ts'
import { localCronEnv } from './local-cron-env.ts'
import { metricNames, sampleValue, startFakePushgateway } from './pushgateway.ts'

const db = await createTestDatabase()
const providers = await startLocalProviders()
const gateway = startFakePushgateway()
afterAll(async () => {
  await gateway.stop()
  await providers.stop()
  await db.drop()
})
beforeEach(() => {
  gateway.pushes.length = 0
  gateway.answerWith(200)
})

const SIGNAL_NUMBER = '+4915550000123'
const env = {
  ...(await localCronEnv(db, providers)),
  SIGNAL_API_URL: providers.config.signal.baseUrl,
  SIGNAL_NUMBER: providers.config.signal.senderNumber,
  METRICS_PUSHGATEWAY_URL: gateway.url,
  METRICS_INSTANCE: 'acme',
}

/** Four members in pairs; Mondays 09:00 Berlin; created before the Monday of 23 February (missed: skipped). */
async function roster(id: string) {
  await createDeployment(
    db,
    id,
    testSettings({ name: `Company ${id}`, enabledChannels: ['email', 'slack', 'signal'] }),
    new Date('2026-02-20T00:00:00Z'),
  )
  for (let i = 0; i < 4; i++)
    await createMember(
      db,
      testMember(id, `${id}-p${i}`, {
        email: `${id}.p${i}@acme.test`,
        department: ['A', 'B'][i % 2]!,
        channels: {
          email: { enabled: true },
          ...(i === 0 ? { slack: { memberId: 'U0400001' } } : {}),
          ...(i === 1 ? { signal: { number: SIGNAL_NUMBER } } : {}),
        },
      }),
    )
}

async function cli(argv: string[], environment: Record<string, string | undefined> = env) {
  const lines: Record<string, unknown>[] = []
  const result = await runCli(argv, { env: environment, db, log: (line) => lines.push(line) })
  return { result, lines }
}

const pushTo = (group: string) =>
  gateway.pushes.find((push) => push.path === `/metrics/job/percolate-cron${group}`)

describe('metrics pushed to a Pushgateway', () => {
  test('a real round: duration, size, rounds by outcome and notifications by channel, in two groups', async () => {
    await roster('metrics')
    // Signal refuses the number for good: a failed notification whose provider reason quotes it.
    providers.signal.faults.enqueue({ kind: 'permanent' })
    const { result, lines } = await cli(['run', '--deployment', 'metrics', '--at', '2026-03-02T08:05:00Z'])
    expect(result).toEqual({ exitCode: 0 })

    expect(gateway.pushes.map((push) => `${push.method} ${push.path}`).sort()).toEqual([
      'POST /metrics/job/percolate-cron/instance/acme/command/run',
      'POST /metrics/job/percolate-cron/instance/acme/command/run/deployment/metrics',
    ])
    for (const push of gateway.pushes) expect(push.contentType).toStartWith('text/plain; version=0.0.4')

    const deployment = pushTo('/instance/acme/command/run/deployment/metrics')!.body
    expect(sampleValue(deployment, 'percolate_round_participants')).toBe(4)
    expect(sampleValue(deployment, 'percolate_round_groups')).toBe(2)
    expect(sampleValue(deployment, 'percolate_round_left_out')).toBe(0)
    expect(sampleValue(deployment, 'percolate_round_duration_seconds_count')).toBe(1)
    const seconds = sampleValue(deployment, 'percolate_round_duration_seconds_sum')!
    expect(seconds).toBeGreaterThan(0)
    expect(seconds).toBeLessThan(60)
    const completedAt = sampleValue(deployment, 'percolate_round_last_completed_timestamp_seconds')!
    expect(Math.abs(completedAt - Date.now() / 1000)).toBeLessThan(60)
    expect(sampleValue(deployment, 'percolate_rounds', { outcome: 'completed' })).toBe(1)
    // The Monday before the deployment's first run was missed.
    expect(sampleValue(deployment, 'percolate_rounds', { outcome: 'skipped' })).toBe(1)
    expect(sampleValue(deployment, 'percolate_rounds', { outcome: 'failed' })).toBe(0)
    expect(sampleValue(deployment, 'percolate_rounds', { outcome: 'nothing_due' })).toBe(0)
    const notifications = (channel: string, outcome: string) =>
      sampleValue(deployment, 'percolate_notifications', { channel, outcome })
    expect(notifications('email', 'sent')).toBe(4)
    expect(notifications('slack', 'sent')).toBe(1)
    expect(notifications('signal', 'failed')).toBe(1)
    expect(notifications('signal', 'sent')).toBe(0)
    expect(notifications('email', 'retried')).toBe(0)
    // The per-channel figures add up to the dispatcher's own counts.
    expect(lines.find((line) => line.step === 'dispatch' && line.outcome === 'done')).toMatchObject({
      sent: 5,
      failed: 1,
      retried: 0,
    })

    const run = pushTo('/instance/acme/command/run')!.body
    expect(sampleValue(run, 'percolate_cron_failures')).toBe(0)
    expect(sampleValue(run, 'percolate_cron_duration_seconds')).toBeGreaterThan(0)
    expect(sampleValue(run, 'percolate_cron_last_success_timestamp_seconds')).toBe(
      sampleValue(run, 'percolate_cron_last_run_timestamp_seconds'),
    )
    expect(lines.at(-1)).toMatchObject({ step: 'metrics', outcome: 'pushed', groups: 2 })
  })

  test('a run with nothing due pushes no round size, so the Pushgateway keeps the last round’s', async () => {
    await roster('quiet')
    expect(
      (await cli(['run', '--deployment', 'quiet', '--at', '2026-03-02T08:05:00Z'])).result.exitCode,
    ).toBe(0)
    gateway.pushes.length = 0
    expect(
      (await cli(['run', '--deployment', 'quiet', '--at', '2026-03-02T09:00:00Z'])).result.exitCode,
    ).toBe(0)
    const deployment = pushTo('/instance/acme/command/run/deployment/quiet')!.body
    expect(sampleValue(deployment, 'percolate_rounds', { outcome: 'nothing_due' })).toBe(1)
    expect(sampleValue(deployment, 'percolate_rounds', { outcome: 'completed' })).toBe(0)
    expect(metricNames(deployment)).toEqual(['percolate_rounds'])
  })

  test('a failed run: failures counted, no success time pushed, the exit code says so', async () => {
    const { result } = await cli(['run', '--deployment', 'nope'])
    expect(result.exitCode).toBe(1)
    const run = pushTo('/instance/acme/command/run')!.body
    expect(sampleValue(run, 'percolate_cron_failures')).toBe(1)
    expect(metricNames(run)).not.toContain('percolate_cron_last_success_timestamp_seconds')
    const deployment = pushTo('/instance/acme/command/run/deployment/nope')!.body
    expect(sampleValue(deployment, 'percolate_rounds', { outcome: 'failed' })).toBe(1)
  })

  test('dispatch and checkin push under their own command; without METRICS_INSTANCE there is no instance', async () => {
    await roster('other-commands')
    const { METRICS_INSTANCE: _, ...noInstance } = env
    expect((await cli(['checkin', '--deployment', 'other-commands'], noInstance)).result.exitCode).toBe(0)
    expect(gateway.pushes.map((push) => push.path)).toEqual(['/metrics/job/percolate-cron/command/checkin'])
    gateway.pushes.length = 0
    expect((await cli(['dispatch', '--deployment', 'other-commands'])).result.exitCode).toBe(0)
    expect(gateway.pushes.map((push) => push.path).sort()).toEqual([
      '/metrics/job/percolate-cron/instance/acme/command/dispatch',
      '/metrics/job/percolate-cron/instance/acme/command/dispatch/deployment/other-commands',
    ])
    // Nothing was due: every channel of the deployment shows 0.
    const body = pushTo('/instance/acme/command/dispatch/deployment/other-commands')!.body
    expect(sampleValue(body, 'percolate_notifications', { channel: 'signal', outcome: 'sent' })).toBe(0)
  })

  test('a Pushgateway that fails or is not there: one JSON line, and the exit code is the work’s', async () => {
    await roster('unpushed')
    gateway.answerWith(500)
    const refused = await cli(['run', '--deployment', 'unpushed', '--at', '2026-03-02T08:05:00Z'])
    expect(refused.result).toEqual({ exitCode: 0 })
    const failures = refused.lines.filter((line) => line.step === 'metrics')
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ outcome: 'failed', failedGroups: 2, groups: 2 })
    expect(String(failures[0]!.reason)).toContain('push failed with status 500')

    const gone = await cli(['run', '--deployment', 'unpushed'], {
      ...env,
      METRICS_PUSHGATEWAY_URL: 'http://user:secret@127.0.0.1:1',
    })
    expect(gone.result).toEqual({ exitCode: 0 })
    const [line, ...more] = gone.lines.filter((l) => l.step === 'metrics')
    expect(more).toEqual([])
    expect(line).toMatchObject({ outcome: 'failed', gateway: '127.0.0.1:1' })
    expect(JSON.stringify(gone.lines)).not.toContain('secret')
  })

  test('without METRICS_PUSHGATEWAY_URL nothing is pushed', async () => {
    await roster('unset')
    const { METRICS_PUSHGATEWAY_URL: _, ...unset } = env
    const { result, lines } = await cli(
      ['run', '--deployment', 'unset', '--at', '2026-03-02T08:05:00Z'],
      unset,
    )
    expect(result.exitCode).toBe(0)
    expect(gateway.pushes).toEqual([])
    expect(lines.filter((line) => line.step === 'metrics')).toEqual([])
  })

  test('a Pushgateway URL that is not one is named with what is allowed', async () => {
    const { result } = await cli(['run'], { ...env, METRICS_PUSHGATEWAY_URL: 'pushgateway:9091' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('METRICS_PUSHGATEWAY_URL: must be the Pushgateway URL')
  })
})

describe('JSON lines', () => {
  test('every line carries the invocation’s runId; emails and phone numbers never appear', async () => {
    await roster('logged')
    providers.signal.faults.enqueue({ kind: 'permanent' })
    const first = await cli(['run', '--deployment', 'logged', '--at', '2026-03-02T08:05:00Z'])
    const second = await cli(['run', '--deployment', 'logged', '--at', '2026-03-02T09:00:00Z'])
    for (const { lines } of [first, second]) {
      expect(lines.length).toBeGreaterThan(1)
      const ids = new Set(lines.map((line) => line.runId))
      expect(ids.size).toBe(1)
      expect([...ids][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
    expect(first.lines[0]!.runId).not.toBe(second.lines[0]!.runId)
    const text = JSON.stringify(first.lines)
    // The Signal failure's reason quoted the number: it is masked, the member id stays.
    const signal = first.lines.find((line) => line.channel === 'signal' && line.outcome === 'failed')
    expect(signal?.reason).toBe('Signal: UNREGISTERED_FAILURE for <phone>')
    expect(signal?.item).toStartWith('logged-p1#')
    expect(text).not.toContain(SIGNAL_NUMBER)
    expect(text).not.toContain('@acme.test')
  })

  test('--dry-run prints groups by member id and reason only', async () => {
    await roster('dry-logged')
    const { lines } = await cli([
      'run',
      '--deployment',
      'dry-logged',
      '--at',
      '2026-03-02T08:05:00Z',
      '--dry-run',
    ])
    const groups = lines.find((line) => line.step === 'groups')?.groups as { memberIds: string[] }[]
    expect(groups.flatMap((group) => group.memberIds).sort()).toEqual([
      'dry-logged-p0',
      'dry-logged-p1',
      'dry-logged-p2',
      'dry-logged-p3',
    ])
    expect(JSON.stringify(lines)).not.toContain('Person ')
  })
})

describe('the compiled binary', () => {
  test('pushes to the Pushgateway and writes nothing but JSON lines', async () => {
    await roster('compiled')
    const job = Bun.spawn(
      [
        join(import.meta.dir, '../bin/percolate-cron'),
        'run',
        '--deployment',
        'compiled',
        '--at',
        '2026-03-02T08:05:00Z',
      ],
      { env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' },
    )
    expect(await job.exited).toBe(0)
    expect(await new Response(job.stderr).text()).toBe('')
    const lines = (await new Response(job.stdout).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(new Set(lines.map((line) => line.runId)).size).toBe(1)
    expect(lines.at(-1)).toMatchObject({ step: 'metrics', outcome: 'pushed' })
    const deployment = pushTo('/instance/acme/command/run/deployment/compiled')!.body
    expect(sampleValue(deployment, 'percolate_round_participants')).toBe(4)
    expect(sampleValue(deployment, 'percolate_rounds', { outcome: 'completed' })).toBe(1)
  })
})

import { afterAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { createDeployment } from '@percolate/db/deployments'
import { listRoundMatches } from '@percolate/db/matches'
import { createMember } from '@percolate/db/members'
import { listOutboxByStatus } from '@percolate/db/outbox'
import { getRound, listRoundGroups, listRounds, type Round } from '@percolate/db/rounds'
import { createTestDatabase, testEndpoint, testMember, testSettings } from '@percolate/db/testing'
import type { Deployment } from '@percolate/domain/deployment'
import { runRound } from '@percolate/rounds/run-round'
import { runCli } from '../src/main.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())
const binary = join(import.meta.dir, '../bin/percolate-cron')
const created = new Date('2026-01-01T00:00:00Z')

async function deployment(
  id: string,
  timeZone: string,
  schedule: { kind: 'weekly'; weekday: string; time: string },
  members = 4,
): Promise<Deployment> {
  const result = await createDeployment(
    db,
    id,
    testSettings({ name: id, timeZone, schedule: schedule as Deployment['schedule'] }),
    created,
  )
  for (let i = 0; i < members; i++) {
    await createMember(
      db,
      testMember(id, `${id}-person-${String(i).padStart(2, '0')}`, {
        name: `Person ${String(i).padStart(2, '0')}`,
        department: ['A', 'B', 'C'][i % 3]!,
        timeZone,
      }),
      created,
    )
  }
  return result
}

const env = { DYNAMODB_TABLE: db.tableName, DYNAMODB_ENDPOINT: testEndpoint(), AWS_REGION: 'local' }
const cli = (argv: string[], lines: Record<string, unknown>[] = []) =>
  runCli(argv, { env, db, log: (line) => lines.push(line) })

async function allRounds(id: string): Promise<Round[]> {
  const rounds: Round[] = []
  let cursor: string | null = null
  do {
    const page = await listRounds(db, id, { limit: 100, cursor })
    rounds.push(...page.rounds)
    cursor = page.nextCursor
  } while (cursor)
  return rounds.reverse()
}

const local = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso))

describe('percolate-cron run: schedules across daylight saving time', () => {
  test('Berlin and New York rounds fire at their local time through both DST changes, once each', async () => {
    await deployment('berlin', 'Europe/Berlin', { kind: 'weekly', weekday: 'monday', time: '09:00' })
    await deployment('berlin-night', 'Europe/Berlin', { kind: 'weekly', weekday: 'sunday', time: '02:30' })
    await deployment('new-york', 'America/New_York', { kind: 'weekly', weekday: 'monday', time: '09:00' })
    await deployment('new-york-night', 'America/New_York', {
      kind: 'weekly',
      weekday: 'sunday',
      time: '01:30',
    })
    // The CronJob every six hours, from late February to mid April and mid October to mid November; on the
    // nights of the changes two Jobs start at once.
    const periods = [
      ['2026-02-25T00:00:00Z', '2026-04-14T00:00:00Z'],
      ['2026-10-14T00:00:00Z', '2026-11-12T00:00:00Z'],
    ] as const
    const changeNights = ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01']
    let failures = 0
    for (const [from, to] of periods) {
      for (let t = Date.parse(from); t < Date.parse(to); t += 6 * 3_600_000) {
        const at = new Date(t).toISOString()
        const runs = changeNights.includes(at.slice(0, 10)) ? 2 : 1
        const results = await Promise.all(
          Array.from({ length: runs }, () => cli(['run', '--all', '--at', at])),
        )
        failures += results.filter((result) => result.exitCode !== 0).length
      }
    }
    expect(failures).toBe(0)

    const expectations = {
      berlin: ['Europe/Berlin', 'Monday 09:00'],
      'berlin-night': ['Europe/Berlin', 'Sunday 02:30'],
      'new-york': ['America/New_York', 'Monday 09:00'],
      'new-york-night': ['America/New_York', 'Sunday 01:30'],
    } as const
    for (const [id, [timeZone, when]] of Object.entries(expectations)) {
      const all = await allRounds(id)
      // Between the periods the CronJob was off: those rounds are on record as skipped, none inside a period.
      const inside = (r: Round) => periods.some(([from, to]) => r.scheduledAt >= from && r.scheduledAt < to)
      expect(all.filter((r) => r.status === 'skipped').every((r) => !inside(r))).toBe(true)
      const rounds = all.filter(inside)
      // The first period holds 7 weeks (one round a week), the second 4; nothing skipped, nothing twice.
      expect(rounds.map((r) => r.status)).toEqual(Array(11).fill('completed'))
      expect(new Set(rounds.map((r) => r.scheduledAt.slice(0, 10))).size).toBe(11)
      for (const round of rounds) {
        const localTime = local(round.scheduledAt, timeZone)
        // 02:30 does not exist in Berlin on 29 March: the round runs at the first minute that does, 03:00.
        if (round.scheduledAt === '2026-03-29T01:00:00.000Z') expect(localTime).toBe('Sunday 03:00')
        else expect(localTime).toBe(when)
      }
    }
    // The offsets change on the right days (UTC): Berlin CET→CEST on 29 March, back on 25 October.
    const berlin = (await allRounds('berlin'))
      .filter((r) => r.status === 'completed')
      .map((r) => r.scheduledAt)
    expect(berlin).toContain('2026-03-23T08:00:00.000Z')
    expect(berlin).toContain('2026-03-30T07:00:00.000Z')
    expect(berlin).toContain('2026-10-19T07:00:00.000Z')
    expect(berlin).toContain('2026-10-26T08:00:00.000Z')
    const newYork = (await allRounds('new-york'))
      .filter((r) => r.status === 'completed')
      .map((r) => r.scheduledAt)
    expect(newYork).toContain('2026-03-02T14:00:00.000Z')
    expect(newYork).toContain('2026-03-09T13:00:00.000Z')
    expect(newYork).toContain('2026-10-26T13:00:00.000Z')
    expect(newYork).toContain('2026-11-02T14:00:00.000Z')
    // 01:30 happens twice in New York on 1 November; the round happens once, at the first.
    const night = (await allRounds('new-york-night')).map((r) => r.scheduledAt)
    expect(night.filter((at) => at.startsWith('2026-11-01'))).toEqual(['2026-11-01T05:30:00.000Z'])
  }, 300_000)

  test('a round missed past the deadline is recorded as skipped with its reason; a late one within it runs', async () => {
    await deployment('late', 'Europe/Berlin', { kind: 'weekly', weekday: 'monday', time: '09:00' })
    const lines: Record<string, unknown>[] = []
    // Monday 2 March 09:00 CET is 08:00Z. 30 hours later: past the 24 h deadline.
    expect((await cli(['run', '--deployment', 'late', '--at', '2026-03-03T14:00:00Z'], lines)).exitCode).toBe(
      0,
    )
    const skipped = await getRound(db, 'late', '2026-03-02T08:00:00.000Z')
    expect(skipped?.status).toBe('skipped')
    expect(skipped?.skippedReason).toContain('missed: no run started within the 24 h deadline')
    // Weeks of silence: the older misses are recorded too; the one due 5 hours ago runs.
    expect((await cli(['run', '--deployment', 'late', '--at', '2026-03-30T12:00:00Z'], lines)).exitCode).toBe(
      0,
    )
    const rounds = await allRounds('late')
    // The deployment exists since 1 January: every Monday since is on record.
    expect(rounds).toHaveLength(13)
    expect(rounds.slice(0, 9).every((r) => r.status === 'skipped')).toBe(true)
    expect(rounds[0]?.scheduledAt).toBe('2026-01-05T08:00:00.000Z')
    expect(rounds.slice(8).map((r) => `${r.scheduledAt.slice(0, 10)} ${r.status}`)).toEqual([
      '2026-03-02 skipped',
      '2026-03-09 skipped',
      '2026-03-16 skipped',
      '2026-03-23 skipped',
      '2026-03-30 completed',
    ])
    expect(lines.filter((l) => l.step === 'skip')).toHaveLength(12)
    // Nothing due: exit 0 and say so.
    const quiet: Record<string, unknown>[] = []
    expect((await cli(['run', '--deployment', 'late', '--at', '2026-03-31T12:00:00Z'], quiet)).exitCode).toBe(
      0,
    )
    expect(quiet.at(-1)).toMatchObject({ deployment: 'late', step: 'run', outcome: 'nothing due' })
  })

  test('--dry-run prints the groups and writes nothing; an unknown deployment fails with exit 1', async () => {
    await deployment('dry', 'Europe/Berlin', { kind: 'weekly', weekday: 'monday', time: '09:00' })
    const lines: Record<string, unknown>[] = []
    expect(
      (await cli(['run', '--deployment', 'dry', '--at', '2026-03-02T09:00:00Z', '--dry-run'], lines))
        .exitCode,
    ).toBe(0)
    const groups = lines.find((line) => line.step === 'groups')
    expect(groups?.groups).toHaveLength(2)
    expect(await allRounds('dry')).toEqual([])
    const missing = await cli(['run', '--deployment', 'nope'])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toContain("no deployment 'nope'")
  })
})

/** A round's state without run ids and timestamps, to compare two runs. */
async function state(id: string, scheduledAt: string) {
  const round = await getRound(db, id, scheduledAt)
  const groups = (await listRoundGroups(db, id, scheduledAt)).map((g) => ({
    committed: g.runId === round?.planRunId,
    index: g.index,
    memberIds: g.memberIds.map((m) => m.slice(m.indexOf('-person-'))),
    reason: g.reason,
  }))
  const matches = (await listRoundMatches(db, id, scheduledAt))
    .map((m) => `${m.memberId.slice(m.memberId.indexOf('-person-'))} ${m.groupIndex} ${m.status} ${m.reason}`)
    .sort()
  const outbox = (await listOutboxByStatus(db, id, 'pending', { limit: 1000 })).items
    .map(
      (item) =>
        `${item.memberId.slice(item.memberId.indexOf('-person-'))} ${item.kind} ${item.channel} ${item.attempts}`,
    )
    .sort()
  return { status: round?.status, groupCount: round?.groupCount, groups, matches, outbox }
}

describe('the compiled binary under Kubernetes-like failures', () => {
  const at = '2026-03-02T08:30:00Z'
  const scheduledAt = '2026-03-02T08:00:00.000Z'
  const spawnRun = (id: string) =>
    Bun.spawn([binary, 'run', '--deployment', id, '--at', at], {
      env: { ...process.env, ...env },
      stdout: 'pipe',
      stderr: 'pipe',
    })

  test('20 trials of two Jobs at once: one set of groups, one match and one outbox item per member', async () => {
    for (let trial = 0; trial < 20; trial++) {
      const id = `twice-${trial}`
      await deployment(id, 'Europe/Berlin', { kind: 'weekly', weekday: 'monday', time: '09:00' }, 9)
      const jobs = [spawnRun(id), spawnRun(id)]
      const codes = await Promise.all(jobs.map((job) => job.exited))
      expect(codes).toEqual([0, 0])
      const result = await state(id, scheduledAt)
      expect(result.status).toBe('completed')
      expect(result.groups.every((g) => g.committed)).toBe(true)
      expect(result.groups.flatMap((g) => g.memberIds).sort()).toHaveLength(9)
      expect(result.matches).toHaveLength(9)
      expect(result.outbox).toHaveLength(9)
    }
  }, 300_000)

  test('30 trials of SIGKILL at a random moment and a rerun: the state of a clean run, nothing missing or twice', async () => {
    // How long a clean run takes, to pick kill moments inside it.
    await deployment(
      'clean-timing',
      'Europe/Berlin',
      { kind: 'weekly', weekday: 'monday', time: '09:00' },
      30,
    )
    const started = performance.now()
    expect(await spawnRun('clean-timing').exited).toBe(0)
    const cleanMs = performance.now() - started
    let killedMidway = 0
    for (let trial = 0; trial < 30; trial++) {
      const id = `killed-${trial}`
      const target = await deployment(
        id,
        'Europe/Berlin',
        { kind: 'weekly', weekday: 'monday', time: '09:00' },
        30,
      )
      const job = spawnRun(id)
      await Bun.sleep(Math.random() * cleanMs)
      job.kill('SIGKILL')
      const code = await job.exited
      const before = await getRound(db, id, scheduledAt)
      if (code !== 0 && before?.status !== 'completed') killedMidway++
      // The Job's retry.
      expect(await spawnRun(id).exited).toBe(0)
      const after = await state(id, scheduledAt)
      // A clean run of the same round with the seed the killed run recorded (or any seed when it never claimed).
      const seed = Number((await getRound(db, id, scheduledAt))!.seed)
      const referenceId = `reference-${trial}`
      const reference = await deployment(
        referenceId,
        'Europe/Berlin',
        { kind: 'weekly', weekday: 'monday', time: '09:00' },
        30,
      )
      await runRound(db, reference, new Date(scheduledAt), { seed })
      expect(after).toEqual(await state(referenceId, scheduledAt))
      expect(after.groups.every((g) => g.committed)).toBe(true)
      expect(after.matches).toHaveLength(30)
      expect(after.outbox).toHaveLength(30)
      expect(target.id).toBe(id)
    }
    // Most kills land in the middle of the work, not before it starts or after it ends.
    expect(killedMidway).toBeGreaterThan(5)
  }, 600_000)
})

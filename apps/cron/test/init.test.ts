// percolate-cron init against DynamoDB Local: creates a deployment with its admins once, changes nothing after,
// names what is wrong with a settings file, and leaves an existing deployment alone.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { QueryCommand } from '@aws-sdk/client-dynamodb'
import { createDeployment, getDeployment } from '@percolate/db/deployments'
import { createMember, findMemberByEmail } from '@percolate/db/members'
import { createTestDatabase, testEndpoint, testMember, testSettings } from '@percolate/db/testing'
import type { DeploymentSettingsInput } from '@percolate/domain/deployment'
import { runCli } from '../src/main.ts'

const db = await createTestDatabase()
const dir = mkdtempSync(join(tmpdir(), 'percolate-init-'))
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await db.drop()
})
const env = { DYNAMODB_TABLE: db.tableName, DYNAMODB_ENDPOINT: testEndpoint(), AWS_REGION: 'local' }

const settings: DeploymentSettingsInput = {
  name: 'Globex',
  timeZone: 'America/New_York',
  schedule: { kind: 'weekly', weekday: 'tuesday', time: '10:00' },
  meetingSize: 3,
  allowedEmailDomains: ['globex.example'],
  enabledChannels: ['email', 'slack'],
  identityProviders: [{ kind: 'google', clientId: 'globex-client.apps.googleusercontent.com' }],
}

function settingsFile(name: string, content: unknown): string {
  const path = join(dir, name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return path
}

async function init(argv: string[]) {
  const lines: Record<string, unknown>[] = []
  const result = await runCli(['init', ...argv], { env, db, log: (line) => lines.push(line) })
  return { ...result, lines }
}

/** Every item of a deployment's partition, as stored: what "changes nothing" is checked against. */
async function partition(deploymentId: string) {
  const { Items } = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `DEP#${deploymentId}` } },
      ConsistentRead: true,
    }),
  )
  return Items ?? []
}

describe('percolate-cron init', () => {
  test('creates the deployment and an admin placeholder per --admin, claimable at first sign-in', async () => {
    const file = settingsFile('globex.json', settings)
    const result = await init([
      '--deployment',
      'globex',
      '--settings',
      file,
      '--admin',
      'Ops.Lead@globex.example',
      '--admin',
      'it@globex.example',
    ])
    expect(result.exitCode).toBe(0)
    const deployment = await getDeployment(db, 'globex')
    expect(deployment).toMatchObject({
      ...settings,
      id: 'globex',
      version: 1,
      remainderPolicy: 'larger-groups',
    })
    for (const email of ['ops.lead@globex.example', 'it@globex.example']) {
      const admin = await findMemberByEmail(db, 'globex', email)
      // No identity yet: the first verified sign-in with this email claims the member.
      expect(admin).toMatchObject({
        email,
        role: 'admin',
        identities: [],
        onboarded: false,
        timeZone: 'America/New_York',
      })
    }
    expect(result.lines.map((line) => [line.step, line.admin, line.outcome])).toEqual([
      ['admin', 1, 'created'],
      ['admin', 2, 'created'],
      ['init', undefined, 'created'],
    ])
    // Member ids in the log, never the emails.
    expect(JSON.stringify(result.lines)).not.toContain('globex.example')
    expect(result.lines[0]!.memberId).toBe(
      (await findMemberByEmail(db, 'globex', 'ops.lead@globex.example'))!.id,
    )
  })

  test('running it again changes nothing and exits 0', async () => {
    const before = await partition('globex')
    expect(before.length).toBeGreaterThan(4)
    const file = settingsFile('globex.json', settings)
    for (let run = 0; run < 2; run++) {
      const again = await init([
        '--deployment',
        'globex',
        '--settings',
        file,
        '--admin',
        'ops.lead@globex.example',
        '--admin',
        'it@globex.example',
      ])
      expect(again.exitCode).toBe(0)
      expect(again.lines.at(-1)).toMatchObject({ step: 'init', outcome: 'exists' })
      expect(again.lines.at(-1)).not.toHaveProperty('differsFromFile')
      expect(again.lines.slice(0, 2).map((line) => line.outcome)).toEqual(['left alone', 'left alone'])
    }
    expect(await partition('globex')).toEqual(before)
  })

  test('an existing deployment keeps its settings and members; init says what it left alone', async () => {
    await createDeployment(
      db,
      'initech',
      testSettings({ name: 'Initech', allowedEmailDomains: ['initech.example'] }),
    )
    await createMember(
      db,
      testMember('initech', 'initech-admin', { email: 'boss@initech.example', role: 'member' }),
    )
    const before = await partition('initech')
    const file = settingsFile('initech.json', {
      ...settings,
      name: 'Initech Renamed',
      allowedEmailDomains: ['initech.example'],
    })
    const result = await init([
      '--deployment',
      'initech',
      '--settings',
      file,
      '--admin',
      'boss@initech.example',
      '--admin',
      'new@initech.example',
    ])
    expect(result.exitCode).toBe(0)
    expect(await partition('initech')).toEqual(before)
    expect(result.lines).toEqual([
      expect.objectContaining({
        step: 'admin',
        admin: 1,
        memberId: 'initech-admin',
        role: 'member',
        outcome: 'left alone',
      }),
      expect.objectContaining({ step: 'admin', admin: 2, memberId: null }),
      expect.objectContaining({
        step: 'init',
        outcome: 'exists',
        settings: 'left alone: admins own them after creation',
        differsFromFile: [
          'name',
          'timeZone',
          'schedule',
          'meetingSize',
          'enabledChannels',
          'identityProviders',
        ],
      }),
    ])
    expect(String(result.lines[1]!.outcome)).toContain('init adds nobody')
  })

  test('an invalid settings file exits 1 naming each wrong field, and writes nothing', async () => {
    const cases: [unknown, string[]][] = [
      [
        { ...settings, meetingSize: 9, timeZone: 'Europe/Pariss' },
        ['meetingSize: must be at most 6', 'timeZone: '],
      ],
      [{ ...settings, remainderpolicy: 'leave-out' }, ['remainderpolicy']],
      [
        { ...settings, allowedEmailDomains: [] },
        ['allowedEmailDomains: must list at least one email domain'],
      ],
      [{ ...settings, identityProviders: [{ kind: 'google' }] }, ['identityProviders[0].clientId']],
      ['{ "name": "Broken",', ['not JSON']],
    ]
    for (const [index, [content, expected]] of cases.entries()) {
      const file = settingsFile(`bad-${index}.json`, content)
      const result = await init(['--deployment', 'broken', '--settings', file, '--admin', 'a@globex.example'])
      expect(result.exitCode).toBe(1)
      expect(result.stderr).toStartWith(`percolate-cron: --settings ${file}: `)
      for (const text of expected) expect(result.stderr).toContain(text)
    }
    const missing = await init([
      '--deployment',
      'broken',
      '--settings',
      join(dir, 'nope.json'),
      '--admin',
      'a@globex.example',
    ])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toContain('cannot read the file (no such file)')
    expect(await partition('broken')).toEqual([])
  })

  test('an admin whose domain the settings do not allow exits 1 before anything is written', async () => {
    const file = settingsFile('hooli.json', { ...settings, allowedEmailDomains: ['hooli.example'] })
    const result = await init([
      '--deployment',
      'hooli',
      '--settings',
      file,
      '--admin',
      'gavin@hooli.example',
      '--admin',
      'someone@gmail.com',
    ])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('--admin (the 2nd): the domain gmail.com is not in the settings')
    expect(result.stderr).not.toContain('someone')
    expect(await partition('hooli')).toEqual([])
  })

  test('after an interrupted init (members written, no deployment yet) a rerun finishes the job', async () => {
    const file = settingsFile('umbrella.json', { ...settings, allowedEmailDomains: ['umbrella.example'] })
    await createMember(
      db,
      testMember('umbrella', 'umbrella-first', { email: 'first@umbrella.example', role: 'member' }),
    )
    const result = await init([
      '--deployment',
      'umbrella',
      '--settings',
      file,
      '--admin',
      'first@umbrella.example',
      '--admin',
      'second@umbrella.example',
    ])
    expect(result.exitCode).toBe(0)
    expect(result.lines.map((line) => line.outcome)).toEqual(['made admin', 'created', 'created'])
    expect((await findMemberByEmail(db, 'umbrella', 'first@umbrella.example'))?.role).toBe('admin')
    expect(await getDeployment(db, 'umbrella')).not.toBeNull()
  })

  test('wrong usage exits 2 and names the flag', async () => {
    const file = settingsFile('usage.json', settings)
    const cases: [string[], string][] = [
      [['--settings', file, '--admin', 'a@globex.example'], 'init needs --deployment ID'],
      [
        ['--deployment', 'Globex!', '--settings', file, '--admin', 'a@globex.example'],
        '--deployment: "Globex!" must be',
      ],
      [['--deployment', 'x1', '--admin', 'a@globex.example'], 'init needs --settings FILE'],
      [['--deployment', 'x1', '--settings', file], 'init needs at least one --admin EMAIL'],
      [
        ['--deployment', 'x1', '--settings', file, '--admin', 'not-an-address'],
        '--admin (number 1): not an email',
      ],
      [
        ['--all', '--settings', file, '--admin', 'a@globex.example'],
        '--all is a flag of run, dispatch, checkin and status only',
      ],
      [
        ['--deployment', 'x1', '--settings', file, '--admin', 'a@globex.example', '--limit', '3'],
        '--limit is a flag of status only',
      ],
    ]
    for (const [argv, message] of cases) {
      const result = await init(argv)
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain(message)
    }
    expect((await runCli(['run', '--admin', 'a@globex.example'])).stderr).toContain(
      '--admin is a flag of init only',
    )
  })

  test('the compiled binary creates, then finds the deployment in place, exit 0 both times', async () => {
    const file = settingsFile('compiled.json', { ...settings, allowedEmailDomains: ['compiled.example'] })
    const argv = ['init', '--deployment', 'compiled', '--settings', file, '--admin', 'ops@compiled.example']
    const outcomes: unknown[] = []
    for (let run = 0; run < 2; run++) {
      const job = Bun.spawnSync([join(import.meta.dir, '../bin/percolate-cron'), ...argv], {
        env: { ...process.env, ...env },
      })
      expect(job.exitCode).toBe(0)
      const lines = job.stdout
        .toString()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
      outcomes.push(lines.at(-1)?.outcome)
    }
    expect(outcomes).toEqual(['created', 'exists'])
  })
})

import { describe, expect, it } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import packageJson from '../package.json' with { type: 'json' }
import { runCli } from '../src/main.ts'

const binary = join(import.meta.dir, '../bin/percolate-cron')

describe('percolate-cron arguments', () => {
  it('prints help for --help, -h, help and no command', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], []]) {
      const result = await runCli(argv)
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('Usage:\n  percolate-cron <command> [flags]')
      expect(result.stdout).toContain('DYNAMODB_TABLE')
    }
  })

  it('documents every command, flag and variable in the help', async () => {
    const { stdout } = await runCli(['--help'])
    for (const text of [
      'percolate-cron status [--deployment ID | --all] [--limit N] [--json]',
      'percolate-cron init --deployment ID --settings FILE --admin EMAIL [--admin EMAIL ...]',
      '--limit N',
      '--json',
      '--settings FILE',
      '--admin EMAIL',
      'METRICS_PUSHGATEWAY_URL',
      'METRICS_INSTANCE',
      'percolate_round_duration_seconds',
      'runId',
    ])
      expect(stdout).toContain(text)
  })

  it('prints the version from package.json', async () => {
    expect(await runCli(['version'])).toEqual({ exitCode: 0, stdout: `${packageJson.version}\n` })
  })

  it('exits 2 with a pointer to --help on wrong usage', async () => {
    expect(await runCli(['frobnicate'])).toEqual({
      exitCode: 2,
      stderr: "percolate-cron: unknown command 'frobnicate'. Run percolate-cron --help.",
    })
    expect((await runCli(['version', 'extra'])).exitCode).toBe(2)
    const unknownFlag = await runCli(['--bogus'])
    expect(unknownFlag.exitCode).toBe(2)
    expect(unknownFlag.stderr).toContain("'--bogus'")
    expect((await runCli(['run', '--all', '--deployment', 'x'])).stderr).toContain('exclude each other')
    expect((await runCli(['checkin', '--dry-run'])).stderr).toContain('--dry-run is a flag of run only')
    expect((await runCli(['run', '--at', 'monday'])).stderr).toContain('--at: "monday" is not an ISO time')
  })

  it('names the setting and what is allowed when the environment is wrong, and never echoes values', async () => {
    const result = await runCli(['run'], {
      env: { ROUND_DEADLINE_HOURS: '1000', DYNAMODB_TABLE: 'x' },
      log: () => {},
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('ROUND_DEADLINE_HOURS: must be at most 168 hours')
    expect(result.stderr).toContain('DYNAMODB_TABLE: must be a DynamoDB table name')
  })
})

describe('compiled binary', () => {
  it('runs as a standalone executable built with --compile --bytecode', () => {
    if (!existsSync(binary)) throw new Error(`No binary at ${binary}: run \`make build\` first`)
    const version = Bun.spawnSync([binary, 'version'], { env: {} })
    expect(version.exitCode).toBe(0)
    expect(version.stdout.toString()).toBe(`${packageJson.version}\n`)
    const wrong = Bun.spawnSync([binary, 'nope'], { env: {} })
    expect(wrong.exitCode).toBe(2)
    expect(wrong.stderr.toString()).toContain("unknown command 'nope'")
  })
})

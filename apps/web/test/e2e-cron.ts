// The compiled `percolate-cron` (apps/cron/bin, built by turbo before the web tests) as the CronJob runs it: one
// process per invocation, its environment only, JSON lines on stdout. And the signing key the API and the cron
// binary share (in a cluster, one Secret gives it to both): links in notifications verify only then.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const cronBinary = join(import.meta.dir, '../../cron/bin/percolate-cron')

export interface CronResult {
  args: string[]
  exitCode: number
  stdout: string
  stderr: string
  /** stdout's JSON lines (run, dispatch, checkin; status --json). */
  lines: Record<string, unknown>[]
  durationMs: number
}

export function requireCronBinary(): void {
  if (!existsSync(cronBinary)) {
    throw new Error(
      `${cronBinary} is missing: build it first (\`bunx turbo run build --filter=@percolate/cron\`, or \`make e2e\`)`,
    )
  }
}

/** Runs `percolate-cron <args>` with exactly `env` (plus PATH and HOME), as a CronJob's container would. */
export async function runCron(args: string[], env: Record<string, string>): Promise<CronResult> {
  const started = performance.now()
  const child = Bun.spawn([cronBinary, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  const lines = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  return { args, exitCode, stdout, stderr, lines, durationMs: Math.round(performance.now() - started) }
}

/** One line per invocation for a failure message: the command, its exit code and what it said. */
export function describeCronResult(result: CronResult): string {
  const said = (result.stderr.trim() || result.stdout.trim()).slice(-1_500)
  return `percolate-cron ${result.args.join(' ')} → exit ${result.exitCode} in ${result.durationMs} ms\n${said}`
}

/** A fresh P-256 private key in PKCS#8 PEM, the form SESSION_SIGNING_KEY takes. */
export async function newSigningKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64')
  const body = der.match(/.{1,64}/g)!.join('\n')
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`
}

// percolate-cron: the binary the Kubernetes CronJob runs. Every invocation decides for itself what is due:
// the CronJob may start it every few minutes, twice, or late, and the rounds still come out exactly once.
import { parseArgs } from 'node:util'
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase, type Database } from '@percolate/db/database'
import { getDeployment, listDeploymentIds } from '@percolate/db/deployments'
import type { Dispatcher } from '@percolate/dispatch/dispatcher'
import type { Deployment } from '@percolate/domain/deployment'
import { createCheckins } from '@percolate/rounds/checkin'
import { runDueRounds } from '@percolate/rounds/run-due'
import packageJson from '../package.json' with { type: 'json' }
import { type CronEnv, readCronEnv } from './config.ts'
import { createDispatcherFromEnv } from './dispatcher-setup.ts'

export const helpText = `percolate-cron ${packageJson.version}: scheduled work for Percolate

Usage:
  percolate-cron <command> [flags]

Commands:
  run            Run the rounds that are due by each deployment's schedule and time zone: finish a round an
                 earlier run left unfinished, record missed rounds as skipped, run the due one (claim, match,
                 write groups, match records and notification outbox, complete). Safe to start any number of
                 times, concurrently too: each round comes out once.
  dispatch       Send the notifications that are due (pending, or whose sender died): each ends sent or failed
                 with its reason; retries wait with backoff and honor Retry-After. \`run\` dispatches too.
  checkin        Queue the "did you meet?" message for matches still open CHECKIN_AFTER_DAYS after their round,
                 and, for opt-in rounds, the reminder REMINDER_BEFORE_HOURS before the round to those not in yet
  version        Print the version and exit
  help           Print this help

Flags:
  --deployment ID   Only this deployment
  --all             Every deployment in the table (the default when --deployment is not given)
  --at ISO-TIME     Act as if it were this time (default: now), e.g. 2026-03-02T08:00:00Z
  --dry-run         run: print the groups the due round would get; write nothing
  -h, --help        Print this help

Environment:
  AWS_REGION             AWS region of the table (default eu-central-1)
  DYNAMODB_TABLE         table name (default percolate)
  DYNAMODB_ENDPOINT      DynamoDB Local or another endpoint; empty in AWS
  ROUND_DEADLINE_HOURS   how late a round may still start; later it is recorded as skipped (default 24)
  CHECKIN_AFTER_DAYS     days after a round before "did you meet?" is asked (default 3)
  REMINDER_BEFORE_HOURS  opt-in rounds: hours before the round to remind who has not opted in (default 24)
  PUBLIC_URL             where people open the web app; notification links point there
  SESSION_SIGNING_KEY    the server's P-256 key (PKCS#8 PEM): notification links are signed with it (secret)
  SES_FROM               email sender, a verified SES identity, e.g. "Percolate <percolate@example.com>"
  SES_ENDPOINT           the local SES or another endpoint; empty in AWS
  SES_MAX_SEND_RATE      your SES account's MaxSendRate (default 14 per second)
  SLACK_BOT_TOKEN        Slack bot token (xoxb-…; secret); SLACK_API_URL to point elsewhere
  TELEGRAM_BOT_TOKEN     Telegram bot token (secret); TELEGRAM_API_URL to point elsewhere
  SIGNAL_API_URL         signal-cli-rest-api base URL; SIGNAL_NUMBER its registered sender number
  A channel without its settings is not sent on: its notifications fail with a reason naming the setting.

Output: one JSON line per step on stdout (deployment, round, counts, durationMs, outcome).
Exit codes: 0 done (also when nothing was due), 1 the work failed (the reason is printed), 2 wrong usage.
`

export interface CliResult {
  exitCode: number
  stdout?: string
  stderr?: string
}

export interface CliIo {
  env: Record<string, string | undefined>
  /** One JSON line per step. */
  log: (line: Record<string, unknown>) => void
  /** A database handle (tests); otherwise made from the environment. */
  db?: Database
}

const usage = (message: string): CliResult => ({
  exitCode: 2,
  stderr: `percolate-cron: ${message}. Run percolate-cron --help.`,
})

export async function runCli(argv: string[], io?: CliIo): Promise<CliResult> {
  let parsed: ReturnType<
    typeof parseArgs<{
      args: string[]
      allowPositionals: true
      strict: true
      options: {
        help: { type: 'boolean'; short: 'h' }
        deployment: { type: 'string' }
        all: { type: 'boolean' }
        at: { type: 'string' }
        'dry-run': { type: 'boolean' }
      }
    }>
  >
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        deployment: { type: 'string' },
        all: { type: 'boolean' },
        at: { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
    })
  } catch (error) {
    return usage((error as Error).message.replace(/\.$/, ''))
  }
  const [command, ...rest] = parsed.positionals
  const flags = parsed.values
  if (flags.help || command === 'help' || command === undefined) return { exitCode: 0, stdout: helpText }
  if (rest.length > 0) return usage(`unexpected argument '${rest[0]}'`)
  if (command === 'version') return { exitCode: 0, stdout: `${packageJson.version}\n` }
  if (command !== 'run' && command !== 'checkin' && command !== 'dispatch')
    return usage(`unknown command '${command}'`)
  if (flags.deployment !== undefined && flags.all) return usage('--deployment and --all exclude each other')
  if (flags['dry-run'] && command !== 'run') return usage('--dry-run is a flag of run only')
  let at = new Date()
  if (flags.at !== undefined) {
    at = new Date(flags.at)
    if (!/^\d{4}-\d{2}-\d{2}T/.test(flags.at) || Number.isNaN(at.getTime()))
      return usage(`--at: "${flags.at}" is not an ISO time such as 2026-03-02T08:00:00Z`)
  }

  const env: CronEnv | string = (() => {
    try {
      return readCronEnv(io?.env ?? process.env)
    } catch (error) {
      return (error as Error).message
    }
  })()
  if (typeof env === 'string') return { exitCode: 1, stderr: `percolate-cron: ${env}` }
  const log = io?.log ?? ((line) => process.stdout.write(`${JSON.stringify(line)}\n`))
  const client = io?.db
    ? undefined
    : createDynamoClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION })
  const db = io?.db ?? createDatabase({ client: client!, tableName: env.DYNAMODB_TABLE })

  const failures: string[] = []
  let dispatcher: Dispatcher | string | undefined
  const getDispatcher = async (): Promise<Dispatcher | string> => {
    dispatcher ??= await createDispatcherFromEnv(env, db, log).catch((error: Error) => error.message)
    return dispatcher
  }
  const dispatch = async (deployment: Deployment, started: number) => {
    const ready = await getDispatcher()
    if (typeof ready === 'string') {
      if (command === 'dispatch') throw new Error(ready)
      log({ deployment: deployment.id, step: 'dispatch', outcome: 'not configured', reason: ready })
      return
    }
    const counts = await ready.dispatchDue(deployment, { now: at })
    log({
      deployment: deployment.id,
      step: 'dispatch',
      outcome: 'done',
      ...counts,
      durationMs: Math.round(performance.now() - started),
    })
  }
  try {
    const ids = flags.deployment !== undefined ? [flags.deployment] : await listDeploymentIds(db)
    for (const id of ids) {
      const started = performance.now()
      try {
        const deployment = await getDeployment(db, id)
        if (!deployment) {
          failures.push(`no deployment '${id}'`)
          log({ deployment: id, step: command, outcome: 'failed', reason: 'no such deployment' })
          continue
        }
        if (command === 'run') {
          const outcome = await runDueRounds(db, deployment, {
            at,
            deadlineMs: env.ROUND_DEADLINE_HOURS * 3_600_000,
            ...(flags['dry-run'] ? { dryRun: true } : {}),
            log,
          })
          for (const { scheduledAt, outcome: round } of outcome.ran)
            if (round.outcome === 'dry-run')
              log({
                deployment: id,
                round: scheduledAt,
                step: 'groups',
                groups: round.groups,
                leftOut: round.leftOut,
              })
          log({
            deployment: id,
            step: 'run',
            outcome: outcome.nothingDue ? 'nothing due' : 'done',
            ran: outcome.ran.length,
            skipped: outcome.skipped.length,
            durationMs: Math.round(performance.now() - started),
          })
          if (!flags['dry-run'] && outcome.ran.length > 0) await dispatch(deployment, performance.now())
        } else if (command === 'dispatch') {
          await dispatch(deployment, started)
        } else {
          const outcome = await createCheckins(db, deployment, { at, afterDays: env.CHECKIN_AFTER_DAYS })
          log({
            deployment: id,
            step: 'checkin',
            outcome: 'done',
            ...outcome,
            durationMs: Math.round(performance.now() - started),
          })
        }
      } catch (error) {
        // One deployment failing does not stop the others; the exit code reports it.
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
        failures.push(`${id}: ${reason}`)
        log({
          deployment: id,
          step: command,
          outcome: 'failed',
          reason,
          durationMs: Math.round(performance.now() - started),
        })
      }
    }
  } catch (error) {
    failures.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error))
  } finally {
    client?.destroy()
  }
  if (failures.length > 0)
    return { exitCode: 1, stderr: `percolate-cron: ${command} failed: ${failures.join('; ')}` }
  return { exitCode: 0 }
}

// Wrapped in main(): a top-level await would break `bun build --bytecode`.
function main() {
  runCli(process.argv.slice(2)).then(
    (result) => {
      if (result.stdout) process.stdout.write(result.stdout)
      if (result.stderr) process.stderr.write(`${result.stderr}\n`)
      process.exitCode = result.exitCode
    },
    (error: unknown) => {
      process.stderr.write(`percolate-cron: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exitCode = 1
    },
  )
}

if (import.meta.main) main()

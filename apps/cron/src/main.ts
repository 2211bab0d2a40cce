// percolate-cron: the binary the Kubernetes CronJobs run. Every invocation decides for itself what is due:
// the CronJob may start it every few minutes, twice, or late, and the rounds still come out exactly once.
import { parseArgs } from 'node:util'
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase, type Database } from '@percolate/db/database'
import { listDeploymentIds } from '@percolate/db/deployments'
import { deploymentIdSchema } from '@percolate/domain/deployment'
import { emailSchema } from '@percolate/domain/member'
import packageJson from '../package.json' with { type: 'json' }
import { type CronEnv, readCronEnv } from './config.ts'
import { InitInputError, initDeployment, readSettingsFile } from './init-deployment.ts'
import { createRunLog, type Log, newRunId, redactPersonalData, writeJsonLine } from './log-lines.ts'
import { runScheduledWork } from './scheduled-work.ts'
import { type DeploymentStatus, formatStatusText, loadDeploymentStatus } from './status-report.ts'

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
  status         Print each deployment's last rounds (scheduled at, state, participants, groups, left out, why
                 skipped) and its newest failed notifications (when, channel, member id, reason). Reads only.
                   percolate-cron status [--deployment ID | --all] [--limit N] [--json]
  init           Bootstrap a deployment: validate the settings file, create an admin member for each --admin
                 (claimed by their first sign-in with that email), then the deployment. When the deployment
                 exists, nothing is written (its admins own settings and members) and it says so; safe to run
                 on every sync.
                   percolate-cron init --deployment ID --settings FILE --admin EMAIL [--admin EMAIL ...]
  version        Print the version and exit
  help           Print this help

Flags:
  --deployment ID   Only this deployment (init: the deployment to create)
  --all             Every deployment in the table (the default when --deployment is not given)
  --at ISO-TIME     run, dispatch, checkin: act as if it were this time (default: now), e.g. 2026-03-02T08:00:00Z
  --dry-run         run: print the groups the due round would get; write nothing
  --limit N         status: rounds shown per deployment (default 5, at most 100; failed notifications: the
                    newest 20)
  --json            status: one JSON line instead of tables
  --settings FILE   init: the deployment's settings as JSON, the fields of the admin's settings page (name,
                    timeZone, schedule, meetingSize, allowedEmailDomains, enabledChannels, identityProviders, ...)
  --admin EMAIL     init: an admin of the new deployment; repeat for more. Its domain must be allowed.
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
  METRICS_PUSHGATEWAY_URL  a Prometheus Pushgateway, e.g. http://pushgateway.monitoring:9091: run, dispatch
                         and checkin push their metrics there when they end (POST to job "percolate-cron",
                         grouped by instance, command and, for a deployment's metrics, deployment). A failed push
                         is logged and does not change the exit code. Not set: nothing is pushed.
  METRICS_INSTANCE       the pushed metrics' "instance" label: the instance name, e.g. acme (namespace
                         percolate-acme). Not set: no instance label.

Metrics (pushed): percolate_round_duration_seconds, percolate_round_participants, percolate_round_groups,
  percolate_round_left_out, percolate_round_last_completed_timestamp_seconds, percolate_rounds{outcome},
  percolate_notifications{channel,outcome}, percolate_cron_duration_seconds, percolate_cron_failures,
  percolate_cron_last_run_timestamp_seconds, percolate_cron_last_success_timestamp_seconds.

Output: run, dispatch, checkin and init print one JSON line per step on stdout (runId — one per invocation —,
  deployment, round, counts, durationMs, outcome): ids only, email addresses and phone numbers are masked.
  status prints tables, or one JSON line with --json.
Exit codes: 0 done (also when nothing was due, or init found the deployment in place), 1 the work failed or the
  settings file is invalid (the reason is printed), 2 wrong usage.
`

export interface CliResult {
  exitCode: number
  stdout?: string
  stderr?: string
}

export interface CliIo {
  env: Record<string, string | undefined>
  /** One JSON line per step. */
  log: Log
  /** A database handle (tests); otherwise made from the environment. */
  db?: Database
}

const commands = ['run', 'dispatch', 'checkin', 'status', 'init'] as const
type Command = (typeof commands)[number]

const options = {
  help: { type: 'boolean', short: 'h' },
  deployment: { type: 'string' },
  all: { type: 'boolean' },
  at: { type: 'string' },
  'dry-run': { type: 'boolean' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  settings: { type: 'string' },
  admin: { type: 'string', multiple: true },
} as const
type Flag = Exclude<keyof typeof options, 'help'>

const commandFlags: Record<Command, readonly Flag[]> = {
  run: ['deployment', 'all', 'at', 'dry-run'],
  dispatch: ['deployment', 'all', 'at'],
  checkin: ['deployment', 'all', 'at'],
  status: ['deployment', 'all', 'limit', 'json'],
  init: ['deployment', 'settings', 'admin'],
}

const usage = (message: string): CliResult => ({
  exitCode: 2,
  stderr: `percolate-cron: ${message}. Run percolate-cron --help.`,
})

const failed = (message: string): CliResult => ({
  exitCode: 1,
  stderr: `percolate-cron: ${redactPersonalData(message)}`,
})

/** "run only", "run, dispatch and checkin only" */
function commandsWith(flag: Flag): string {
  const names = commands.filter((command) => commandFlags[command].includes(flag))
  return names.length === 1 ? `${names[0]} only` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} only`
}

export async function runCli(argv: string[], io?: CliIo): Promise<CliResult> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof options }>
  >
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options })
  } catch (error) {
    return usage((error as Error).message.replace(/\.$/, ''))
  }
  const [name, ...rest] = parsed.positionals
  const flags = parsed.values
  if (flags.help || name === 'help' || name === undefined) return { exitCode: 0, stdout: helpText }
  if (rest.length > 0) return usage(`unexpected argument '${rest[0]}'`)
  if (name === 'version') return { exitCode: 0, stdout: `${packageJson.version}\n` }
  if (!(commands as readonly string[]).includes(name)) return usage(`unknown command '${name}'`)
  const command = name as Command
  for (const flag of Object.keys(flags) as (keyof typeof flags)[]) {
    if (flag !== 'help' && flags[flag] !== undefined && !commandFlags[command].includes(flag))
      return usage(`--${flag} is a flag of ${commandsWith(flag)}`)
  }
  if (flags.deployment !== undefined && flags.all) return usage('--deployment and --all exclude each other')
  let at = new Date()
  if (flags.at !== undefined) {
    at = new Date(flags.at)
    if (!/^\d{4}-\d{2}-\d{2}T/.test(flags.at) || Number.isNaN(at.getTime()))
      return usage(`--at: "${flags.at}" is not an ISO time such as 2026-03-02T08:00:00Z`)
  }
  let limit = 5
  if (flags.limit !== undefined) {
    limit = Number(flags.limit)
    if (!/^\d+$/.test(flags.limit) || limit < 1 || limit > 100)
      return usage(`--limit: "${flags.limit}" is not a whole number from 1 to 100`)
  }
  const adminEmails: string[] = []
  if (command === 'init') {
    if (flags.deployment === undefined) return usage('init needs --deployment ID')
    const id = deploymentIdSchema.safeParse(flags.deployment)
    if (!id.success) return usage(`--deployment: "${flags.deployment}" ${id.error.issues[0]?.message}`)
    if (flags.settings === undefined) return usage('init needs --settings FILE')
    if (!flags.admin?.length) return usage('init needs at least one --admin EMAIL')
    for (const [index, value] of flags.admin.entries()) {
      const email = emailSchema.safeParse(value.trim())
      // The value is not repeated: it may be most of someone's address.
      if (!email.success) return usage(`--admin (number ${index + 1}): not an email address`)
      if (!adminEmails.includes(email.data)) adminEmails.push(email.data)
    }
  }

  const env: CronEnv | string = (() => {
    try {
      return readCronEnv(io?.env ?? process.env)
    } catch (error) {
      return (error as Error).message
    }
  })()
  if (typeof env === 'string') return { exitCode: 1, stderr: `percolate-cron: ${env}` }
  const log = createRunLog(newRunId(), io?.log ?? writeJsonLine)
  const client = io?.db
    ? undefined
    : createDynamoClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION })
  const db = io?.db ?? createDatabase({ client: client!, tableName: env.DYNAMODB_TABLE })

  try {
    if (command === 'status') {
      const ids = flags.deployment !== undefined ? [flags.deployment] : await listDeploymentIds(db)
      const statuses: DeploymentStatus[] = []
      for (const id of ids) {
        const status = await loadDeploymentStatus(db, id, limit)
        if (!status) return failed(`status: no deployment '${id}'`)
        statuses.push(status)
      }
      return {
        exitCode: 0,
        stdout: flags.json
          ? `${JSON.stringify({ deployments: statuses })}\n`
          : formatStatusText(statuses, limit),
      }
    }
    if (command === 'init') {
      const settings = await readSettingsFile(flags.settings!)
      await initDeployment(db, { deploymentId: flags.deployment!, settings, adminEmails }, log)
      return { exitCode: 0 }
    }
    const failures = await runScheduledWork({
      command,
      ...(flags.deployment !== undefined ? { deploymentId: flags.deployment } : {}),
      at,
      dryRun: flags['dry-run'] ?? false,
      env,
      db,
      log,
    })
    if (failures.length > 0) return failed(`${command} failed: ${failures.join('; ')}`)
    return { exitCode: 0 }
  } catch (error) {
    if (error instanceof InitInputError) return failed(error.message)
    return failed(
      `${command} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    )
  } finally {
    client?.destroy()
  }
}

// Wrapped in main(): a top-level await would break `bun build --bytecode`.
function main() {
  // prom-client's Pushgateway calls url.parse(), whose deprecation warning would be the one non-JSON line.
  process.noDeprecation = true
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

// percolate-cron: the binary the Kubernetes CronJob runs. Rounds and notification dispatch arrive with their
// issues; this entry owns argument parsing, help and exit codes.
import { parseArgs } from 'node:util'
import packageJson from '../package.json' with { type: 'json' }

export const helpText = `percolate-cron ${packageJson.version}: scheduled work for Percolate

Usage:
  percolate-cron <command> [flags]

Commands:
  version        Print the version and exit
  help           Print this help

Flags:
  -h, --help     Print this help

Environment:
  AWS_REGION          AWS region of the table (default eu-central-1)
  DYNAMODB_TABLE      table name (default percolate)
  DYNAMODB_ENDPOINT   DynamoDB Local or another endpoint; empty in AWS

Exit codes: 0 done, 1 the work failed (the reason is printed), 2 wrong usage.
`

export interface CliResult {
  exitCode: number
  stdout?: string
  stderr?: string
}

export function runCli(argv: string[]): CliResult {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { help: { type: 'boolean', short: 'h' } },
    })
  } catch (error) {
    return { exitCode: 2, stderr: `percolate-cron: ${(error as Error).message}. Run percolate-cron --help.` }
  }
  const [command, ...rest] = parsed.positionals
  if (parsed.values.help || command === 'help' || command === undefined)
    return { exitCode: 0, stdout: helpText }
  if (rest.length > 0) {
    return {
      exitCode: 2,
      stderr: `percolate-cron: unexpected argument '${rest[0]}'. Run percolate-cron --help.`,
    }
  }
  if (command === 'version') return { exitCode: 0, stdout: `${packageJson.version}\n` }
  return { exitCode: 2, stderr: `percolate-cron: unknown command '${command}'. Run percolate-cron --help.` }
}

// Wrapped in main(): a top-level await would break `bun build --bytecode`.
function main() {
  const result = runCli(process.argv.slice(2))
  if (result.stdout) process.stdout.write(result.stdout)
  if (result.stderr) process.stderr.write(`${result.stderr}\n`)
  process.exitCode = result.exitCode
}

if (import.meta.main) main()

// `make test`'s test step: one DynamoDB Local (in memory) for the whole run, every package's `bun test` through
// turbo, and the totals across all packages on the last line: "N passed, N failed".
import { startLocalDynamo } from '@percolate/db/local-dynamodb'

const dynamo = process.env.DYNAMODB_ENDPOINT ? null : await startLocalDynamo()
const endpoint = process.env.DYNAMODB_ENDPOINT ?? dynamo!.endpoint

let exitCode = 1
let passed = 0
let failed = 0
try {
  const turbo = Bun.spawn(
    ['bunx', 'turbo', 'run', 'test', '--concurrency=2', '--output-logs=full', ...process.argv.slice(2)],
    {
      env: { ...process.env, DYNAMODB_ENDPOINT: endpoint, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' },
      stdout: 'pipe',
      stderr: 'inherit',
    },
  )
  const decoder = new TextDecoder()
  let pending = ''
  const countLine = (line: string) => {
    const match = /:test:\s+(\d+) (pass|fail)\s*$/.exec(line)
    if (match?.[2] === 'pass') passed += Number(match[1])
    if (match?.[2] === 'fail') failed += Number(match[1])
  }
  for await (const chunk of turbo.stdout) {
    const text = decoder.decode(chunk, { stream: true })
    process.stdout.write(text)
    pending += text
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) countLine(line)
  }
  countLine(pending)
  exitCode = await turbo.exited
  // A package whose tests could not even start prints no counts: it still counts as a failure.
  if (exitCode !== 0 && failed === 0) failed = 1
} finally {
  await dynamo?.stop()
}
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(exitCode === 0 && failed === 0 ? 0 : 1)

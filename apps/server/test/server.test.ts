import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createDatabase } from '@percolate/db/database'
import { getMember } from '@percolate/db/members'
import { createTestDatabase } from '@percolate/db/testing'
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client'
import { createApp, startServer } from '../src/app.ts'
import { setUpAuth } from '../src/auth/setup.ts'
import { readEnv } from '../src/env.ts'
import { DEMO_DEPLOYMENT_ID, seedDemo } from '../src/local/demo-seed.ts'
import { silentLogger } from '../src/log.ts'
import type { AppRouter } from '../src/trpc/router.ts'

const db = await createTestDatabase()
const env = readEnv({
  PERCOLATE_MODE: 'local',
  HOST: '127.0.0.1',
  PORT: '0',
  LOCAL_OIDC_PORT: '0',
  DYNAMODB_TABLE: db.tableName,
})
const auth = await setUpAuth({ db, env, logger: silentLogger })
let server: ReturnType<typeof startServer>

beforeAll(() => {
  server = startServer({ db, env, logger: silentLogger, auth: auth.auth })
})
afterAll(async () => {
  await server.stop()
  await auth.stop()
  await db.drop()
})

describe('server over HTTP', () => {
  it('answers the typed health query through @trpc/client', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc` })] })
    const health = await client.health.query()
    expect(health.status).toBe('ok')
    expect(health.database).toBe('up')
    expect(health.mode).toBe('local')
    expect(Date.parse(health.time)).not.toBeNaN()
  })

  it('says the process is up on /healthz and DynamoDB answers on /readyz', async () => {
    const healthz = await fetch(`${server.url}/healthz`)
    expect(healthz.status).toBe(200)
    const readyz = await fetch(`${server.url}/readyz`)
    expect(readyz.status).toBe(200)
    expect(await readyz.json()).toEqual({ status: 'ready' })
  })

  it('answers 404 with a JSON error and no stack for an unknown procedure', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc` })] })
    // @ts-expect-error: the procedure does not exist, which is the point.
    const error = await client.nope.query().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCClientError)
    expect((error as TRPCClientError<AppRouter>).data?.httpStatus).toBe(404)
    expect(JSON.stringify((error as TRPCClientError<AppRouter>).shape)).not.toContain('.ts:')
  })

  it('answers 404 for paths it does not serve', async () => {
    const response = await fetch(`${server.url}/index.html`)
    expect(response.status).toBe(404)
  })
})

describe('the typed client example', () => {
  it('signs in with a personal API token and prints who it acts for', async () => {
    await seedDemo(db)
    const ada = (await getMember(db, DEMO_DEPLOYMENT_ID, 'demo-01'))!
    const { token } = await auth.auth.createApiToken(ada, { name: 'example', expiresInDays: 30 })
    const child = Bun.spawn(['bun', 'examples/typed-client.ts'], {
      cwd: `${import.meta.dir}/..`,
      env: { PATH: process.env.PATH ?? '', PERCOLATE_URL: server.url, PERCOLATE_TOKEN: token },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [stdout, exitCode] = await Promise.all([new Response(child.stdout).text(), child.exited])
    expect(exitCode).toBe(0)
    expect(stdout.trim()).toBe(
      'Signed in as Ada Meyer <ada.meyer@democo.example> (admin) in workspace "demo", via token',
    )
  })
})

describe('readiness', () => {
  it('reports 503 with the reason when the table is missing, and health says degraded', async () => {
    const missing = createDatabase({ client: db.client, tableName: 'percolate-missing-table' })
    const app = createApp({ db: missing, env, logger: silentLogger, auth: auth.auth })
    const response = await app.handle(new Request('http://localhost/readyz'))
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({
      status: 'unavailable',
      reason: "DynamoDB table 'percolate-missing-table' does not exist",
    })
    const health = await app.handle(new Request('http://localhost/trpc/health'))
    expect(((await health.json()) as { result: { data: { status: string } } }).result.data.status).toBe(
      'degraded',
    )
  })
})

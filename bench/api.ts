// `make bench-api`: the dashboard's batched call (auth.me + matches.current + matches.nextRound) with a real
// session, against DynamoDB Local, 64 connections on loopback; beside a plain Bun.serve JSON answer measured
// the same way in the same run. The last line is one JSON object.
//   bun bench/api.ts [--duration 30] [--connections 64]
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase } from '@percolate/db/database'
import { ensureTable } from '@percolate/db/ensure-table'
import { startLocalDynamo } from '@percolate/db/local-dynamodb'
import { getMember } from '@percolate/db/members'
import { startSession } from '@percolate/db/sessions'
import autocannon from 'autocannon'
import { startServer } from '../apps/server/src/app.ts'
import { createAuthService, SESSION_LIFETIMES } from '../apps/server/src/auth/service.ts'
import { readEnv } from '../apps/server/src/env.ts'
import { DEMO_DEPLOYMENT_ID, seedDemo } from '../apps/server/src/local/demo-seed.ts'
import { silentLogger } from '../apps/server/src/log.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name)
  return at === -1 ? fallback : Number(args[at + 1])
}
const duration = option('--duration', 30)
const connections = option('--connections', 64)

function run(url: string, headers: Record<string, string> = {}) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections, duration, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    )
  })
}

const dynamo = await startLocalDynamo()
const client = createDynamoClient({ endpoint: dynamo.endpoint, region: 'local' })
const tableName = 'percolate-bench'
await ensureTable(client, tableName)
const db = createDatabase({ client, tableName })
await seedDemo(db)
const env = readEnv({
  PERCOLATE_MODE: 'local',
  HOST: '127.0.0.1',
  PORT: '0',
  DYNAMODB_TABLE: tableName,
  LOG_LEVEL: 'error',
})
const auth = await createAuthService({ db, env, logger: silentLogger })
const server = startServer({ db, env, logger: silentLogger, auth })

// A real session of a demo member: the cookie the browser would send.
const session = await startSession(db, {
  deploymentId: DEMO_DEPLOYMENT_ID,
  memberId: 'demo-02',
  refreshTokenHash: crypto.randomUUID(),
  lifetimes: SESSION_LIFETIMES,
})
const { token } = await auth.accessTokens.issue({
  sub: 'demo-02',
  dep: DEMO_DEPLOYMENT_ID,
  sid: session.id,
  role: 'member',
})
const cookie = `percolate-access=${token}`
const dashboard = `${server.url}/trpc/auth.me,matches.current,matches.nextRound?batch=1&input=${encodeURIComponent('{}')}`
const check = await fetch(dashboard, { headers: { cookie } })
if (check.status !== 200)
  throw new Error(`the dashboard call answered ${check.status}: ${await check.text()}`)

// The ceiling under everything: DynamoDB Local's own rate of consistent GetItems at the same concurrency.
async function dynamoLocalRate(): Promise<number> {
  let done = 0
  const end = Date.now() + Math.min(duration, 10) * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        await getMember(db, DEMO_DEPLOYMENT_ID, 'demo-02')
        done++
      }
    }),
  )
  return Math.round(done / Math.min(duration, 10))
}
const dynamoGetItemPerSec = await dynamoLocalRate()

const plain = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => Response.json({ status: 'ok' }) })

const api = await run(dashboard, { cookie })
const baseline = await run(`http://127.0.0.1:${plain.port}/`)
plain.stop(true)
await server.stop()
client.destroy()
await dynamo.stop()

const errors = api.errors + api.timeouts + api.non2xx
console.log(
  `dashboard batch: ${api.requests.average} req/s, p50 ${api.latency.p50} ms, p99 ${api.latency.p99} ms, ${errors} errors (${connections} connections, ${duration} s)`,
)
console.log(
  `DynamoDB Local alone: ${dynamoGetItemPerSec} consistent GetItem/s at ${connections} concurrent requests`,
)
console.log(
  `plain Bun.serve: ${baseline.requests.average} req/s, p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms`,
)
console.log(
  JSON.stringify({
    reqPerSec: api.requests.average,
    p50Ms: api.latency.p50,
    p99Ms: api.latency.p99,
    errors,
    bunServeReqPerSec: baseline.requests.average,
    ratio: Number((api.requests.average / baseline.requests.average).toFixed(4)),
    dynamoLocalGetItemPerSec: dynamoGetItemPerSec,
  }),
)

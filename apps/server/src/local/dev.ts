// `make dev`, the API half: DynamoDB Local (persistent under .data/), the local SES inbox, the table, the demo
// data (two deployments: Demo Co and Globex), the API in local mode, and the dev worker that runs due rounds and
// sends notifications. Ctrl-C stops what it started and leaves the data.
//
// For tests that drive this stack (apps/web/test/dev-stack.ts), beside the server's own variables:
//   DEMO_DEPLOYMENTS   which demo deployments to seed, comma-separated: demo, globex (default both)
//   DEV_WORKER=off     no dev worker: rounds and notifications are left to `percolate-cron`, as in a cluster
//   DEV_CRON_ENV_FILE  a file to write, as a JSON object, the environment `percolate-cron` needs to work on this
//                      stack (all but SESSION_SIGNING_KEY: set that one for both, or links will not verify)
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase } from '@percolate/db/database'
import { ensureTable } from '@percolate/db/ensure-table'
import {
  isPortFree,
  type LocalDynamo,
  LocalDynamoError,
  startLocalDynamo,
} from '@percolate/db/local-dynamodb'
import { channelsEnvSchema, createChannels } from '@percolate/dispatch/channels-config'
import { createDispatcher } from '@percolate/dispatch/dispatcher'
import { signedLinks } from '@percolate/dispatch/signed-links'
import { startLocalProviders } from '@percolate/notify/testing/local-providers'
import { StartError, startServer } from '../app.ts'
import { DEMO_PASSWORD, setUpAuth } from '../auth/setup.ts'
import { ConfigError, readEnv } from '../env.ts'
import { createLogger } from '../log.ts'
import { createServerMetrics } from '../metrics.ts'
import { type MetricsServer, startMetricsServer } from '../metrics-server.ts'
import { seedDemo } from './demo-seed.ts'
import { startDevWorker } from './dev-worker.ts'
import { seedGlobex } from './globex-seed.ts'

const repoRoot = join(import.meta.dir, '../../../..')
/** One sender for every deployment this server hosts: not any one company's address. */
const sender = { name: 'Percolate', email: 'percolate@percolate.example' }
const demoSeeds = {
  demo: { name: 'Demo Co', admin: 'ada.meyer@democo.example', seed: seedDemo },
  globex: { name: 'Globex', admin: 'harper.lindqvist@globex.example', seed: seedGlobex },
}
type DemoDeployment = keyof typeof demoSeeds

function fail(message: string): never {
  console.error(`make dev: ${message}`)
  process.exit(1)
}

async function main() {
  // Local defaults first; anything set in the environment wins. Metrics on a free port: nothing scrapes them here,
  // and a fixed one could clash with another stack on this machine.
  const env = readEnv({
    PERCOLATE_MODE: 'local',
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    ...process.env,
  })
  const localPort = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback)
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      fail(`${name} must be a port number from 1 to 65535`)
    return value
  }
  const sesPort = localPort('SES_LOCAL_PORT', 8005)
  const dynamoPort = localPort('DYNAMODB_LOCAL_PORT', 8000)
  const demos = (process.env.DEMO_DEPLOYMENTS ?? 'demo,globex')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const unknownDemo = demos.find((name) => !(name in demoSeeds))
  if (unknownDemo !== undefined || demos.length === 0)
    fail(`DEMO_DEPLOYMENTS must list demo, globex or both, comma-separated (not "${unknownDemo ?? ''}")`)
  const workerOn = process.env.DEV_WORKER !== 'off'
  const logger = createLogger(env.LOG_LEVEL)

  let dynamo: LocalDynamo | undefined
  let endpoint = env.DYNAMODB_ENDPOINT
  if (!endpoint) {
    dynamo = await startLocalDynamo({ port: dynamoPort, dataDir: join(repoRoot, '.data/dynamodb') })
    endpoint = dynamo.endpoint
  }
  const stopAll: (() => Promise<void>)[] = []
  if (dynamo) stopAll.push(dynamo.stop)

  // The local SES inbox and local Slack, Telegram and Signal servers that answer as the real APIs do.
  const chatPorts = { slack: sesPort + 1, telegram: sesPort + 2, signal: sesPort + 3, inbox: sesPort + 4 }
  for (const [name, port] of [['SES_LOCAL_PORT', sesPort], ...Object.entries(chatPorts)] as const) {
    if (!(await isPortFree(port))) {
      await Promise.all(stopAll.map((stop) => stop()))
      fail(
        `Port ${port} (${name}) is in use, so the local notification servers cannot start. Stop what uses it or set SES_LOCAL_PORT (the local servers use it and the four ports after it).`,
      )
    }
  }
  const providers = await startLocalProviders({
    hostname: '127.0.0.1',
    ports: { ses: sesPort, slack: chatPorts.slack, telegram: chatPorts.telegram, signal: chatPorts.signal },
    from: `${sender.name} <${sender.email}>`,
  })
  stopAll.push(providers.stop)
  const sesEndpoint = env.SES_ENDPOINT ?? providers.ses.endpoint
  // What the chat servers received, for people to look at.
  const chatInbox = Bun.serve({
    hostname: '127.0.0.1',
    port: chatPorts.inbox,
    fetch: () =>
      Response.json({
        slack: providers.slack.messages,
        telegram: providers.telegram.messages,
        signal: providers.signal.messages,
      }),
  })
  stopAll.push(async () => {
    await chatInbox.stop(true)
  })

  const client = createDynamoClient({ endpoint, region: env.AWS_REGION })
  await ensureTable(client, env.DYNAMODB_TABLE)
  const db = createDatabase({ client, tableName: env.DYNAMODB_TABLE })
  const seeded: string[] = []
  for (const name of demos as DemoDeployment[]) {
    const { name: title, seed } = demoSeeds[name]
    seeded.push((await seed(db)) === 'seeded' ? `seeded "${title}"` : `"${title}" already there`)
  }

  // The channel settings of this stack: the dev worker's, and what `percolate-cron` needs to send here too.
  const channelsEnv = {
    SES_FROM: providers.config.email.from,
    SES_ENDPOINT: sesEndpoint,
    SLACK_BOT_TOKEN: providers.config.slack.botToken,
    SLACK_API_URL: providers.config.slack.baseUrl,
    TELEGRAM_BOT_TOKEN: providers.config.telegram.botToken,
    TELEGRAM_API_URL: providers.config.telegram.baseUrl,
    SIGNAL_API_URL: providers.config.signal.baseUrl,
    SIGNAL_NUMBER: providers.config.signal.senderNumber,
  }
  // Written before the API answers: whoever waits for /readyz finds it.
  const cronEnvFile = process.env.DEV_CRON_ENV_FILE
  if (cronEnvFile) {
    const cronEnv = {
      DYNAMODB_ENDPOINT: endpoint,
      DYNAMODB_TABLE: env.DYNAMODB_TABLE,
      AWS_REGION: env.AWS_REGION,
      PUBLIC_URL: env.PUBLIC_URL,
      ...channelsEnv,
    }
    writeFileSync(cronEnvFile, `${JSON.stringify(cronEnv, null, 2)}\n`)
  }

  const serverEnv = { ...env, DYNAMODB_ENDPOINT: endpoint, SES_ENDPOINT: sesEndpoint }
  const metrics = createServerMetrics({ processMetrics: true })
  let server: ReturnType<typeof startServer>
  let auth: Awaited<ReturnType<typeof setUpAuth>>
  let metricsServer: MetricsServer | undefined
  try {
    if (!(await isPortFree(env.LOCAL_OIDC_PORT))) {
      throw new StartError(
        `Port ${env.LOCAL_OIDC_PORT} is in use, so the local identity provider cannot start. Stop what uses it or set LOCAL_OIDC_PORT.`,
      )
    }
    auth = await setUpAuth({ db, env: serverEnv, logger, metrics })
    stopAll.unshift(auth.stop)
    server = startServer({ db, env: serverEnv, logger, auth: auth.auth, metrics })
    stopAll.unshift(server.stop)
    if (env.METRICS_PORT !== 'off') {
      metricsServer = startMetricsServer({ hostname: env.HOST, port: env.METRICS_PORT, metrics })
      stopAll.unshift(metricsServer.stop)
    }
  } catch (error) {
    await Promise.all(stopAll.map((stop) => stop()))
    throw error
  }
  if (workerOn) {
    const worker = startDevWorker({
      db,
      logger,
      dispatcher: createDispatcher({
        db,
        channels: createChannels(channelsEnvSchema.parse(channelsEnv), providers.config.email.region),
        links: signedLinks(auth.auth.actionTokens, env.PUBLIC_URL),
        invite: { organizer: sender, uidDomain: 'localhost' },
        log: (line) => logger.debug('dispatch', line),
      }),
    })
    stopAll.unshift(worker.stop)
  }
  console.log(
    [
      '',
      `  API            ${server.url}  (tRPC at /trpc, /healthz, /readyz)`,
      `  Metrics        ${metricsServer?.url ?? 'off (METRICS_PORT=off)'}  (Prometheus text format)`,
      `  Email inbox    ${sesEndpoint}  (local SES: every email sent shows up here)`,
      `  Chat messages  ${chatInbox.url.origin}  (what the local Slack, Telegram and Signal servers received)`,
      `  DynamoDB Local ${endpoint}  (table ${env.DYNAMODB_TABLE}${dynamo ? ', data in .data/dynamodb' : ''})`,
      `  Demo data      ${seeded.join(', ')}`,
      `  Sign-in        ${auth.localIssuer}  (local identity provider: ${demos.map((name) => demoSeeds[name as DemoDeployment].admin).join(' or ')}, password ${DEMO_PASSWORD})`,
      `  Rounds         ${workerOn ? 'every 5 s: due rounds run and notifications go out (as percolate-cron run and dispatch)' : 'off (DEV_WORKER=off): run percolate-cron for rounds and notifications'}`,
      ...(cronEnvFile
        ? [`  Cron settings  ${cronEnvFile}  (percolate-cron's environment for this stack)`]
        : []),
      '',
    ].join('\n'),
  )

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    for (const each of stopAll) await each().catch(() => {})
    client.destroy()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartError || error instanceof LocalDynamoError) {
    fail(error.message)
  }
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`)
})

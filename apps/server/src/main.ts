// Server entry: validate configuration, check DynamoDB, listen. Any start failure is one line and exit 1.
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase } from '@percolate/db/database'
import { isAppError } from '@percolate/domain/errors'
import { StartError, startServer } from './app.ts'
import { setUpAuth } from './auth/setup.ts'
import { ConfigError, readEnv } from './env.ts'
import { seedDemo } from './local/demo-seed.ts'
import { createLogger } from './log.ts'
import { createServerMetrics } from './metrics.ts'
import { type MetricsServer, startMetricsServer } from './metrics-server.ts'
import { checkDynamo } from './readiness.ts'

function fail(message: string): never {
  console.error(`percolate-server: ${message}`)
  process.exit(1)
}

async function main() {
  const env = readEnv()
  const logger = createLogger(env.LOG_LEVEL)
  const client = createDynamoClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION })
  const readiness = await checkDynamo(client, env.DYNAMODB_TABLE, 5_000)
  if (!readiness.ready) {
    const where = env.DYNAMODB_ENDPOINT ?? `AWS region ${env.AWS_REGION}`
    fail(
      `${readiness.reason} at ${where}. Start it (make dev starts DynamoDB Local) or fix DYNAMODB_ENDPOINT, DYNAMODB_TABLE and the AWS credentials.`,
    )
  }
  const db = createDatabase({ client, tableName: env.DYNAMODB_TABLE })
  // Local mode runs on its embedded defaults, demo data included (left as it is when already there).
  if (env.PERCOLATE_MODE === 'local') await seedDemo(db)
  const metrics = createServerMetrics({ processMetrics: true })
  const auth = await setUpAuth({ db, env, logger, metrics })
  let server: ReturnType<typeof startServer>
  try {
    server = startServer({ db, env, logger, auth: auth.auth, metrics })
  } catch (error) {
    await auth.stop()
    throw error
  }
  let metricsServer: MetricsServer | undefined
  try {
    if (env.METRICS_PORT !== 'off') {
      metricsServer = startMetricsServer({ hostname: env.HOST, port: env.METRICS_PORT, metrics })
    }
  } catch (error) {
    await server.stop()
    await auth.stop()
    throw error
  }
  logger.info('listening', {
    url: server.url,
    metrics: metricsServer?.url ?? 'off',
    mode: env.PERCOLATE_MODE,
    table: env.DYNAMODB_TABLE,
    ...(auth.localIssuer ? { localIdentityProvider: auth.localIssuer } : {}),
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await server.stop()
      await metricsServer?.stop()
      await auth.stop()
      client.destroy()
      process.exit(0)
    })
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartError || isAppError(error)) fail(error.message)
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`)
})

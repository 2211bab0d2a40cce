// Server entry: validate configuration, check DynamoDB, listen. Any start failure is one line and exit 1.
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase } from '@percolate/db/database'
import { StartError, startServer } from './app.ts'
import { ConfigError, readEnv } from './env.ts'
import { createLogger } from './log.ts'
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
  const server = startServer({ db: createDatabase({ client, tableName: env.DYNAMODB_TABLE }), env, logger })
  logger.info('listening', { url: server.url, mode: env.PERCOLATE_MODE, table: env.DYNAMODB_TABLE })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await server.stop()
      client.destroy()
      process.exit(0)
    })
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartError) fail(error.message)
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`)
})

// The environment percolate-cron runs with in tests: the test's DynamoDB Local table, a fresh signing key, and the
// local SES and chat servers of packages/notify.
import { exportSigningKeys, generateSigningKeys } from '@percolate/auth/access-token'
import type { Database } from '@percolate/db/database'
import { testEndpoint } from '@percolate/db/testing'
import type { startLocalProviders } from '@percolate/notify/testing/local-providers'

type LocalProviders = Awaited<ReturnType<typeof startLocalProviders>>

export async function localCronEnv(db: Database, providers: LocalProviders) {
  const { privatePem } = await exportSigningKeys(await generateSigningKeys())
  return {
    DYNAMODB_TABLE: db.tableName,
    DYNAMODB_ENDPOINT: testEndpoint(),
    AWS_REGION: 'us-east-1',
    PUBLIC_URL: 'http://localhost:5173',
    SESSION_SIGNING_KEY: privatePem,
    SES_FROM: 'Percolate <percolate@localhost>',
    SES_ENDPOINT: providers.config.email.endpoint,
    SLACK_BOT_TOKEN: providers.config.slack.botToken,
    SLACK_API_URL: providers.config.slack.baseUrl,
  }
}

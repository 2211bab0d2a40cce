// AWS Lambda entry for the table's DynamoDB Stream (NEW_IMAGE): every inserted outbox item is sent right away by
// the same dispatcher `percolate-cron dispatch` uses; the claim makes a concurrent cron dispatch harmless. Records
// that fail are reported back (partial batch response: ReportBatchItemFailures) so Lambda retries only those.
// Built as its own bundle (dist/lambda/index.mjs) by `make build`. The key that signs the links in notifications
// is no Lambda environment variable (those are kept in git with the Function resource): it is read once per
// container from the Secrets Manager secret named by SESSION_SIGNING_KEY_SECRET_ID.
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase, type Database } from '@percolate/db/database'
import { getDeployment } from '@percolate/db/deployments'
import { outboxItemSchema } from '@percolate/db/outbox'
import { createChannels } from '@percolate/dispatch/channels-config'
import type { Dispatcher } from '@percolate/dispatch/dispatcher'
import type { ChannelKind } from '@percolate/domain/deployment'
import { readCronEnv } from './config.ts'
import { createDispatcherFromEnv } from './dispatcher-setup.ts'
import { createRunLog, newRunId, writeJsonLine } from './log-lines.ts'

/** The parts of a DynamoDB Stream event this handler reads. */
export interface StreamEvent {
  Records: {
    eventID?: string
    eventName?: 'INSERT' | 'MODIFY' | 'REMOVE'
    dynamodb?: { NewImage?: Record<string, AttributeValue>; SequenceNumber?: string }
  }[]
}
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[]
}

// A container handles one invocation at a time: each gets its own run id.
let invocationId = newRunId()
const log = createRunLog(() => invocationId, writeJsonLine)

export interface StreamHandlerSetup {
  db: Database
  dispatcher: Dispatcher
  /**
   * The channels this Lambda has settings for. An item on another channel (a chat token kept only in the
   * cluster's Secret, say) stays pending for `percolate-cron dispatch`, rather than failing here for want of it.
   */
  channels?: ReadonlySet<ChannelKind>
}

export function createStreamHandler(setup: () => Promise<StreamHandlerSetup>) {
  let ready: Promise<StreamHandlerSetup> | undefined
  return async (event: StreamEvent): Promise<BatchResponse> => {
    invocationId = newRunId()
    ready ??= setup()
    // A failed setup (a secret not yet there, say) is tried again on the next invocation, not cached.
    const { db, dispatcher, channels } = await ready.catch((error: unknown) => {
      ready = undefined
      throw error
    })
    const failures: BatchResponse['batchItemFailures'] = []
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage
      if (record.eventName !== 'INSERT' || !image || image._et?.S !== 'Outbox') continue
      const parsed = outboxItemSchema.safeParse(unmarshall(image))
      if (!parsed.success || parsed.data.status !== 'pending') continue
      if (channels && !channels.has(parsed.data.channel)) {
        log({ step: 'stream', outcome: 'left for percolate-cron dispatch', channel: parsed.data.channel })
        continue
      }
      try {
        const deployment = await getDeployment(db, parsed.data.deploymentId)
        if (!deployment) continue
        await dispatcher.dispatchItem(deployment, parsed.data)
      } catch (error) {
        log({
          step: 'stream',
          outcome: 'failed',
          reason: error instanceof Error ? error.message : String(error),
        })
        const id = record.dynamodb?.SequenceNumber ?? record.eventID
        if (id) failures.push({ itemIdentifier: id })
      }
    }
    return { batchItemFailures: failures }
  }
}

/** The PEM stored as the secret's string value; an error names the secret, never the value. */
export async function readSigningKey(client: SecretsManagerClient, secretId: string): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }))
  if (!SecretString?.includes('-----BEGIN PRIVATE KEY-----'))
    throw new Error(
      `secret ${secretId} must hold the PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----…"); make secrets puts it there`,
    )
  return SecretString
}

/** The Lambda's environment with SESSION_SIGNING_KEY filled in from Secrets Manager when only its secret is named. */
export async function resolveLambdaEnv(
  source: Record<string, string | undefined>,
  secrets: () => SecretsManagerClient = () => new SecretsManagerClient({}),
): Promise<Record<string, string | undefined>> {
  const secretId = source.SESSION_SIGNING_KEY_SECRET_ID
  if (source.SESSION_SIGNING_KEY || !secretId) return source
  const client = secrets()
  try {
    return { ...source, SESSION_SIGNING_KEY: await readSigningKey(client, secretId) }
  } finally {
    client.destroy()
  }
}

export const handler = createStreamHandler(async () => {
  const env = readCronEnv(await resolveLambdaEnv(process.env))
  const client = createDynamoClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION })
  const db = createDatabase({ client, tableName: env.DYNAMODB_TABLE })
  const channels = new Set(Object.keys(createChannels(env, env.AWS_REGION)) as ChannelKind[])
  return { db, dispatcher: await createDispatcherFromEnv(env, db, log), channels }
})

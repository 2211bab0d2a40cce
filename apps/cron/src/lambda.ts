// AWS Lambda entry for the table's DynamoDB Stream (NEW_IMAGE): every inserted outbox item is sent right away by
// the same dispatcher `percolate-cron dispatch` uses; the claim makes a concurrent cron dispatch harmless. Records
// that fail are reported back (partial batch response: ReportBatchItemFailures) so Lambda retries only those.
// Built as its own bundle (dist/lambda/index.mjs) by `make build`.
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase, type Database } from '@percolate/db/database'
import { getDeployment } from '@percolate/db/deployments'
import { outboxItemSchema } from '@percolate/db/outbox'
import type { Dispatcher } from '@percolate/dispatch/dispatcher'
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

export function createStreamHandler(setup: () => Promise<{ db: Database; dispatcher: Dispatcher }>) {
  let ready: Promise<{ db: Database; dispatcher: Dispatcher }> | undefined
  return async (event: StreamEvent): Promise<BatchResponse> => {
    invocationId = newRunId()
    ready ??= setup()
    const { db, dispatcher } = await ready
    const failures: BatchResponse['batchItemFailures'] = []
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage
      if (record.eventName !== 'INSERT' || !image || image._et?.S !== 'Outbox') continue
      const parsed = outboxItemSchema.safeParse(unmarshall(image))
      if (!parsed.success || parsed.data.status !== 'pending') continue
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

export const handler = createStreamHandler(async () => {
  const env = readCronEnv(process.env)
  const client = createDynamoClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION })
  const db = createDatabase({ client, tableName: env.DYNAMODB_TABLE })
  return { db, dispatcher: await createDispatcherFromEnv(env, db, log) }
})

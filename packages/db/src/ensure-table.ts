// Creates the table from its definition in table.ts, idempotently: an existing table is left as it is.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import { tableKeys } from './table.ts'

export const TTL_ATTRIBUTE = 'expiresAt'

const attributeType = { string: 'S', number: 'N', binary: 'B' } as const

export function buildCreateTableInput(tableName: string) {
  const { partitionKey, sortKey, indexes } = tableKeys
  const attributes = new Map<string, 'S' | 'N' | 'B'>()
  const addAttribute = (key: { name: string; type: keyof typeof attributeType }) =>
    attributes.set(key.name, attributeType[key.type])
  addAttribute(partitionKey)
  addAttribute(sortKey)
  for (const index of Object.values(indexes)) {
    addAttribute(index.partitionKey)
    addAttribute(index.sortKey)
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: sortKey.name, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: Object.entries(indexes).map(([IndexName, index]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  }
}

/** Returns "created" or "exists". Waits until the table is ACTIVE either way. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'exists'> {
  let outcome: 'created' | 'exists' = 'exists'
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }))
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error
    try {
      await client.send(new CreateTableCommand(buildCreateTableInput(tableName)))
      outcome = 'created'
    } catch (createError) {
      // Another process created it between our describe and create: that is the outcome we wanted.
      if (!(createError instanceof ResourceInUseException)) throw createError
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName })
  // Ended sessions, used refresh tokens and login attempts carry `expiresAt` (epoch seconds).
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))
  if (
    TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED' &&
    TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLING'
  ) {
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      )
    } catch (error) {
      // Another process enabled it between our describe and update.
      if (!/already enabled/i.test((error as Error).message)) throw error
    }
  }
  return outcome
}

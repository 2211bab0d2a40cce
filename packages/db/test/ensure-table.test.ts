import { afterAll, describe, expect, it } from 'bun:test'
import { DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb'
import { createDynamoClient } from '../src/client.ts'
import { ensureTable } from '../src/ensure-table.ts'
import { testEndpoint } from '../src/testing.ts'

describe('ensureTable', () => {
  const client = createDynamoClient({ endpoint: testEndpoint(), region: 'local' })
  const tableName = `percolate-ensure-${crypto.randomUUID()}`
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: tableName }))
    client.destroy()
  })

  it('creates the table with its keys and index the first time, and leaves it alone after', async () => {
    expect(await ensureTable(client, tableName)).toBe('created')
    expect(await ensureTable(client, tableName)).toBe('exists')
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    expect(Table?.TableStatus).toBe('ACTIVE')
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ])
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['gsi1'])
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    )
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' })
  })

  it('survives two processes creating the same table at once', async () => {
    const name = `percolate-race-${crypto.randomUUID()}`
    const outcomes = await Promise.all([ensureTable(client, name), ensureTable(client, name)])
    expect(outcomes.sort()).toEqual(['created', 'exists'])
    await client.send(new DeleteTableCommand({ TableName: name }))
  })
})

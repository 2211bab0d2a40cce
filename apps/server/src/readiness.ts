// Whether the server can do its work: DynamoDB answers and the table is there.
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb'

export type Readiness = { ready: true } | { ready: false; reason: string }

export async function checkDynamo(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 2_000,
): Promise<Readiness> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    })
    return { ready: true }
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return { ready: false, reason: `DynamoDB table '${tableName}' does not exist` }
    }
    const detail = error instanceof Error ? error.name : 'unknown error'
    return { ready: false, reason: `DynamoDB does not answer (${detail})` }
  }
}

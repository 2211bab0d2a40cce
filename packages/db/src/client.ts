// The DynamoDB clients: the AWS SDK default credential chain in AWS, fixed local credentials against DynamoDB Local.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

export interface DynamoConfig {
  /** DynamoDB Local or another endpoint; absent in AWS, where the SDK resolves the regional endpoint. */
  endpoint?: string | undefined
  region: string
}

export function createDynamoClient({ endpoint, region }: DynamoConfig): DynamoDBClient {
  return new DynamoDBClient({
    region,
    ...(endpoint
      ? {
          endpoint,
          // DynamoDB Local accepts any credentials; fixed ones keep the AWS chain from searching for real ones.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 3,
        }
      : {}),
  })
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  })
}

// The one table of Percolate, defined once: ensure-table creates it from this same definition.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { Table } from 'dynamodb-toolbox/table'

export const tableKeys = {
  partitionKey: { name: 'pk', type: 'string' },
  sortKey: { name: 'sk', type: 'string' },
  indexes: {
    gsi1: {
      type: 'global',
      partitionKey: { name: 'gsi1pk', type: 'string' },
      sortKey: { name: 'gsi1sk', type: 'string' },
    },
  },
} as const

export function createPercolateTable(name: string, documentClient: DynamoDBDocumentClient) {
  return new Table({ name, documentClient, ...tableKeys })
}
export type PercolateTable = ReturnType<typeof createPercolateTable>

/** Every partition key starts with the deployment id: tenant isolation by construction. */
export const deploymentPartition = (deploymentId: string) => `DEP#${deploymentId}`

// The ACK Table of every instance is the table packages/db creates locally: same keys, index, billing and TTL
// attribute, plus what production needs on top (the stream the dispatcher Lambda reads, point-in-time recovery).
import { describe, expect, it } from 'bun:test'
import { buildCreateTableInput, TTL_ATTRIBUTE } from '@percolate/db/ensure-table'
import { listInstances, type Manifest, renderInstance } from './render.ts'

const instances = listInstances()

/** The AWS API's field names lowerCamelCased, as ACK spells them (`KeyType` -> `keyType`). */
function toLowerCamelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toLowerCamelKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key[0]!.toLowerCase() + key.slice(1),
        toLowerCamelKeys(item),
      ]),
    )
  }
  return value
}

type KeyElement = { attributeName: string; keyType: string }

/** The fields of the ACK Table (lowerCamelCase AWS API names) that packages/db also defines or that we rely on. */
type TableSpec = {
  tableName: string
  billingMode?: string
  keySchema?: KeyElement[]
  attributeDefinitions?: { attributeName: string; attributeType: string }[]
  globalSecondaryIndexes?: { indexName: string; keySchema?: KeyElement[]; projection?: unknown }[]
  localSecondaryIndexes?: unknown[]
  streamSpecification?: { streamEnabled?: boolean; streamViewType?: string }
  timeToLive?: { attributeName?: string; enabled?: boolean }
  continuousBackups?: { pointInTimeRecoveryEnabled?: boolean }
}

const byName = <T>(items: T[] | undefined, key: keyof T) =>
  [...(items ?? [])].sort((a, b) => String(a[key]).localeCompare(String(b[key])))

for (const instance of instances) {
  describe(`instance ${instance}: the DynamoDB Table`, () => {
    const findTable = (): TableSpec => {
      const tables = renderInstance(instance).filter(
        (m) => m.kind === 'Table' && m.apiVersion.startsWith('dynamodb.services.k8s.aws/'),
      )
      expect(tables.length, `${instance}: expected exactly one ACK Table`).toBe(1)
      return (tables[0] as Manifest).spec as TableSpec
    }

    it('has the keys, attribute definitions, index and billing mode of packages/db', () => {
      const spec = findTable()
      const expected = toLowerCamelKeys(buildCreateTableInput(spec.tableName)) as Required<TableSpec>
      expect({
        tableName: spec.tableName,
        billingMode: spec.billingMode,
        keySchema: spec.keySchema,
        attributeDefinitions: byName(spec.attributeDefinitions, 'attributeName'),
        globalSecondaryIndexes: byName(spec.globalSecondaryIndexes, 'indexName'),
      }).toEqual({
        tableName: `percolate-${instance}`,
        billingMode: expected.billingMode,
        keySchema: expected.keySchema,
        attributeDefinitions: byName(expected.attributeDefinitions, 'attributeName'),
        globalSecondaryIndexes: byName(expected.globalSecondaryIndexes, 'indexName'),
      })
    })

    it('has no local secondary index packages/db does not define', () => {
      expect(findTable().localSecondaryIndexes ?? []).toEqual([])
    })

    it('streams new images, which the dispatcher Lambda reads (record.dynamodb.NewImage)', () => {
      const stream = findTable().streamSpecification ?? {}
      expect(stream.streamEnabled).toBe(true)
      expect(['NEW_IMAGE', 'NEW_AND_OLD_IMAGES']).toContain(stream.streamViewType ?? '<unset>')
    })

    it(`expires items on packages/db's TTL attribute ${TTL_ATTRIBUTE}`, () => {
      expect(findTable().timeToLive).toEqual({ attributeName: TTL_ATTRIBUTE, enabled: true })
    })

    it('keeps point-in-time recovery on', () => {
      expect(findTable().continuousBackups?.pointInTimeRecoveryEnabled).toBe(true)
    })

    it('is the table the server, the jobs and the Lambda are configured with', () => {
      const { tableName } = findTable()
      const manifests = renderInstance(instance)
      const configured = [
        ...manifests
          .filter((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('percolate-config'))
          .map((m) => ({
            where: `ConfigMap/${m.metadata.name}`,
            table: (m.data as Record<string, string> | undefined)?.DYNAMODB_TABLE,
          })),
        ...manifests
          .filter((m) => m.kind === 'Function' && m.apiVersion.startsWith('lambda.services.k8s.aws/'))
          .map((m) => ({
            where: `Function/${m.metadata.name}`,
            table: (m.spec as { environment?: { variables?: Record<string, string> } } | undefined)
              ?.environment?.variables?.DYNAMODB_TABLE,
          })),
      ]
      expect(configured.length).toBeGreaterThanOrEqual(2)
      expect(configured).toEqual(configured.map(({ where }) => ({ where, table: tableName })))
    })
  })
}

describe('table instances', () => {
  it('has at least two instances to compare with packages/db', () => {
    expect(instances.length).toBeGreaterThanOrEqual(2)
  })
})

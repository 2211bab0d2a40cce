// Opt-ins for deployments whose rounds are opt-in: one item per (round, member) who said "count me in".
import { Entity } from 'dynamodb-toolbox/entity'
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { item } from 'dynamodb-toolbox/schema/item'
import { string } from 'dynamodb-toolbox/schema/string'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'

const OPT_IN_PREFIX = 'OPTIN#'

export function createOptInEntity(table: PercolateTable) {
  return new Entity({
    name: 'OptIn',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      scheduledAt: string().key(),
      memberId: string().key(),
      createdAt: string(),
    }),
    computeKey: ({ deploymentId, scheduledAt, memberId }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${OPT_IN_PREFIX}${scheduledAt}#${memberId}`,
    }),
  })
}

export interface OptInKey {
  deploymentId: string
  scheduledAt: string
  memberId: string
}

/** Opts a member in (or out again) for one round; idempotent. */
export async function setOptIn(
  db: Database,
  key: OptInKey,
  optedIn: boolean,
  now = new Date(),
): Promise<void> {
  if (optedIn)
    await db.optIns
      .build(PutItemCommand)
      .item({ ...key, createdAt: now.toISOString() })
      .send()
  else await db.optIns.build(DeleteItemCommand).key(key).send()
}

export async function isOptedIn(db: Database, key: OptInKey): Promise<boolean> {
  const { Item } = await db.optIns.build(GetItemCommand).key(key).options({ consistent: true }).send()
  return Item !== undefined
}

/** The members who opted in for a round. */
export async function listOptIns(
  db: Database,
  deploymentId: string,
  scheduledAt: string,
): Promise<Set<string>> {
  const ids = new Set<string>()
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.optIns)
      .query({
        partition: deploymentPartition(deploymentId),
        range: { beginsWith: `${OPT_IN_PREFIX}${scheduledAt}#` },
      })
      .options({ consistent: true, ...(exclusiveStartKey ? { exclusiveStartKey } : {}) })
      .send()
    for (const raw of page.Items ?? []) ids.add(raw.memberId)
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return ids
}

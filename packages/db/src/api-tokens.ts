// Personal API tokens for developers' typed clients: shown once, stored only as a hash, scoped to their member,
// revocable, optionally expiring. Looked up by hash within the deployment the token names.
import { Entity } from 'dynamodb-toolbox/entity'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update'
import { item } from 'dynamodb-toolbox/schema/item'
import { string } from 'dynamodb-toolbox/schema/string'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { z } from 'zod'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'

/** A member may hold at most this many active tokens. */
export const MAX_API_TOKENS = 20

const memberTokensPartition = (deploymentId: string, memberId: string) =>
  `${deploymentPartition(deploymentId)}#MEMBER#${memberId}#TOKENS`

export const apiTokenSchema = z.object({
  deploymentId: z.string(),
  hash: z.string(),
  id: z.string(),
  memberId: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().optional(),
  lastUsedAt: z.iso.datetime().optional(),
  revokedAt: z.iso.datetime().optional(),
})
export type ApiToken = z.infer<typeof apiTokenSchema>

export function createApiTokenEntity(table: PercolateTable) {
  return new Entity({
    name: 'ApiToken',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      hash: string().key(),
      id: string(),
      memberId: string(),
      name: string(),
      createdAt: string(),
      expiresAt: string().optional(),
      lastUsedAt: string().optional(),
      revokedAt: string().optional(),
    }).and((schema) => ({
      gsi1pk: string().link<typeof schema>(({ deploymentId, memberId }) =>
        memberTokensPartition(deploymentId, memberId),
      ),
      gsi1sk: string().link<typeof schema>(({ createdAt, id }) => `${createdAt}#${id}`),
    })),
    computeKey: ({ deploymentId, hash }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `APITOKEN#${hash}`,
    }),
  })
}

export function isApiTokenActive(token: ApiToken, now = new Date()): boolean {
  return !token.revokedAt && (!token.expiresAt || now.toISOString() < token.expiresAt)
}

export async function listApiTokens(
  db: Database,
  deploymentId: string,
  memberId: string,
): Promise<ApiToken[]> {
  const tokens: ApiToken[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.apiTokens)
      .query({ index: 'gsi1', partition: memberTokensPartition(deploymentId, memberId) })
      .options({ reverse: true, exclusiveStartKey })
      .send()
    for (const token of page.Items ?? []) tokens.push(apiTokenSchema.parse(token))
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return tokens
}

export async function createApiToken(db: Database, token: ApiToken): Promise<ApiToken> {
  const record = apiTokenSchema.parse(token)
  await db.apiTokens
    .build(PutItemCommand)
    .item(record)
    .options({ condition: { attr: 'hash', exists: false } })
    .send()
  return record
}

export async function findApiToken(
  db: Database,
  deploymentId: string,
  hash: string,
): Promise<ApiToken | null> {
  const { Item } = await db.apiTokens.build(GetItemCommand).key({ deploymentId, hash }).send()
  return Item ? apiTokenSchema.parse(Item) : null
}

/** Revokes one of a member's tokens by id; false when they have no such active token. */
export async function revokeApiToken(
  db: Database,
  deploymentId: string,
  memberId: string,
  id: string,
  now = new Date(),
): Promise<boolean> {
  const token = (await listApiTokens(db, deploymentId, memberId)).find((t) => t.id === id)
  if (!token || token.revokedAt) return false
  await db.apiTokens
    .build(UpdateItemCommand)
    .item({ deploymentId, hash: token.hash, revokedAt: now.toISOString() })
    .options({ condition: { attr: 'memberId', eq: memberId } })
    .send()
  return true
}

/** Notes a use, at most once a minute per token (a write per request would cost more than it tells). */
export async function touchApiToken(db: Database, token: ApiToken, now = new Date()): Promise<void> {
  if (token.lastUsedAt && now.getTime() - Date.parse(token.lastUsedAt) < 60_000) return
  await db.apiTokens
    .build(UpdateItemCommand)
    .item({ deploymentId: token.deploymentId, hash: token.hash, lastUsedAt: now.toISOString() })
    .send()
}

// Rounds and the groups they formed. The matching run (apps/cron) writes them; the demo seed writes past ones.
import { Entity } from 'dynamodb-toolbox/entity'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { z } from 'zod'
import { decodeCursor, encodeCursor } from './cursor.ts'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'

const ROUND_PREFIX = 'ROUND#'
const GROUP_PREFIX = 'GROUP#'

export const roundStatuses = ['running', 'completed', 'skipped'] as const

export const roundSchema = z.object({
  deploymentId: z.string(),
  /** The scheduled time, ISO 8601 UTC: the round's identity. */
  scheduledAt: z.iso.datetime(),
  status: z.enum(roundStatuses),
  seed: z.string(),
  participantCount: z.number().int().min(0),
  groupCount: z.number().int().min(0),
  completedAt: z.iso.datetime().optional(),
  skippedReason: z.string().optional(),
})
export type Round = z.infer<typeof roundSchema>

export const roundGroupSchema = z.object({
  deploymentId: z.string(),
  scheduledAt: z.iso.datetime(),
  index: z.number().int().min(0),
  memberIds: z.array(z.string()).min(2),
  reason: z.string(),
})
export type RoundGroup = z.infer<typeof roundGroupSchema>

export function createRoundEntity(table: PercolateTable) {
  return new Entity({
    name: 'Round',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      scheduledAt: string().key(),
      status: string().enum(...roundStatuses),
      seed: string(),
      participantCount: number(),
      groupCount: number(),
      completedAt: string().optional(),
      skippedReason: string().optional(),
    }),
    computeKey: ({ deploymentId, scheduledAt }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${ROUND_PREFIX}${scheduledAt}`,
    }),
  })
}

export function createRoundGroupEntity(table: PercolateTable) {
  return new Entity({
    name: 'RoundGroup',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      scheduledAt: string().key(),
      index: number().key(),
      memberIds: list(string()),
      reason: string(),
    }),
    computeKey: ({ deploymentId, scheduledAt, index }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${GROUP_PREFIX}${scheduledAt}#${String(index).padStart(5, '0')}`,
    }),
  })
}

export async function putRound(db: Database, round: Round): Promise<void> {
  await db.rounds.build(PutItemCommand).item(roundSchema.parse(round)).send()
}

export async function putRoundGroup(db: Database, group: RoundGroup): Promise<void> {
  await db.roundGroups.build(PutItemCommand).item(roundGroupSchema.parse(group)).send()
}

/** Newest first. */
export async function listRounds(
  db: Database,
  deploymentId: string,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<{ rounds: Round[]; nextCursor: string | null }> {
  const partition = deploymentPartition(deploymentId)
  const exclusiveStartKey = decodeCursor(options.cursor, partition)
  const page = await db.table
    .build(QueryCommand)
    .entities(db.rounds)
    .query({ partition, range: { beginsWith: ROUND_PREFIX } })
    .options({
      reverse: true,
      limit: options.limit ?? 20,
      ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
    })
    .send()
  return {
    rounds: (page.Items ?? []).map((raw) => roundSchema.parse(raw)),
    nextCursor: encodeCursor(page.LastEvaluatedKey),
  }
}

export async function listRoundGroups(
  db: Database,
  deploymentId: string,
  scheduledAt: string,
): Promise<RoundGroup[]> {
  const groups: RoundGroup[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.roundGroups)
      .query({
        partition: deploymentPartition(deploymentId),
        range: { beginsWith: `${GROUP_PREFIX}${scheduledAt}#` },
      })
      .options(exclusiveStartKey ? { exclusiveStartKey } : {})
      .send()
    for (const raw of page.Items ?? []) groups.push(roundGroupSchema.parse(raw))
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return groups
}

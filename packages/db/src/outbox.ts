// The notification outbox: one item per (message, member, channel), written by the round in the same
// conditional transactions as the match records, sent by the dispatcher. Deterministic ids make every write
// idempotent; a conditional claim (pending → sending, with a lease) keeps two dispatchers from sending one item.
import { channelKinds } from '@percolate/domain/deployment'
import { Entity } from 'dynamodb-toolbox/entity'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update'
import { item } from 'dynamodb-toolbox/schema/item'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { z } from 'zod'
import { decodeCursor, encodeCursor } from './cursor.ts'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'
import type { WriteTransaction } from './write-once.ts'

const OUTBOX_PREFIX = 'OUTBOX#'

/** match: "you are grouped with…"; not-matched: left out this round, and why; checkin: "did you meet?". */
export const outboxKinds = ['match', 'not-matched', 'checkin', 'reminder', 'test'] as const
export type OutboxKind = (typeof outboxKinds)[number]
export const outboxStatuses = ['pending', 'sending', 'sent', 'failed'] as const
export type OutboxStatus = (typeof outboxStatuses)[number]

export const outboxItemSchema = z.object({
  deploymentId: z.string(),
  memberId: z.string(),
  /** The round the message is about (ISO time), or the moment a test message was asked for. */
  scheduledAt: z.iso.datetime(),
  kind: z.enum(outboxKinds),
  channel: z.enum(channelKinds),
  status: z.enum(outboxStatuses),
  attempts: z.number().int().min(0),
  /** When a pending item is due (next retry); a sending item's lease end. */
  nextAttemptAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  providerMessageId: z.string().optional(),
  /** Why the last attempt failed (or why the item failed for good). */
  reason: z.string().optional(),
})
export type OutboxItem = z.infer<typeof outboxItemSchema>
export type OutboxKey = Pick<OutboxItem, 'deploymentId' | 'memberId' | 'scheduledAt' | 'kind' | 'channel'>

/** The item's id within its deployment: deterministic, so a rerun writes the same item. */
export const outboxId = (key: Omit<OutboxKey, 'deploymentId'>) =>
  `${key.memberId}#${key.scheduledAt}#${key.kind}#${key.channel}`
const statusPartition = (deploymentId: string, status: OutboxStatus) =>
  `${deploymentPartition(deploymentId)}#OUTBOX#${status}`

export function createOutboxEntity(table: PercolateTable) {
  return new Entity({
    name: 'Outbox',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      memberId: string().key(),
      scheduledAt: string().key(),
      kind: string()
        .key()
        .enum(...outboxKinds),
      channel: string()
        .key()
        .enum(...channelKinds),
      status: string().enum(...outboxStatuses),
      attempts: number(),
      nextAttemptAt: string(),
      createdAt: string(),
      updatedAt: string(),
      providerMessageId: string().optional(),
      reason: string().optional(),
    }).and((schema) => ({
      // Due items by time (pending, sending) and failed items by time (admins), per deployment.
      gsi1pk: string().link<typeof schema>(({ deploymentId, status }) =>
        statusPartition(deploymentId, status),
      ),
      gsi1sk: string().link<typeof schema>(
        ({ nextAttemptAt, memberId, scheduledAt, kind, channel }) =>
          `${nextAttemptAt}#${outboxId({ memberId, scheduledAt, kind, channel })}`,
      ),
      // (UpdateItem does not run links: claim and finish set both keys themselves.)
    })),
    computeKey: ({ deploymentId, memberId, scheduledAt, kind, channel }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${OUTBOX_PREFIX}${outboxId({ memberId, scheduledAt, kind, channel })}`,
    }),
  })
}

export function newOutboxItem(key: OutboxKey, now = new Date()): OutboxItem {
  const at = now.toISOString()
  return { ...key, status: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at }
}

/** Writes that create each item unless it exists (see write-once.ts). */
export function outboxWritesOnce(db: Database, items: readonly OutboxItem[]): WriteTransaction[] {
  return items.map((entry) =>
    db.outbox
      .build(PutTransaction)
      .item(outboxItemSchema.parse(entry))
      .options({ condition: { attr: 'memberId', exists: false } }),
  )
}

export async function getOutboxItem(db: Database, key: OutboxKey): Promise<OutboxItem | null> {
  const { Item } = await db.outbox.build(GetItemCommand).key(key).options({ consistent: true }).send()
  return Item ? outboxItemSchema.parse(Item) : null
}

/** Items in `status` whose time is at or before `until`, oldest first: due work for the dispatcher. */
export async function listOutboxByStatus(
  db: Database,
  deploymentId: string,
  status: OutboxStatus,
  options: { until?: string; limit?: number; cursor?: string | null; newestFirst?: boolean } = {},
): Promise<{ items: OutboxItem[]; nextCursor: string | null }> {
  const partition = statusPartition(deploymentId, status)
  const exclusiveStartKey = decodeCursor(options.cursor, deploymentPartition(deploymentId))
  const page = await db.table
    .build(QueryCommand)
    .entities(db.outbox)
    .query({
      index: 'gsi1',
      partition,
      ...(options.until ? { range: { lte: `${options.until}#~` } } : {}),
    })
    .options({
      limit: options.limit ?? 100,
      reverse: options.newestFirst ?? false,
      ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
    })
    .send()
  return {
    items: (page.Items ?? []).map((raw) => outboxItemSchema.parse(raw)),
    nextCursor: encodeCursor(page.LastEvaluatedKey),
  }
}

/** A member's own notifications, newest round first. */
export async function listMemberOutbox(
  db: Database,
  deploymentId: string,
  memberId: string,
  options: { limit?: number } = {},
): Promise<OutboxItem[]> {
  const page = await db.table
    .build(QueryCommand)
    .entities(db.outbox)
    .query({
      partition: deploymentPartition(deploymentId),
      range: { beginsWith: `${OUTBOX_PREFIX}${memberId}#` },
    })
    .options({ reverse: true, limit: options.limit ?? 50 })
    .send()
  return (page.Items ?? []).map((raw) => outboxItemSchema.parse(raw))
}

/**
 * Every notification of a member, oldest round first, read a page of `pageSize` at a time: their data export and
 * the erasure of their items when their membership ends.
 */
export async function listAllMemberOutbox(
  db: Database,
  deploymentId: string,
  memberId: string,
  options: { pageSize?: number } = {},
): Promise<OutboxItem[]> {
  const items: OutboxItem[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.outbox)
      .query({
        partition: deploymentPartition(deploymentId),
        range: { beginsWith: `${OUTBOX_PREFIX}${memberId}#` },
      })
      .options({
        consistent: true,
        limit: options.pageSize ?? 100,
        ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
      })
      .send()
    for (const raw of page.Items ?? []) items.push(outboxItemSchema.parse(raw))
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return items
}

/**
 * Takes a due item for sending: pending and due, or sending with its lease run out (a dispatcher died). Only one
 * of several concurrent dispatchers gets it. Returns the claimed item, or null.
 */
export async function claimOutboxItem(
  db: Database,
  current: OutboxItem,
  leaseSeconds: number,
  now = new Date(),
): Promise<OutboxItem | null> {
  const at = now.toISOString()
  const next: OutboxItem = {
    ...current,
    status: 'sending',
    attempts: current.attempts + 1,
    nextAttemptAt: new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
    updatedAt: at,
  }
  try {
    await db.outbox
      .build(UpdateItemCommand)
      .item({
        ...keyOf(current),
        status: next.status,
        attempts: next.attempts,
        nextAttemptAt: next.nextAttemptAt,
        updatedAt: at,
        ...indexKeys(next),
      })
      .options({
        condition: {
          and: [
            { attr: 'status', in: ['pending', 'sending'] },
            { attr: 'status', eq: current.status },
            { attr: 'attempts', eq: current.attempts },
            { attr: 'nextAttemptAt', lte: at },
          ],
        },
      })
      .send()
    return next
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return null
    throw error
  }
}

export type OutboxOutcome =
  | { status: 'sent'; providerMessageId: string }
  | { status: 'failed'; reason: string }
  | { status: 'pending'; reason: string; nextAttemptAt: Date }

/** Ends a claimed attempt; false when the claim was lost (the lease ran out and another dispatcher took it). */
export async function finishOutboxItem(
  db: Database,
  claimed: OutboxItem,
  outcome: OutboxOutcome,
  now = new Date(),
): Promise<boolean> {
  const at = now.toISOString()
  const nextAttemptAt = outcome.status === 'pending' ? outcome.nextAttemptAt.toISOString() : at
  try {
    await db.outbox
      .build(UpdateItemCommand)
      .item({
        ...keyOf(claimed),
        status: outcome.status,
        updatedAt: at,
        nextAttemptAt,
        ...indexKeys({ ...claimed, status: outcome.status, nextAttemptAt }),
        ...(outcome.status === 'sent' ? { providerMessageId: outcome.providerMessageId } : {}),
        ...(outcome.status !== 'sent' ? { reason: outcome.reason.slice(0, 500) } : {}),
      })
      .options({
        condition: {
          and: [
            { attr: 'status', eq: 'sending' },
            { attr: 'attempts', eq: claimed.attempts },
          ],
        },
      })
      .send()
    return true
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false
    throw error
  }
}

/** Updates do not recompute linked attributes: the index keys are set along with status and time. */
function indexKeys(entry: OutboxKey & Pick<OutboxItem, 'status' | 'nextAttemptAt'>) {
  return {
    gsi1pk: statusPartition(entry.deploymentId, entry.status),
    gsi1sk: `${entry.nextAttemptAt}#${outboxId(entry)}`,
  }
}

function keyOf(entry: OutboxKey): OutboxKey {
  return {
    deploymentId: entry.deploymentId,
    memberId: entry.memberId,
    scheduledAt: entry.scheduledAt,
    kind: entry.kind,
    channel: entry.channel,
  }
}

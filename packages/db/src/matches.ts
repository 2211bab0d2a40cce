// Each member's record of a round: their group, why it was formed, and what they report (met, didn't meet,
// cancelled) with optional feedback. Keyed per member and round, so a member's history is one Query; a round's
// records are one Query on the index (admin stats).
import { Entity } from 'dynamodb-toolbox/entity'
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import {
  execute as executeTransaction,
  isTransactionCancelled,
} from 'dynamodb-toolbox/entity/actions/transactWrite'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { BatchWriteCommand, execute } from 'dynamodb-toolbox/table/actions/batchWrite'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { z } from 'zod'
import { decodeCursor, encodeCursor } from './cursor.ts'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'
import { type WriteOnceResult, type WriteTransaction, writeEachOnce } from './write-once.ts'

export const matchStatuses = ['scheduled', 'met', 'didnt-meet', 'cancelled'] as const
export type MatchStatus = (typeof matchStatuses)[number]

const MATCH_PREFIX = 'MATCH#'
const NO_MEETING_PREFIX = 'NOMEETING#'
const memberPrefix = (memberId: string) => `${MATCH_PREFIX}${memberId}#`
const roundMatchesPartition = (deploymentId: string, scheduledAt: string) =>
  `${deploymentPartition(deploymentId)}#ROUND#${scheduledAt}#MATCHES`

export const matchSchema = z.object({
  deploymentId: z.string(),
  memberId: z.string(),
  scheduledAt: z.iso.datetime(),
  groupIndex: z.number().int().min(0),
  /** Everyone in the group, this member included. */
  memberIds: z.array(z.string()).min(2),
  reason: z.string(),
  status: z.enum(matchStatuses),
  rating: z.number().int().min(1).max(5).optional(),
  /** Seen only by admins, in aggregate. */
  note: z.string().max(1_000).optional(),
  updatedAt: z.iso.datetime(),
})
export type Match = z.infer<typeof matchSchema>

export function createMatchEntity(table: PercolateTable) {
  return new Entity({
    name: 'Match',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      memberId: string().key(),
      scheduledAt: string().key(),
      groupIndex: number(),
      memberIds: list(string()),
      reason: string(),
      status: string().enum(...matchStatuses),
      rating: number().optional(),
      note: string().optional(),
      updatedAt: string(),
    }).and((schema) => ({
      gsi1pk: string().link<typeof schema>(({ deploymentId, scheduledAt }) =>
        roundMatchesPartition(deploymentId, scheduledAt),
      ),
      gsi1sk: string().link<typeof schema>(({ memberId }) => memberId),
    })),
    computeKey: ({ deploymentId, memberId, scheduledAt }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${memberPrefix(memberId)}${scheduledAt}`,
    }),
  })
}

/**
 * "We didn't meet", as the pair history reads it: one small item per (round, member) while that member's match
 * says didnt-meet. A round reads them all with one Query and counts that member's pairs of that round as unmet.
 */
export function createNoMeetingEntity(table: PercolateTable) {
  return new Entity({
    name: 'NoMeeting',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      scheduledAt: string().key(),
      memberId: string().key(),
    }),
    computeKey: ({ deploymentId, scheduledAt, memberId }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${NO_MEETING_PREFIX}${scheduledAt}#${memberId}`,
    }),
  })
}

export interface NoMeeting {
  scheduledAt: string
  memberId: string
}

/** Every "didn't meet" report of rounds scheduled in [from, to). */
export async function listNoMeetings(
  db: Database,
  deploymentId: string,
  from: string,
  to: string,
): Promise<NoMeeting[]> {
  const reports: NoMeeting[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.noMeetings)
      .query({
        partition: deploymentPartition(deploymentId),
        range: { between: [`${NO_MEETING_PREFIX}${from}`, `${NO_MEETING_PREFIX}${to}#`] },
      })
      .options(exclusiveStartKey ? { exclusiveStartKey } : {})
      .send()
    for (const raw of page.Items ?? []) reports.push({ scheduledAt: raw.scheduledAt, memberId: raw.memberId })
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return reports
}

/**
 * Writes each match record once: a record that exists already (from an earlier or a concurrent run, maybe with
 * the member's report on it) is left as it is. Transactions of 100 with a condition per item.
 */
export function putMatchesOnce(db: Database, matches: readonly Match[]): Promise<WriteOnceResult> {
  return writeEachOnce(matchWritesOnce(db, matches))
}

/** The conditional writes of `putMatchesOnce`, to combine with other items in the same transactions. */
export function matchWritesOnce(db: Database, matches: readonly Match[]): WriteTransaction[] {
  return matches.map((match) =>
    db.matches
      .build(PutTransaction)
      .item(matchSchema.parse(match))
      .options({ condition: { attr: 'memberId', exists: false } }),
  )
}

/** Writes match records 25 at a time, retrying what DynamoDB leaves unprocessed (with backoff). */
export async function putMatches(db: Database, matches: readonly Match[]): Promise<void> {
  for (let at = 0; at < matches.length; at += 25) {
    const requests = matches
      .slice(at, at + 25)
      .map((match) => db.matches.build(BatchPutRequest).item(matchSchema.parse(match)))
    // Unprocessed items are sent again, up to maxAttempts, with exponential backoff.
    await execute({ maxAttempts: 8 }, db.table.build(BatchWriteCommand).requests(...requests))
  }
}

export async function getMatch(
  db: Database,
  deploymentId: string,
  memberId: string,
  scheduledAt: string,
): Promise<Match | null> {
  const { Item } = await db.matches
    .build(GetItemCommand)
    .key({ deploymentId, memberId, scheduledAt })
    .options({ consistent: true })
    .send()
  return Item ? matchSchema.parse(Item) : null
}

export interface MatchFilter {
  /** Rounds from this instant on (inclusive). */
  from?: string
  /** Rounds up to this instant (inclusive). */
  to?: string
  status?: MatchStatus
  /** Only groups this member was in. */
  withMemberId?: string
}

/** A member's matches, newest first, a page at a time. Round range in the key; status and person filtered. */
export async function listMatches(
  db: Database,
  deploymentId: string,
  memberId: string,
  options: MatchFilter & { limit?: number; cursor?: string | null } = {},
): Promise<{ matches: Match[]; nextCursor: string | null }> {
  const partition = deploymentPartition(deploymentId)
  const prefix = memberPrefix(memberId)
  const exclusiveStartKey = decodeCursor(options.cursor, partition)
  const range =
    options.from || options.to
      ? { between: [`${prefix}${options.from ?? ''}`, `${prefix}${options.to ?? '~'}`] as [string, string] }
      : { beginsWith: prefix }
  const filters = [
    ...(options.status ? [{ attr: 'status' as const, eq: options.status }] : []),
    ...(options.withMemberId ? [{ attr: 'memberIds' as const, contains: options.withMemberId }] : []),
  ]
  const page = await db.table
    .build(QueryCommand)
    .entities(db.matches)
    .query({ partition, range })
    .options({
      reverse: true,
      limit: options.limit ?? 20,
      ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
      ...(filters.length > 0
        ? { filters: { Match: filters.length === 1 ? filters[0]! : { and: filters } } }
        : {}),
    })
    .send()
  return {
    matches: (page.Items ?? []).map((raw) => matchSchema.parse(raw)),
    nextCursor: encodeCursor(page.LastEvaluatedKey),
  }
}

/**
 * Every match record of a member, oldest round first, read a page of `pageSize` at a time: their data export and
 * the erasure of their records when their membership ends.
 */
export async function listAllMemberMatches(
  db: Database,
  deploymentId: string,
  memberId: string,
  options: { pageSize?: number } = {},
): Promise<Match[]> {
  const matches: Match[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.matches)
      .query({ partition: deploymentPartition(deploymentId), range: { beginsWith: memberPrefix(memberId) } })
      .options({
        consistent: true,
        limit: options.pageSize ?? 100,
        ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
      })
      .send()
    for (const raw of page.Items ?? []) matches.push(matchSchema.parse(raw))
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return matches
}

/** A member's latest match, or null before their first round. */
export async function latestMatch(
  db: Database,
  deploymentId: string,
  memberId: string,
): Promise<Match | null> {
  const { matches } = await listMatches(db, deploymentId, memberId, { limit: 1 })
  return matches[0] ?? null
}

/** Every member's record of one round. */
export async function listRoundMatches(
  db: Database,
  deploymentId: string,
  scheduledAt: string,
): Promise<Match[]> {
  const matches: Match[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.matches)
      .query({ index: 'gsi1', partition: roundMatchesPartition(deploymentId, scheduledAt) })
      .options(exclusiveStartKey ? { exclusiveStartKey } : {})
      .send()
    for (const raw of page.Items ?? []) matches.push(matchSchema.parse(raw))
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return matches
}

/**
 * Records what a member reports about one of their matches, and keeps the pair history's "didn't meet" mark in
 * step, in one transaction. Null when they have no such match.
 */
export async function reportMatch(
  db: Database,
  match: Pick<Match, 'deploymentId' | 'memberId' | 'scheduledAt'>,
  report: { status: MatchStatus; rating?: number; note?: string },
  now = new Date(),
): Promise<Match | null> {
  const mark = { deploymentId: match.deploymentId, scheduledAt: match.scheduledAt, memberId: match.memberId }
  try {
    await executeTransaction(
      db.matches
        .build(UpdateTransaction)
        .item({
          ...match,
          status: report.status,
          ...(report.rating !== undefined ? { rating: report.rating } : {}),
          ...(report.note !== undefined ? { note: report.note } : {}),
          updatedAt: now.toISOString(),
        })
        .options({ condition: { attr: 'memberId', exists: true } }),
      report.status === 'didnt-meet'
        ? db.noMeetings.build(PutTransaction).item(mark)
        : db.noMeetings.build(DeleteTransaction).key(mark),
    )
  } catch (error) {
    if (isTransactionCancelled(error) && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
      return null
    throw error
  }
  return getMatch(db, match.deploymentId, match.memberId, match.scheduledAt)
}

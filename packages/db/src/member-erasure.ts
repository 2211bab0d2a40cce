// Erasing what is a member's own when their membership ends (account deletion, an admin's removal). What rounds
// recorded for everyone stays, under an id that no longer names anyone: the round and its counts, its groups (the
// pair history) and the other members' match records, whose group lists keep the id. The member's own records go:
// their match records (with their report, rating and note) and "didn't meet" marks, their notification outbox
// items, their opt-ins, and, once their record is gone, their ended sessions and API tokens.

import { BatchDeleteRequest } from 'dynamodb-toolbox/entity/actions/batchDelete'
import { BatchWriteCommand, execute } from 'dynamodb-toolbox/table/actions/batchWrite'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { listApiTokens } from './api-tokens.ts'
import type { Database } from './database.ts'
import { listAllMemberMatches } from './matches.ts'
import { listAllMemberOutbox } from './outbox.ts'
import { listMemberSessions } from './sessions.ts'
import { deploymentPartition } from './table.ts'

/** DynamoDB's limit of requests per BatchWriteItem. */
const BATCH_LIMIT = 25

export interface ErasedHistory {
  /** Match records deleted (each with its "didn't meet" mark, if any). */
  matches: number
  notifications: number
  optIns: number
}

export interface ErasedAccess {
  sessions: number
  apiTokens: number
}

type Db = Database
type DeleteRequest =
  | BatchDeleteRequest<Db['matches']>
  | BatchDeleteRequest<Db['noMeetings']>
  | BatchDeleteRequest<Db['outbox']>
  | BatchDeleteRequest<Db['optIns']>
  | BatchDeleteRequest<Db['sessions']>
  | BatchDeleteRequest<Db['apiTokens']>

/** Deletes 25 at a time; DynamoDB's unprocessed items are sent again with backoff. Deleting a gone item is a no-op. */
async function deleteAll(db: Database, requests: readonly DeleteRequest[]): Promise<void> {
  for (let at = 0; at < requests.length; at += BATCH_LIMIT) {
    await execute(
      { maxAttempts: 10 },
      db.table.build(BatchWriteCommand).requests(...requests.slice(at, at + BATCH_LIMIT)),
    )
  }
}

/** The rounds a member opted in for. Opt-ins are keyed by round first, so this reads the deployment's opt-ins. */
async function listMemberOptIns(
  db: Database,
  deploymentId: string,
  memberId: string,
  pageSize: number,
): Promise<string[]> {
  const rounds: string[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.optIns)
      .query({ partition: deploymentPartition(deploymentId), range: { beginsWith: 'OPTIN#' } })
      .options({
        consistent: true,
        limit: pageSize,
        filters: { OptIn: { attr: 'memberId', eq: memberId } },
        ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
      })
      .send()
    for (const raw of page.Items ?? []) rounds.push(raw.scheduledAt)
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return rounds
}

/**
 * Deletes a member's match records, "didn't meet" marks, outbox items and opt-ins. Idempotent: a rerun after a
 * crash deletes what is left, and a rerun after a complete run deletes nothing. A mark goes before its match
 * record, so no mark outlives the record that leads to it.
 */
export async function eraseMemberHistory(
  db: Database,
  deploymentId: string,
  memberId: string,
  options: { pageSize?: number } = {},
): Promise<ErasedHistory> {
  const pageSize = options.pageSize ?? 100
  const [matches, notifications, optIns] = await Promise.all([
    listAllMemberMatches(db, deploymentId, memberId, { pageSize }),
    listAllMemberOutbox(db, deploymentId, memberId, { pageSize }),
    listMemberOptIns(db, deploymentId, memberId, pageSize),
  ])
  await deleteAll(
    db,
    matches.map(({ scheduledAt }) =>
      db.noMeetings.build(BatchDeleteRequest).key({ deploymentId, scheduledAt, memberId }),
    ),
  )
  await deleteAll(db, [
    ...matches.map(({ scheduledAt }) =>
      db.matches.build(BatchDeleteRequest).key({ deploymentId, memberId, scheduledAt }),
    ),
    ...notifications.map(({ scheduledAt, kind, channel }) =>
      db.outbox.build(BatchDeleteRequest).key({ deploymentId, memberId, scheduledAt, kind, channel }),
    ),
    ...optIns.map((scheduledAt) =>
      db.optIns.build(BatchDeleteRequest).key({ deploymentId, scheduledAt, memberId }),
    ),
  ])
  return { matches: matches.length, notifications: notifications.length, optIns: optIns.length }
}

/**
 * Deletes a member's session and API token records. Only after the member record is gone and they are revoked:
 * a live session must never lose its record before the member it signs in. Refresh tokens name only their session
 * and expire by TTL.
 */
export async function eraseMemberAccess(
  db: Database,
  deploymentId: string,
  memberId: string,
): Promise<ErasedAccess> {
  const [sessions, tokens] = await Promise.all([
    listMemberSessions(db, deploymentId, memberId),
    listApiTokens(db, deploymentId, memberId),
  ])
  await deleteAll(db, [
    ...sessions.map(({ id }) => db.sessions.build(BatchDeleteRequest).key({ deploymentId, id })),
    ...tokens.map(({ hash }) => db.apiTokens.build(BatchDeleteRequest).key({ deploymentId, hash })),
  ])
  return { sessions: sessions.length, apiTokens: tokens.length }
}

// Rounds and the groups they formed. A round is keyed by (deployment, scheduled time): the first run claims it
// with a conditional write. Every run that reaches the planning step writes its candidate groups under its own
// run id, then one conditional update commits exactly one run's plan (`planRunId`); the others continue with the
// committed plan and their own groups are deleted. The committed groups are the deployment's pair history.
import { Entity } from 'dynamodb-toolbox/entity'
import { BatchDeleteRequest } from 'dynamodb-toolbox/entity/actions/batchDelete'
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update'
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

const ROUND_PREFIX = 'ROUND#'
const GROUP_PREFIX = 'GROUP#'
const BATCH_LIMIT = 25

export const roundStatuses = ['running', 'completed', 'skipped'] as const
export type RoundStatus = (typeof roundStatuses)[number]

const count = z.number().int().min(0)

export const roundSchema = z.object({
  deploymentId: z.string(),
  /** The scheduled time, ISO 8601 UTC: the round's identity. */
  scheduledAt: z.iso.datetime(),
  status: z.enum(roundStatuses),
  /** The matching seed, chosen when the round is claimed, so a rerun plans with the same one. */
  seed: z.string(),
  claimedAt: z.iso.datetime().optional(),
  /** The run whose groups are this round's groups; set once. */
  planRunId: z.string().optional(),
  participantCount: count,
  groupCount: count,
  /** Members the remainder policy left out. */
  leftOutCount: count.default(0),
  /** Members who had paused (or not opted in) when the round was planned. */
  optedOutCount: count.default(0),
  /** Pairs meeting for the first time. */
  newPairs: count.default(0),
  /** Pairs meeting again (only when no round without repeats could be formed). */
  repeatedPairs: count.default(0),
  completedAt: z.iso.datetime().optional(),
  skippedReason: z.string().optional(),
})
export type Round = z.infer<typeof roundSchema>
export type RoundInput = z.input<typeof roundSchema>

export const roundGroupSchema = z.object({
  deploymentId: z.string(),
  scheduledAt: z.iso.datetime(),
  /** The run that planned this group; only the round's `planRunId` counts. */
  runId: z.string(),
  index: z.number().int().min(0),
  memberIds: z.array(z.string()).min(2),
  reason: z.string(),
})
export type RoundGroup = z.infer<typeof roundGroupSchema>

const groupPrefix = (scheduledAt: string, runId?: string) =>
  runId === undefined ? `${GROUP_PREFIX}${scheduledAt}#` : `${GROUP_PREFIX}${scheduledAt}#${runId}#`

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
      claimedAt: string().optional(),
      planRunId: string().optional(),
      participantCount: number(),
      groupCount: number(),
      leftOutCount: number().optional(),
      optedOutCount: number().optional(),
      newPairs: number().optional(),
      repeatedPairs: number().optional(),
      /** The matching engine's plan for the following rounds (JSON), handed to the next round. */
      plannedRounds: string().optional(),
      /** Who the remainder policy left out, and why (JSON). */
      leftOut: string().optional(),
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
      runId: string().key(),
      index: number().key(),
      memberIds: list(string()),
      reason: string(),
    }),
    computeKey: ({ deploymentId, scheduledAt, runId, index }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${groupPrefix(scheduledAt, runId)}${String(index).padStart(6, '0')}`,
    }),
  })
}

const parseRound = (raw: unknown): Round => roundSchema.parse(raw)

export async function getRound(
  db: Database,
  deploymentId: string,
  scheduledAt: string,
): Promise<Round | null> {
  const { Item } = await db.rounds
    .build(GetItemCommand)
    .key({ deploymentId, scheduledAt })
    .options({ consistent: true })
    .send()
  return Item ? parseRound(Item) : null
}

export interface LeftOutMember {
  id: string
  reason: string
}

const planSchema = z.array(z.array(z.array(z.string())))
const leftOutSchema = z.array(z.object({ id: z.string(), reason: z.string() }))

function parseJson<T>(schema: z.ZodType<T>, text: string | undefined, fallback: T): T {
  if (!text) return fallback
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : fallback
  } catch {
    return fallback
  }
}

/** What a committed plan stores besides its groups: the engine's plan for the next rounds and who was left out. */
export async function getRoundPlan(
  db: Database,
  deploymentId: string,
  scheduledAt: string,
): Promise<{ plannedRounds: string[][][]; leftOut: LeftOutMember[] }> {
  const { Item } = await db.rounds
    .build(GetItemCommand)
    .key({ deploymentId, scheduledAt })
    .options({ consistent: true, attributes: ['plannedRounds', 'leftOut'] })
    .send()
  return {
    plannedRounds: parseJson(planSchema, Item?.plannedRounds, []),
    leftOut: parseJson(leftOutSchema, Item?.leftOut, []),
  }
}

/** Writes a round as it is (the demo seed's past rounds, tests). */
export async function putRound(db: Database, round: RoundInput): Promise<void> {
  await db.rounds.build(PutItemCommand).item(roundSchema.parse(round)).send()
}

/**
 * Claims a round for running: true when this call created it, false when it exists (running, completed or
 * skipped); then `round` is what is there.
 */
export async function claimRound(
  db: Database,
  input: { deploymentId: string; scheduledAt: string; seed: string },
  now = new Date(),
): Promise<{ claimed: boolean; round: Round }> {
  const round = roundSchema.parse({
    ...input,
    status: 'running',
    claimedAt: now.toISOString(),
    participantCount: 0,
    groupCount: 0,
  })
  try {
    await db.rounds
      .build(PutItemCommand)
      .item(round)
      .options({ condition: { attr: 'scheduledAt', exists: false } })
      .send()
    return { claimed: true, round }
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error
    const existing = await getRound(db, input.deploymentId, input.scheduledAt)
    if (!existing) throw error
    return { claimed: false, round: existing }
  }
}

/** Records a round that was not run (missed past its deadline); false when the round exists already. */
export async function recordSkippedRound(
  db: Database,
  input: { deploymentId: string; scheduledAt: string; reason: string },
  now = new Date(),
): Promise<boolean> {
  try {
    await db.rounds
      .build(PutItemCommand)
      .item(
        roundSchema.parse({
          deploymentId: input.deploymentId,
          scheduledAt: input.scheduledAt,
          status: 'skipped',
          seed: '0',
          participantCount: 0,
          groupCount: 0,
          skippedReason: input.reason,
          completedAt: now.toISOString(),
        }),
      )
      .options({ condition: { attr: 'scheduledAt', exists: false } })
      .send()
    return true
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false
    throw error
  }
}

/**
 * Gives up a round that was claimed but never planned (its run died) once its deadline has passed; false when
 * it was planned (then it is finished instead) or is no longer running.
 */
export async function skipUnplannedRound(
  db: Database,
  key: { deploymentId: string; scheduledAt: string },
  reason: string,
  now = new Date(),
): Promise<boolean> {
  try {
    await db.rounds
      .build(UpdateItemCommand)
      .item({ ...key, status: 'skipped', skippedReason: reason, completedAt: now.toISOString() })
      .options({
        condition: {
          and: [
            { attr: 'planRunId', exists: false },
            { attr: 'status', eq: 'running' },
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

export interface RoundPlanCounts {
  participantCount: number
  groupCount: number
  leftOutCount: number
  optedOutCount: number
  newPairs: number
  repeatedPairs: number
}

/**
 * Makes `runId`'s groups the round's groups, unless another run's plan was committed first. Returns the run id
 * whose plan counts.
 */
export async function commitRoundPlan(
  db: Database,
  key: { deploymentId: string; scheduledAt: string },
  runId: string,
  counts: RoundPlanCounts,
  plannedRounds: readonly (readonly (readonly string[])[])[],
  leftOut: readonly LeftOutMember[],
): Promise<string> {
  const plan = JSON.stringify(plannedRounds)
  try {
    await db.rounds
      .build(UpdateItemCommand)
      .item({
        ...key,
        planRunId: runId,
        ...counts,
        // A plan beyond 300 kB would not fit the 400 kB item: the next round then plans afresh.
        ...(plan.length <= 250_000 ? { plannedRounds: plan } : {}),
        leftOut: JSON.stringify(leftOut),
      })
      .options({
        condition: {
          and: [
            { attr: 'planRunId', exists: false },
            { attr: 'status', eq: 'running' },
          ],
        },
      })
      .send()
    return runId
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error
    const round = await getRound(db, key.deploymentId, key.scheduledAt)
    if (!round?.planRunId) throw new Error(`round ${key.scheduledAt} of ${key.deploymentId} has no plan`)
    return round.planRunId
  }
}

/** Marks a planned round completed; a no-op when it already is. */
export async function completeRound(
  db: Database,
  key: { deploymentId: string; scheduledAt: string },
  now = new Date(),
): Promise<void> {
  try {
    await db.rounds
      .build(UpdateItemCommand)
      .item({ ...key, status: 'completed', completedAt: now.toISOString() })
      .options({
        condition: {
          and: [
            { attr: 'planRunId', exists: true },
            { attr: 'status', eq: 'running' },
          ],
        },
      })
      .send()
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error
    const round = await getRound(db, key.deploymentId, key.scheduledAt)
    if (round?.status !== 'completed') throw error
  }
}

async function batchWrite(
  db: Database,
  requests: (BatchPutRequest<typeof db.roundGroups> | BatchDeleteRequest<typeof db.roundGroups>)[],
): Promise<void> {
  for (let at = 0; at < requests.length; at += BATCH_LIMIT) {
    // Unprocessed items are sent again with exponential backoff, up to maxAttempts.
    await execute(
      { maxAttempts: 10 },
      db.table.build(BatchWriteCommand).requests(...requests.slice(at, at + BATCH_LIMIT)),
    )
  }
}

/** Writes one run's candidate groups (idempotent: the same run writes the same items). */
export async function putRoundGroups(db: Database, groups: readonly RoundGroup[]): Promise<void> {
  await batchWrite(
    db,
    groups.map((group) => db.roundGroups.build(BatchPutRequest).item(roundGroupSchema.parse(group))),
  )
}

export async function deleteRoundGroups(db: Database, groups: readonly RoundGroup[]): Promise<void> {
  await batchWrite(
    db,
    groups.map((group) =>
      db.roundGroups.build(BatchDeleteRequest).key({
        deploymentId: group.deploymentId,
        scheduledAt: group.scheduledAt,
        runId: group.runId,
        index: group.index,
      }),
    ),
  )
}

async function queryGroups(
  db: Database,
  deploymentId: string,
  range: { beginsWith: string } | { between: [string, string] },
): Promise<RoundGroup[]> {
  const groups: RoundGroup[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.roundGroups)
      .query({ partition: deploymentPartition(deploymentId), range })
      .options({ consistent: true, ...(exclusiveStartKey ? { exclusiveStartKey } : {}) })
      .send()
    for (const raw of page.Items ?? []) groups.push(roundGroupSchema.parse(raw))
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return groups
}

/** A round's groups: the committed run's when `runId` is given, else every run's (for cleaning up). */
export function listRoundGroups(
  db: Database,
  deploymentId: string,
  scheduledAt: string,
  runId?: string,
): Promise<RoundGroup[]> {
  return queryGroups(db, deploymentId, { beginsWith: groupPrefix(scheduledAt, runId) })
}

/**
 * Every group of the rounds scheduled in [from, to), all runs (filter by each round's `planRunId`): the pair
 * history a round reads. One paginated Query.
 */
export function listGroupsBetween(
  db: Database,
  deploymentId: string,
  from: string,
  to: string,
): Promise<RoundGroup[]> {
  // "#" sorts before every digit, so `GROUP#<to>#` ends the range just before the round at `to`.
  return queryGroups(db, deploymentId, { between: [`${GROUP_PREFIX}${from}`, `${GROUP_PREFIX}${to}#`] })
}

/** Newest first. */
export async function listRounds(
  db: Database,
  deploymentId: string,
  options: { limit?: number; cursor?: string | null; from?: string; to?: string } = {},
): Promise<{ rounds: Round[]; nextCursor: string | null }> {
  const partition = deploymentPartition(deploymentId)
  const exclusiveStartKey = decodeCursor(options.cursor, partition)
  const range =
    options.from || options.to
      ? {
          between: [`${ROUND_PREFIX}${options.from ?? ''}`, `${ROUND_PREFIX}${options.to ?? '~'}`] as [
            string,
            string,
          ],
        }
      : { beginsWith: ROUND_PREFIX }
  const page = await db.table
    .build(QueryCommand)
    .entities(db.rounds)
    .query({ partition, range })
    .options({
      reverse: true,
      limit: options.limit ?? 20,
      attributes: [
        'deploymentId',
        'scheduledAt',
        'status',
        'seed',
        'claimedAt',
        'planRunId',
        'participantCount',
        'groupCount',
        'leftOutCount',
        'optedOutCount',
        'newPairs',
        'repeatedPairs',
        'completedAt',
        'skippedReason',
      ],
      ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
    })
    .send()
  return {
    rounds: (page.Items ?? []).map(parseRound),
    nextCursor: encodeCursor(page.LastEvaluatedKey),
  }
}

/** Rounds scheduled in [from, to], oldest first, every page. */
export async function listRoundsBetween(
  db: Database,
  deploymentId: string,
  from: string,
  to: string,
): Promise<Round[]> {
  const rounds: Round[] = []
  let cursor: string | null = null
  do {
    const page = await listRounds(db, deploymentId, { from, to, limit: 100, cursor })
    rounds.push(...page.rounds)
    cursor = page.nextCursor
  } while (cursor)
  return rounds.reverse()
}

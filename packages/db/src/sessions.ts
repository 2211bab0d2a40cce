// Sign-in sessions: a session is a family of refresh tokens. Each refresh token is stored only as a hash, is used
// once and replaced by the next (rotation); presenting one that was already used revokes the whole family, since
// either its owner or a thief now holds a newer one (RFC 9700 §4.14). Sessions end at an absolute and an idle
// lifetime, at sign-out, and when an admin removes the member.
import { Entity } from 'dynamodb-toolbox/entity'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { execute, isTransactionCancelled } from 'dynamodb-toolbox/entity/actions/transactWrite'
import { UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update'
import { item } from 'dynamodb-toolbox/schema/item'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { z } from 'zod'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'

const SESSION_PREFIX = 'SESSION#'
const REFRESH_PREFIX = 'REFRESH#'
const memberSessionsPartition = (deploymentId: string, memberId: string) =>
  `${deploymentPartition(deploymentId)}#MEMBER#${memberId}#SESSIONS`

export const sessionSchema = z.object({
  deploymentId: z.string(),
  id: z.string(),
  memberId: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
  /** The session ends here whatever happens. */
  absoluteExpiresAt: z.iso.datetime(),
  /** …and here unless a refresh moves it on. */
  idleExpiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
  revokedReason: z.string().optional(),
})
export type Session = z.infer<typeof sessionSchema>

/** TTL attribute (epoch seconds): DynamoDB deletes ended sessions and tokens some time after this. */
const epochSeconds = (iso: string) => Math.ceil(Date.parse(iso) / 1000)

export function createSessionEntity(table: PercolateTable) {
  return new Entity({
    name: 'Session',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      id: string().key(),
      memberId: string(),
      createdAt: string(),
      lastUsedAt: string(),
      absoluteExpiresAt: string(),
      idleExpiresAt: string(),
      revokedAt: string().optional(),
      revokedReason: string().optional(),
    }).and((schema) => ({
      expiresAt: number().link<typeof schema>(({ absoluteExpiresAt }) => epochSeconds(absoluteExpiresAt)),
      gsi1pk: string().link<typeof schema>(({ deploymentId, memberId }) =>
        memberSessionsPartition(deploymentId, memberId),
      ),
      gsi1sk: string().link<typeof schema>(({ createdAt, id }) => `${createdAt}#${id}`),
    })),
    computeKey: ({ deploymentId, id }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${SESSION_PREFIX}${id}`,
    }),
  })
}

export function createRefreshTokenEntity(table: PercolateTable) {
  return new Entity({
    name: 'RefreshToken',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      /** SHA-256 of the token: the token itself is never stored. */
      hash: string().key(),
      sessionId: string(),
      issuedAt: string(),
      usedAt: string().optional(),
      absoluteExpiresAt: string(),
    }).and((schema) => ({
      expiresAt: number().link<typeof schema>(({ absoluteExpiresAt }) => epochSeconds(absoluteExpiresAt)),
    })),
    computeKey: ({ deploymentId, hash }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${REFRESH_PREFIX}${hash}`,
    }),
  })
}

export interface SessionLifetimes {
  absoluteSeconds: number
  idleSeconds: number
}

const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString()
const earlier = (a: string, b: string) => (a < b ? a : b)

/** Starts a session for a member with its first refresh token (given as a hash). */
export async function startSession(
  db: Database,
  input: { deploymentId: string; memberId: string; refreshTokenHash: string; lifetimes: SessionLifetimes },
  now = new Date(),
): Promise<Session> {
  const at = now.toISOString()
  const absoluteExpiresAt = plus(now, input.lifetimes.absoluteSeconds)
  const session: Session = {
    deploymentId: input.deploymentId,
    id: crypto.randomUUID(),
    memberId: input.memberId,
    createdAt: at,
    lastUsedAt: at,
    absoluteExpiresAt,
    idleExpiresAt: earlier(plus(now, input.lifetimes.idleSeconds), absoluteExpiresAt),
  }
  await execute(
    db.sessions
      .build(PutTransaction)
      .item(session)
      .options({ condition: { attr: 'id', exists: false } }),
    db.refreshTokens
      .build(PutTransaction)
      .item({
        deploymentId: input.deploymentId,
        hash: input.refreshTokenHash,
        sessionId: session.id,
        issuedAt: at,
        absoluteExpiresAt,
      })
      .options({ condition: { attr: 'hash', exists: false } }),
  )
  return session
}

export async function getSession(db: Database, deploymentId: string, id: string): Promise<Session | null> {
  const { Item } = await db.sessions
    .build(GetItemCommand)
    .key({ deploymentId, id })
    .options({ consistent: true })
    .send()
  return Item ? sessionSchema.parse(Item) : null
}

/** The session a refresh token (by hash) belongs to, used or not; null when unknown. */
export async function findSessionIdOfRefreshToken(
  db: Database,
  deploymentId: string,
  refreshTokenHash: string,
): Promise<string | null> {
  const { Item } = await db.refreshTokens
    .build(GetItemCommand)
    .key({ deploymentId, hash: refreshTokenHash })
    .options({ consistent: true })
    .send()
  return Item?.sessionId ?? null
}

/** Whether a session may still be used at `now`. */
export function isSessionActive(session: Session, now = new Date()): boolean {
  const at = now.toISOString()
  return !session.revokedAt && at < session.absoluteExpiresAt && at < session.idleExpiresAt
}

export type RotateResult =
  | { ok: true; session: Session }
  | { ok: false; reason: 'unknown' | 'reused' | 'ended' }

/** Ends a session (idempotent: an ended session keeps its first reason). */
export async function revokeSession(
  db: Database,
  deploymentId: string,
  id: string,
  reason: string,
  now = new Date(),
): Promise<void> {
  try {
    await db.sessions
      .build(UpdateItemCommand)
      .item({ deploymentId, id, revokedAt: now.toISOString(), revokedReason: reason })
      .options({
        condition: {
          and: [
            { attr: 'id', exists: true },
            { attr: 'revokedAt', exists: false },
          ],
        },
      })
      .send()
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error
  }
}

/**
 * Exchanges a refresh token (by hash) for the next one: the old one is marked used and the new one stored in one
 * transaction, so of two concurrent uses exactly one wins. A token used before revokes its session.
 */
export async function rotateRefreshToken(
  db: Database,
  input: {
    deploymentId: string
    refreshTokenHash: string
    nextRefreshTokenHash: string
    lifetimes: SessionLifetimes
  },
  now = new Date(),
): Promise<RotateResult> {
  const { deploymentId } = input
  const { Item: token } = await db.refreshTokens
    .build(GetItemCommand)
    .key({ deploymentId, hash: input.refreshTokenHash })
    .options({ consistent: true })
    .send()
  if (!token) return { ok: false, reason: 'unknown' }
  const session = await getSession(db, deploymentId, token.sessionId)
  if (!session) return { ok: false, reason: 'unknown' }
  if (token.usedAt) {
    await revokeSession(db, deploymentId, session.id, 'a refresh token was used twice', now)
    return { ok: false, reason: 'reused' }
  }
  if (!isSessionActive(session, now)) return { ok: false, reason: 'ended' }
  const at = now.toISOString()
  const next: Session = {
    ...session,
    lastUsedAt: at,
    idleExpiresAt: earlier(plus(now, input.lifetimes.idleSeconds), session.absoluteExpiresAt),
  }
  try {
    await execute(
      db.refreshTokens
        .build(UpdateTransaction)
        .item({ deploymentId, hash: input.refreshTokenHash, usedAt: at })
        .options({ condition: { attr: 'usedAt', exists: false } }),
      db.refreshTokens
        .build(PutTransaction)
        .item({
          deploymentId,
          hash: input.nextRefreshTokenHash,
          sessionId: session.id,
          issuedAt: at,
          absoluteExpiresAt: session.absoluteExpiresAt,
        })
        .options({ condition: { attr: 'hash', exists: false } }),
      db.sessions
        .build(UpdateTransaction)
        .item({
          deploymentId,
          id: session.id,
          lastUsedAt: next.lastUsedAt,
          idleExpiresAt: next.idleExpiresAt,
        })
        .options({ condition: { attr: 'revokedAt', exists: false } }),
    )
  } catch (error) {
    if (!isTransactionCancelled(error)) throw error
    const [tokenCheck, , sessionCheck] = error.CancellationReasons ?? []
    if (tokenCheck?.Code === 'ConditionalCheckFailed') {
      // Used at the same moment by someone else: one of the two holders is not the owner.
      await revokeSession(db, deploymentId, session.id, 'a refresh token was used twice', now)
      return { ok: false, reason: 'reused' }
    }
    if (sessionCheck?.Code === 'ConditionalCheckFailed') return { ok: false, reason: 'ended' }
    throw error
  }
  return { ok: true, session: next }
}

/** A member's sessions, newest first. */
export async function listMemberSessions(
  db: Database,
  deploymentId: string,
  memberId: string,
): Promise<Session[]> {
  const sessions: Session[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table
      .build(QueryCommand)
      .entities(db.sessions)
      .query({ index: 'gsi1', partition: memberSessionsPartition(deploymentId, memberId) })
      .options({ reverse: true, exclusiveStartKey })
      .send()
    for (const session of page.Items ?? []) sessions.push(sessionSchema.parse(session))
    exclusiveStartKey = page.LastEvaluatedKey
  } while (exclusiveStartKey)
  return sessions
}

/** Ends every session of a member (sign-out everywhere, removal by an admin). Returns how many were active. */
export async function revokeMemberSessions(
  db: Database,
  deploymentId: string,
  memberId: string,
  reason: string,
  now = new Date(),
): Promise<number> {
  const active = (await listMemberSessions(db, deploymentId, memberId)).filter((s) => isSessionActive(s, now))
  for (const session of active) await revokeSession(db, deploymentId, session.id, reason, now)
  return active.length
}

// Member items, their uniqueness claims (email; issuer + subject) and access patterns.
import { AppError } from '@percolate/domain/errors'
import {
  type ChannelAddresses,
  type Identity,
  type Member,
  memberSchema,
  type Participation,
  type Preferences,
} from '@percolate/domain/member'
import { Entity } from 'dynamodb-toolbox/entity'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { execute, isTransactionCancelled } from 'dynamodb-toolbox/entity/actions/transactWrite'
import { any } from 'dynamodb-toolbox/schema/any'
import { boolean } from 'dynamodb-toolbox/schema/boolean'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { decodeCursor, encodeCursor } from './cursor.ts'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'

const MEMBER_PREFIX = 'MEMBER#'
const emailClaim = (email: string) => `EMAIL#${email.toLowerCase()}`
const identityClaim = ({ issuer, subject }: Identity) => `IDENTITY#${issuer}#${subject}`
/** Members by participation status, ordered by name: the round's participants and the admin's filtered list. */
export const participationPartition = (deploymentId: string, status: Participation['status']) =>
  `${deploymentPartition(deploymentId)}#PARTICIPATION#${status}`

export function createMemberEntity(table: PercolateTable) {
  return new Entity({
    name: 'Member',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      id: string().key(),
      email: string(),
      name: string(),
      department: string(),
      location: string(),
      timeZone: string(),
      workingHours: any().castAs<Member['workingHours']>(),
      bio: string(),
      interests: list(string()),
      role: string().enum('member', 'admin'),
      preferences: any().castAs<Preferences>(),
      participation: any().castAs<Participation>(),
      channels: any().castAs<ChannelAddresses>(),
      identities: any().castAs<Identity[]>(),
      onboarded: boolean(),
      version: number(),
      createdAt: string(),
      updatedAt: string(),
    }).and((schema) => ({
      gsi1pk: string().link<typeof schema>(({ deploymentId, participation }) =>
        participationPartition(deploymentId, participation.status),
      ),
      gsi1sk: string().link<typeof schema>(({ name, id }) => `${name.toLowerCase()}#${id}`),
    })),
    computeKey: ({ deploymentId, id }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `${MEMBER_PREFIX}${id}`,
    }),
  })
}

/** Claims make an email, and an (issuer, subject), belong to at most one member of a deployment. */
export function createMemberClaimEntity(table: PercolateTable) {
  return new Entity({
    name: 'MemberClaim',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      claim: string().key(),
      memberId: string(),
    }),
    computeKey: ({ deploymentId, claim }) => ({ pk: deploymentPartition(deploymentId), sk: claim }),
  })
}

function toMember(raw: unknown): Member {
  return memberSchema.parse(raw)
}

export async function getMember(db: Database, deploymentId: string, id: string): Promise<Member | null> {
  const { Item } = await db.members
    .build(GetItemCommand)
    .key({ deploymentId, id })
    .options({ consistent: true })
    .send()
  return Item ? toMember(Item) : null
}

export async function requireMember(db: Database, deploymentId: string, id: string): Promise<Member> {
  const member = await getMember(db, deploymentId, id)
  if (!member) throw new AppError('NOT_FOUND', `No member with id '${id}'`)
  return member
}

async function findByClaim(db: Database, deploymentId: string, claim: string): Promise<Member | null> {
  const { Item } = await db.memberClaims
    .build(GetItemCommand)
    .key({ deploymentId, claim })
    .options({ consistent: true })
    .send()
  return Item ? getMember(db, deploymentId, Item.memberId) : null
}

export function findMemberByIdentity(db: Database, deploymentId: string, identity: Identity) {
  return findByClaim(db, deploymentId, identityClaim(identity))
}

export function findMemberByEmail(db: Database, deploymentId: string, email: string) {
  return findByClaim(db, deploymentId, emailClaim(email))
}

function claimsOf(member: Pick<Member, 'email' | 'identities'>): string[] {
  return [emailClaim(member.email), ...member.identities.map(identityClaim)]
}

function describeClaim(claim: string): string {
  if (claim.startsWith('EMAIL#'))
    return `email: ${claim.slice('EMAIL#'.length)} already belongs to another member`
  return 'identities: this sign-in identity already belongs to another member'
}

/** Writes a member and its claims in one transaction: all of it, or nothing and a CONFLICT naming the field. */
async function writeMember(db: Database, member: Member, previous: Member | null): Promise<void> {
  const oldClaims = previous ? claimsOf(previous) : []
  const newClaims = claimsOf(member)
  const addedClaims = newClaims.filter((claim) => !oldClaims.includes(claim))
  const removedClaims = oldClaims.filter((claim) => !newClaims.includes(claim))
  const memberPut = db.members
    .build(PutTransaction)
    .item(member)
    .options({
      condition: previous ? { attr: 'version', eq: previous.version } : { attr: 'id', exists: false },
    })
  const claimPuts = addedClaims.map((claim) =>
    db.memberClaims
      .build(PutTransaction)
      .item({ deploymentId: member.deploymentId, claim, memberId: member.id })
      .options({ condition: { attr: 'memberId', exists: false } }),
  )
  const claimDeletes = removedClaims.map((claim) =>
    db.memberClaims
      .build(DeleteTransaction)
      .key({ deploymentId: member.deploymentId, claim })
      .options({ condition: { attr: 'memberId', eq: member.id } }),
  )
  try {
    await execute(memberPut, ...claimPuts, ...claimDeletes)
  } catch (error) {
    if (!isTransactionCancelled(error)) throw error
    const reasons = error.CancellationReasons ?? []
    if (reasons[0]?.Code === 'ConditionalCheckFailed') {
      throw new AppError(
        'CONFLICT',
        previous
          ? `Member '${member.id}' was changed by someone else since it was loaded (version ${previous.version}); reload and apply the change again`
          : `A member with id '${member.id}' already exists`,
      )
    }
    const failedClaim = addedClaims.find((_, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed')
    if (failedClaim) throw new AppError('CONFLICT', describeClaim(failedClaim))
    throw error
  }
}

export type NewMember = Omit<Member, 'version' | 'createdAt' | 'updatedAt'>

export async function createMember(db: Database, input: NewMember, now = new Date()): Promise<Member> {
  const at = now.toISOString()
  const member = toMember({ ...input, version: 1, createdAt: at, updatedAt: at })
  await writeMember(db, member, null)
  return member
}

/**
 * Saves `next` over `current` (as read): fails with CONFLICT if anyone saved in between. Moves the email and
 * identity claims in the same transaction.
 */
export async function updateMember(
  db: Database,
  current: Member,
  changes: Partial<Omit<Member, 'id' | 'deploymentId' | 'version' | 'createdAt' | 'updatedAt'>>,
  now = new Date(),
): Promise<Member> {
  const next = toMember({
    ...current,
    ...changes,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  })
  await writeMember(db, next, current)
  return next
}

/**
 * Deletes a member and their email and identity claims in one transaction (fails with CONFLICT if the member
 * changed since `current` was read). What rounds recorded stays, under an id that no longer names anyone.
 */
export async function deleteMember(db: Database, current: Member): Promise<void> {
  const claimDeletes = claimsOf(current).map((claim) =>
    db.memberClaims
      .build(DeleteTransaction)
      .key({ deploymentId: current.deploymentId, claim })
      .options({ condition: { attr: 'memberId', eq: current.id } }),
  )
  const memberDelete = db.members
    .build(DeleteTransaction)
    .key({ deploymentId: current.deploymentId, id: current.id })
    .options({ condition: { attr: 'version', eq: current.version } })
  try {
    await execute(memberDelete, ...claimDeletes)
  } catch (error) {
    if (!isTransactionCancelled(error)) throw error
    throw new AppError(
      'CONFLICT',
      `Member '${current.id}' was changed since it was loaded; reload and try again`,
    )
  }
}

export interface MemberPage {
  members: Member[]
  nextCursor: string | null
}

/** Members of a deployment, a page at a time; filtered by participation when `status` is given (ordered by name). */
export async function listMembers(
  db: Database,
  deploymentId: string,
  options: {
    limit?: number
    cursor?: string | null
    status?: Participation['status']
    /** With a status: names starting with this (case-insensitive). */
    namePrefix?: string
  } = {},
): Promise<MemberPage> {
  const partition = deploymentPartition(deploymentId)
  const exclusiveStartKey = decodeCursor(options.cursor, partition)
  const prefix = options.namePrefix?.trim().toLowerCase()
  const query = options.status
    ? ({
        index: 'gsi1',
        partition: participationPartition(deploymentId, options.status),
        ...(prefix ? { range: { beginsWith: prefix } } : {}),
      } as const)
    : ({ partition, range: { beginsWith: MEMBER_PREFIX } } as const)
  const page = await db.table
    .build(QueryCommand)
    .entities(db.members)
    .query(query)
    .options({ limit: options.limit ?? 50, ...(exclusiveStartKey ? { exclusiveStartKey } : {}) })
    .send()
  return {
    members: (page.Items ?? []).map(toMember),
    nextCursor: encodeCursor(page.LastEvaluatedKey),
  }
}

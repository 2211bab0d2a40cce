import { afterAll, describe, expect, it } from 'bun:test'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete'
import { createApiToken } from '../src/api-tokens.ts'
import {
  listAllMemberMatches,
  listRoundMatches,
  type Match,
  putMatches,
  reportMatch,
} from '../src/matches.ts'
import { eraseMemberAccess, eraseMemberHistory } from '../src/member-erasure.ts'
import { setOptIn } from '../src/opt-ins.ts'
import { listAllMemberOutbox, newOutboxItem, outboxWritesOnce } from '../src/outbox.ts'
import { putRoundGroups } from '../src/rounds.ts'
import { startSession } from '../src/sessions.ts'
import { deploymentPartition } from '../src/table.ts'
import { createTestDatabase } from '../src/testing.ts'
import { writeEachOnce } from '../src/write-once.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())

const WEEKS = 30
const round = (week: number) => new Date(Date.UTC(2026, 0, 5 + 7 * week, 8)).toISOString()
const match = (deploymentId: string, memberId: string, week: number, memberIds: string[]): Match => ({
  deploymentId,
  memberId,
  scheduledAt: round(week),
  groupIndex: 0,
  memberIds,
  reason: 'first meeting',
  status: 'scheduled',
  updatedAt: round(week),
})

/** 30 rounds of ada (each with a partner p<week>), ben grouped with ada in the last one; the same ids in 'other'. */
async function seed(deploymentId: string): Promise<void> {
  await putMatches(db, [
    ...Array.from({ length: WEEKS }, (_, week) =>
      match(deploymentId, 'ada', week, week === WEEKS - 1 ? ['ada', 'ben'] : ['ada', `p${week}`]),
    ),
    match(deploymentId, 'ben', WEEKS - 1, ['ada', 'ben']),
  ])
  await putRoundGroups(db, [
    {
      deploymentId,
      scheduledAt: round(WEEKS - 1),
      runId: 'run-1',
      index: 0,
      memberIds: ['ada', 'ben'],
      reason: 'x',
    },
  ])
  const key = (memberId: string, week: number) => ({ deploymentId, memberId, scheduledAt: round(week) })
  await reportMatch(db, key('ada', 3), { status: 'met', rating: 5, note: 'lovely walk' })
  await reportMatch(db, key('ada', 4), { status: 'didnt-meet' })
  await reportMatch(db, key('ben', WEEKS - 1), { status: 'didnt-meet', note: 'ada was away' })
  await writeEachOnce(
    outboxWritesOnce(db, [
      ...Array.from({ length: WEEKS }, (_, week) =>
        newOutboxItem({ ...key('ada', week), kind: 'match', channel: 'email' }),
      ),
      newOutboxItem({ ...key('ben', WEEKS - 1), kind: 'match', channel: 'email' }),
    ]),
  )
  await setOptIn(db, key('ada', WEEKS), true)
  await setOptIn(db, key('ben', WEEKS), true)
  await startSession(db, {
    deploymentId,
    memberId: 'ada',
    refreshTokenHash: `refresh-${deploymentId}`,
    lifetimes: { absoluteSeconds: 3600, idleSeconds: 600 },
  })
  await createApiToken(db, {
    deploymentId,
    hash: `hash-${deploymentId}`,
    id: `token-${deploymentId}`,
    memberId: 'ada',
    name: 'laptop',
    createdAt: round(0),
  })
}
await seed('acme')
await seed('other')

/** Every item of a deployment's partition, read with a Query (never a Scan). */
async function partitionItems(deploymentId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.table.getDocumentClient().send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': deploymentPartition(deploymentId) },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    )
    items.push(...(page.Items ?? []))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}

/** The sort keys of the items that name `memberId` anywhere: a key, an attribute, a group list. */
const naming = (items: Record<string, unknown>[], memberId: string) =>
  items
    .filter((item) => new RegExp(`(^|[#"])${memberId}([#"]|$)`).test(JSON.stringify(item)))
    .map((item) => String(item.sk))
    .sort()

const otherBefore = await partitionItems('other')

describe('erasing a member', () => {
  it("deletes exactly the member's own records, a page at a time, and keeps what the rounds recorded", async () => {
    const acmeBefore = await partitionItems('acme')
    const erased = await eraseMemberHistory(db, 'acme', 'ada', { pageSize: 7 })
    expect(erased).toEqual({ matches: WEEKS, notifications: WEEKS, optIns: 1 })
    expect(await eraseMemberAccess(db, 'acme', 'ada')).toEqual({ sessions: 1, apiTokens: 1 })

    const acmeAfter = await partitionItems('acme')
    // What still names ada: ben's record of their round (its group) and the round's group itself.
    expect(naming(acmeAfter, 'ada')).toEqual([
      `GROUP#${round(WEEKS - 1)}#run-1#000000`,
      `MATCH#ben#${round(WEEKS - 1)}`,
    ])
    // Nothing else went: ben's match, mark, notification and opt-in are all there, and so is the refresh token.
    const removed = acmeBefore.length - acmeAfter.length
    expect(removed).toBe(WEEKS + 1 + WEEKS + 1 + 1 + 1) // matches, ada's mark, outbox, opt-in, session, token
    expect(naming(acmeAfter, 'ben')).toEqual([
      `GROUP#${round(WEEKS - 1)}#run-1#000000`,
      `MATCH#ben#${round(WEEKS - 1)}`,
      `NOMEETING#${round(WEEKS - 1)}#ben`,
      `OPTIN#${round(WEEKS)}#ben`,
      `OUTBOX#ben#${round(WEEKS - 1)}#match#email`,
    ])
    expect(acmeAfter.some((item) => String(item.sk).startsWith('REFRESH#'))).toBe(true)
    expect((await listRoundMatches(db, 'acme', round(WEEKS - 1))).map((m) => m.note)).toEqual([
      'ada was away',
    ])
  })

  it("never touches another deployment's items, even under the same member id", async () => {
    expect(await partitionItems('other')).toEqual(otherBefore)
    expect(await listAllMemberMatches(db, 'other', 'ada')).toHaveLength(WEEKS)
    expect(await listAllMemberOutbox(db, 'other', 'ada')).toHaveLength(WEEKS)
  })

  it('is a no-op when run again', async () => {
    const before = await partitionItems('acme')
    expect(await eraseMemberHistory(db, 'acme', 'ada', { pageSize: 7 })).toEqual({
      matches: 0,
      notifications: 0,
      optIns: 0,
    })
    expect(await eraseMemberAccess(db, 'acme', 'ada')).toEqual({ sessions: 0, apiTokens: 0 })
    expect(await partitionItems('acme')).toEqual(before)
  })

  it('finishes the job after a run that stopped midway', async () => {
    // As a crash leaves it: the "didn't meet" mark and the first 12 match records gone, the rest still there.
    await db.noMeetings
      .build(DeleteItemCommand)
      .key({ deploymentId: 'other', scheduledAt: round(4), memberId: 'ada' })
      .send()
    for (let week = 0; week < 12; week++)
      await db.matches
        .build(DeleteItemCommand)
        .key({ deploymentId: 'other', memberId: 'ada', scheduledAt: round(week) })
        .send()
    expect(await eraseMemberHistory(db, 'other', 'ada', { pageSize: 5 })).toEqual({
      matches: WEEKS - 12,
      notifications: WEEKS,
      optIns: 1,
    })
    expect(await listAllMemberMatches(db, 'other', 'ada')).toEqual([])
    expect(await listAllMemberOutbox(db, 'other', 'ada')).toEqual([])
    expect(naming(await partitionItems('other'), 'ada')).toEqual([
      'APITOKEN#hash-other',
      `GROUP#${round(WEEKS - 1)}#run-1#000000`,
      `MATCH#ben#${round(WEEKS - 1)}`,
      expect.stringMatching(/^SESSION#/),
    ])
  })
})

// A member's own data, end to end: "Export my data" holds all of it, and account deletion and an admin's removal
// leave nothing of it, only the rounds' records of groups under an id that no longer names anyone.
import { describe, expect, it } from 'bun:test'
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb'
import { createApiToken } from '@percolate/db/api-tokens'
import { type Match, putMatches, reportMatch } from '@percolate/db/matches'
import { deleteMember, getMember } from '@percolate/db/members'
import { setOptIn } from '@percolate/db/opt-ins'
import { newOutboxItem, outboxWritesOnce } from '@percolate/db/outbox'
import { putRoundGroups } from '@percolate/db/rounds'
import { deploymentPartition } from '@percolate/db/table'
import { writeEachOnce } from '@percolate/db/write-once'
import type { Member } from '@percolate/domain/member'
import { callerFor, db, member } from './support.ts'

const round = (week: number) => new Date(Date.UTC(2025, 5, 2 + 7 * week, 7)).toISOString()

/** Groups of one round each: every member's match record, the round's group, a notification per member. */
async function seedRounds(deploymentId: string, groups: Member[][]): Promise<void> {
  const matches: Match[] = groups.flatMap((group, week) =>
    group.map((m) => ({
      deploymentId,
      memberId: m.id,
      scheduledAt: round(week),
      groupIndex: 0,
      memberIds: group.map((g) => g.id),
      reason: `round ${week}`,
      status: 'scheduled' as const,
      updatedAt: round(week),
    })),
  )
  await putMatches(db, matches)
  await putRoundGroups(
    db,
    groups.map((group, week) => ({
      deploymentId,
      scheduledAt: round(week),
      runId: 'run',
      index: 0,
      memberIds: group.map((g) => g.id),
      reason: `round ${week}`,
    })),
  )
  await writeEachOnce(
    outboxWritesOnce(
      db,
      matches.map((m) =>
        newOutboxItem({
          deploymentId,
          memberId: m.memberId,
          scheduledAt: m.scheduledAt,
          kind: 'match',
          channel: 'email',
        }),
      ),
    ),
  )
}

/** The sort keys of every item in a deployment's partition (a Query) that names `memberId` anywhere. */
async function itemsNaming(deploymentId: string, memberId: string): Promise<string[]> {
  const found: string[] = []
  const names = new RegExp(`(^|[#"])${memberId}([#"]|$)`)
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined
  do {
    const page = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: deploymentPartition(deploymentId) } },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    )
    for (const item of page.Items ?? []) if (names.test(JSON.stringify(item))) found.push(item.sk!.S!)
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return found.sort()
}

/** A member with everything a member can leave behind besides matches: an opt-in and an API token. */
async function withOptInAndToken(m: Member): Promise<Member> {
  await setOptIn(db, { deploymentId: m.deploymentId, scheduledAt: round(9), memberId: m.id }, true)
  await createApiToken(db, {
    deploymentId: m.deploymentId,
    hash: `hash-${m.id}`,
    id: `token-${m.id}`,
    memberId: m.id,
    name: 'laptop',
    createdAt: round(0),
  })
  return m
}

describe("a member's own data", () => {
  it('is all in the export, and nothing of anyone else', async () => {
    const [ana, bo, cy, dee] = [await member(), await member(), await member(), await member()]
    await seedRounds('acme', [
      [ana, bo],
      [ana, cy],
      [ana, dee],
      [bo, cy],
    ])
    await reportMatch(
      db,
      { deploymentId: 'acme', memberId: ana.id, scheduledAt: round(0) },
      { status: 'met', rating: 4, note: 'coffee by the river' },
    )
    await reportMatch(
      db,
      { deploymentId: 'acme', memberId: bo.id, scheduledAt: round(0) },
      { status: 'met', rating: 2, note: "bo's private note" },
    )
    await deleteMember(db, dee)

    const exported = await (await callerFor(ana)).me.exportData()
    expect(exported.matches).toEqual([
      {
        scheduledAt: round(0),
        group: [
          { id: ana.id, name: ana.name },
          { id: bo.id, name: bo.name },
        ],
        reason: 'round 0',
        status: 'met',
        rating: 4,
        note: 'coffee by the river',
        updatedAt: expect.any(String),
      },
      {
        scheduledAt: round(1),
        group: [
          { id: ana.id, name: ana.name },
          { id: cy.id, name: cy.name },
        ],
        reason: 'round 1',
        status: 'scheduled',
        rating: null,
        note: null,
        updatedAt: round(1),
      },
      {
        scheduledAt: round(2),
        group: [
          { id: ana.id, name: ana.name },
          { id: dee.id, name: null },
        ],
        reason: 'round 2',
        status: 'scheduled',
        rating: null,
        note: null,
        updatedAt: round(2),
      },
    ])
    expect(exported.notifications).toEqual(
      [0, 1, 2].map((week) => ({
        scheduledAt: round(week),
        kind: 'match',
        channel: 'email',
        status: 'pending',
        attempts: 0,
        reason: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      })),
    )
    expect(JSON.stringify(exported)).not.toContain("bo's private note")
    expect(JSON.stringify(exported)).not.toContain('round 3')
  })

  it('is gone after the member deletes their account; the rounds keep their groups', async () => {
    const ana = await withOptInAndToken(await member())
    const [bo, cy] = [await member(), await member()]
    await seedRounds('acme', [
      [ana, bo],
      [ana, cy],
    ])
    await reportMatch(
      db,
      { deploymentId: 'acme', memberId: ana.id, scheduledAt: round(1) },
      { status: 'didnt-meet', rating: 1, note: 'never showed up' },
    )
    const caller = await callerFor(ana)
    expect((await caller.me.exportData()).matches).toHaveLength(2)

    expect(await caller.me.deleteAccount({ confirmEmail: ana.email })).toEqual({ deleted: true })
    expect(await itemsNaming('acme', ana.id)).toEqual([
      `GROUP#${round(0)}#run#000000`,
      `GROUP#${round(1)}#run#000000`,
      `MATCH#${bo.id}#${round(0)}`,
      `MATCH#${cy.id}#${round(1)}`,
    ])
    // Bo's record, claims, match record and notification are untouched.
    expect(await itemsNaming('acme', bo.id)).toEqual([
      `EMAIL#${bo.email}`,
      `GROUP#${round(0)}#run#000000`,
      `IDENTITY#${bo.identities[0]!.issuer}#${bo.identities[0]!.subject}`,
      `MATCH#${bo.id}#${round(0)}`,
      `MEMBER#${bo.id}`,
      `OUTBOX#${bo.id}#${round(0)}#match#email`,
    ])
    expect(await getMember(db, 'acme', ana.id)).toBeNull()
  })

  it("is gone after an admin removes the member, and nothing of another member's goes with it", async () => {
    const admin = await member('acme', { role: 'admin' })
    const eve = await withOptInAndToken(await member())
    const fay = await member()
    await seedRounds('acme', [[eve, fay]])
    await callerFor(eve)
    expect(await (await callerFor(admin)).admin.remove({ memberId: eve.id })).toEqual({
      removed: true,
      sessionsEnded: 1,
    })
    expect(await itemsNaming('acme', eve.id)).toEqual([
      `GROUP#${round(0)}#run#000000`,
      `MATCH#${fay.id}#${round(0)}`,
    ])
    expect((await (await callerFor(fay)).me.exportData()).matches).toEqual([
      expect.objectContaining({
        scheduledAt: round(0),
        group: [
          { id: eve.id, name: null },
          { id: fay.id, name: fay.name },
        ],
      }),
    ])
  })
})

import { afterAll, describe, expect, it } from 'bun:test'
import {
  claimOutboxItem,
  finishOutboxItem,
  getOutboxItem,
  listMemberOutbox,
  listOutboxByStatus,
  newOutboxItem,
  outboxWritesOnce,
} from '../src/outbox.ts'
import { createTestDatabase } from '../src/testing.ts'
import { writeEachOnce } from '../src/write-once.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())
const t = (minute: number) => new Date(Date.UTC(2026, 2, 2, 8, minute))
const key = (memberId: string, channel: 'email' | 'slack' = 'email') => ({
  deploymentId: 'acme',
  memberId,
  scheduledAt: t(0).toISOString(),
  kind: 'match' as const,
  channel,
})

describe('outbox', () => {
  it('writes each item once, however often it is written', async () => {
    const items = [newOutboxItem(key('ann'), t(0)), newOutboxItem(key('ann', 'slack'), t(0))]
    expect(await writeEachOnce(outboxWritesOnce(db, items))).toEqual({ written: 2, alreadyThere: 0 })
    expect(await writeEachOnce(outboxWritesOnce(db, items))).toEqual({ written: 0, alreadyThere: 2 })
    expect(await listMemberOutbox(db, 'acme', 'ann')).toHaveLength(2)
  })

  it('lets one of two dispatchers claim an item, moves it between the status lists, and reclaims a dead claim', async () => {
    await writeEachOnce(outboxWritesOnce(db, [newOutboxItem(key('bob'), t(0))]))
    const due = (await listOutboxByStatus(db, 'acme', 'pending', { until: t(1).toISOString() })).items
    const bob = due.find((item) => item.memberId === 'bob')!
    const claims = await Promise.all([claimOutboxItem(db, bob, 60, t(1)), claimOutboxItem(db, bob, 60, t(1))])
    expect(claims.filter(Boolean)).toHaveLength(1)
    const claimed = claims.find(Boolean)!
    expect((await listOutboxByStatus(db, 'acme', 'pending')).items.some((i) => i.memberId === 'bob')).toBe(
      false,
    )
    expect((await listOutboxByStatus(db, 'acme', 'sending')).items.map((i) => i.memberId)).toEqual(['bob'])
    // The dispatcher dies; after its lease another takes the item over, and the first can no longer finish it.
    expect(await claimOutboxItem(db, claimed, 60, t(1))).toBeNull()
    const takeover = (await claimOutboxItem(db, claimed, 60, t(3)))!
    expect(takeover.attempts).toBe(2)
    expect(await finishOutboxItem(db, claimed, { status: 'sent', providerMessageId: 'late' }, t(3))).toBe(
      false,
    )
    expect(await finishOutboxItem(db, takeover, { status: 'failed', reason: 'MessageRejected' }, t(4))).toBe(
      true,
    )
    expect((await listOutboxByStatus(db, 'acme', 'failed')).items).toEqual([
      expect.objectContaining({ memberId: 'bob', status: 'failed', attempts: 2, reason: 'MessageRejected' }),
    ])
    expect(await getOutboxItem(db, key('bob'))).toMatchObject({ status: 'failed' })
  })

  it('puts a retried item back in the pending list at its next attempt time', async () => {
    await writeEachOnce(outboxWritesOnce(db, [newOutboxItem(key('cat'), t(0))]))
    const cat = (await getOutboxItem(db, key('cat')))!
    const claimed = (await claimOutboxItem(db, cat, 60, t(1)))!
    await finishOutboxItem(db, claimed, { status: 'pending', reason: '429', nextAttemptAt: t(10) }, t(1))
    const dueNow = (await listOutboxByStatus(db, 'acme', 'pending', { until: t(5).toISOString() })).items
    expect(dueNow.some((i) => i.memberId === 'cat')).toBe(false)
    const dueLater = (await listOutboxByStatus(db, 'acme', 'pending', { until: t(10).toISOString() })).items
    expect(dueLater.find((i) => i.memberId === 'cat')).toMatchObject({ attempts: 1, reason: '429' })
  })
})

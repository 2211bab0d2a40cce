import { afterAll, describe, expect, test } from 'bun:test'
import { updateDeploymentSettings } from '@percolate/db/deployments'
import { listRoundMatches, reportMatch } from '@percolate/db/matches'
import { setOptIn } from '@percolate/db/opt-ins'
import { listOutboxByStatus } from '@percolate/db/outbox'
import { createTestDatabase } from '@percolate/db/testing'
import { createCheckins, createOptInReminders } from '../src/checkin.ts'
import { runRound } from '../src/run-round.ts'
import { createRoster } from './support.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())
const monday = new Date('2026-03-02T08:00:00Z')
const days = (n: number) => new Date(monday.getTime() + n * 86_400_000)
const kinds = async (id: string, kind: string) =>
  (await listOutboxByStatus(db, id, 'pending', { limit: 500 })).items.filter((item) => item.kind === kind)

describe('check-ins', () => {
  test('ask, once, those whose match is still open some days after the round', async () => {
    const { deployment, members } = await createRoster(db, 'checkin', { members: 6, channels: false })
    await runRound(db, deployment, monday, { seed: 1, now: monday })
    const [first] = await listRoundMatches(db, 'checkin', monday.toISOString())
    await reportMatch(db, first!, { status: 'met' })
    expect(await createCheckins(db, deployment, { at: days(2), afterDays: 3 })).toMatchObject({ rounds: 0 })
    expect(await createCheckins(db, deployment, { at: days(3), afterDays: 3 })).toEqual({
      rounds: 1,
      asked: 5,
      written: 5,
      alreadyThere: 0,
    })
    expect(await createCheckins(db, deployment, { at: days(4), afterDays: 3 })).toMatchObject({
      written: 0,
      alreadyThere: 5,
    })
    expect((await kinds('checkin', 'checkin')).map((i) => i.memberId).sort()).toEqual(
      members
        .map((m) => m.id)
        .filter((id) => id !== first!.memberId)
        .sort(),
    )
  })
})

describe('opt-in reminders', () => {
  test('remind, once, the members not opted in, within the hours before the round', async () => {
    const { deployment, members } = await createRoster(db, 'remind', { members: 4, channels: false })
    const optIn = await updateDeploymentSettings(
      db,
      'remind',
      { ...deployment, participationMode: 'opt-in' },
      deployment.version,
    )
    const next = '2026-03-09T08:00:00.000Z'
    await setOptIn(db, { deploymentId: 'remind', scheduledAt: next, memberId: members[0]!.id }, true)
    expect(
      await createOptInReminders(db, optIn, { at: new Date('2026-03-07T08:00:00Z'), beforeHours: 24 }),
    ).toMatchObject({
      round: null,
    })
    expect(
      await createOptInReminders(db, optIn, { at: new Date('2026-03-08T09:00:00Z'), beforeHours: 24 }),
    ).toEqual({
      round: next,
      reminded: 3,
      written: 3,
      alreadyThere: 0,
    })
    expect(
      await createOptInReminders(db, optIn, { at: new Date('2026-03-08T12:00:00Z'), beforeHours: 24 }),
    ).toMatchObject({
      written: 0,
      alreadyThere: 3,
    })
    expect((await kinds('remind', 'reminder')).map((i) => i.memberId)).not.toContain(members[0]!.id)
    // Automatic rounds need no reminder.
    expect(
      await createOptInReminders(db, deployment, { at: new Date('2026-03-08T09:00:00Z'), beforeHours: 24 }),
    ).toMatchObject({
      round: null,
    })
  })
})

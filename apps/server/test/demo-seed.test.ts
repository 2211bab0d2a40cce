import { afterAll, describe, expect, it } from 'bun:test'
import { getDeployment } from '@percolate/db/deployments'
import { listRoundMatches } from '@percolate/db/matches'
import { listMembers } from '@percolate/db/members'
import { listOutboxByStatus } from '@percolate/db/outbox'
import { listRoundGroups, listRounds } from '@percolate/db/rounds'
import { createTestDatabase } from '@percolate/db/testing'
import { DEMO_DEPLOYMENT_ID, NOT_ONBOARDED_DEMO_MEMBER, seedDemo } from '../src/local/demo-seed.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())
const now = new Date('2026-11-25T12:00:00Z')

async function allMembers() {
  const page = await listMembers(db, DEMO_DEPLOYMENT_ID, { limit: 100 })
  return page.members
}

describe('demo seed', () => {
  it('creates Demo Co with about 40 members across departments and locations', async () => {
    expect(await seedDemo(db, now)).toBe('seeded')
    const deployment = await getDeployment(db, DEMO_DEPLOYMENT_ID)
    expect(deployment).toMatchObject({
      name: 'Demo Co',
      timeZone: 'Europe/Berlin',
      schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
      meetingSize: 2,
    })
    const members = await allMembers()
    expect(members).toHaveLength(40)
    expect(new Set(members.map((m) => m.department)).size).toBeGreaterThanOrEqual(5)
    expect(new Set(members.map((m) => m.location)).size).toBeGreaterThanOrEqual(4)
    expect(members.filter((m) => m.role === 'admin').map((m) => m.name)).toEqual(['Ada Meyer'])
  })

  it('writes three past Monday rounds in which every active member is in exactly one group', async () => {
    const { rounds } = await listRounds(db, DEMO_DEPLOYMENT_ID)
    expect(rounds).toHaveLength(3)
    const active = (await allMembers()).filter((m) => m.participation.status === 'active').map((m) => m.id)
    const pairs = new Set<string>()
    for (const round of rounds) {
      expect(round.status).toBe('completed')
      expect(new Date(round.scheduledAt).getTime()).toBeLessThan(now.getTime())
      // Monday 09:00 in Berlin (CET in November: 08:00 UTC).
      expect(round.scheduledAt).toEndWith('T08:00:00.000Z')
      const groups = await listRoundGroups(db, DEMO_DEPLOYMENT_ID, round.scheduledAt)
      expect(groups).toHaveLength(round.groupCount)
      const placed = groups.flatMap((g) => g.memberIds)
      expect(placed.sort()).toEqual([...active].sort())
      expect(groups.every((g) => g.memberIds.length >= 2)).toBe(true)
      for (const g of groups) pairs.add([...g.memberIds].sort().join(' '))
    }
    // Real rounds from the matching engine: nobody meets the same person twice in three rounds.
    expect(pairs.size).toBe(rounds.reduce((sum, round) => sum + round.groupCount, 0))
    // Only the latest round notifies.
    const [latest, older] = [rounds[0]!, rounds[1]!]
    const inbox = await listOutboxByStatus(db, DEMO_DEPLOYMENT_ID, 'pending', { limit: 500 })
    expect(inbox.items.length).toBeGreaterThanOrEqual(latest.participantCount)
    expect(inbox.items.every((item) => item.scheduledAt === latest.scheduledAt)).toBe(true)
    expect(older.status).toBe('completed')
  })

  it('leaves Quentin matched but not onboarded, for the first-sign-in journey', async () => {
    const quentin = (await allMembers()).find((m) => m.id === NOT_ONBOARDED_DEMO_MEMBER)!
    expect(quentin.email).toBe('quentin.novak@democo.example')
    expect(quentin.onboarded).toBe(false)
    const { rounds } = await listRounds(db, DEMO_DEPLOYMENT_ID)
    const matches = await listRoundMatches(db, DEMO_DEPLOYMENT_ID, rounds[0]!.scheduledAt)
    expect(matches.some((m) => m.memberId === quentin.id)).toBe(true)
  })

  it('leaves existing data alone on the next start', async () => {
    expect(await seedDemo(db, now)).toBe('exists')
    expect(await allMembers()).toHaveLength(40)
  })
})

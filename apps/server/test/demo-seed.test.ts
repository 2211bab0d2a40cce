import { afterAll, describe, expect, it } from 'bun:test'
import { getDeployment } from '@percolate/db/deployments'
import { listMembers } from '@percolate/db/members'
import { listRoundGroups, listRounds } from '@percolate/db/rounds'
import { createTestDatabase } from '@percolate/db/testing'
import { DEMO_DEPLOYMENT_ID, seedDemo } from '../src/local/demo-seed.ts'

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
    for (const round of rounds) {
      expect(new Date(round.scheduledAt).getTime()).toBeLessThan(now.getTime())
      // Monday 09:00 in Berlin (CET in November: 08:00 UTC).
      expect(round.scheduledAt).toEndWith('T08:00:00.000Z')
      const groups = await listRoundGroups(db, DEMO_DEPLOYMENT_ID, round.scheduledAt)
      expect(groups).toHaveLength(round.groupCount)
      const placed = groups.flatMap((g) => g.memberIds)
      expect(placed.sort()).toEqual([...active].sort())
      expect(groups.every((g) => g.memberIds.length >= 2)).toBe(true)
    }
  })

  it('leaves existing data alone on the next start', async () => {
    expect(await seedDemo(db, now)).toBe('exists')
    expect(await allMembers()).toHaveLength(40)
  })
})

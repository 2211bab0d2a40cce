// Test support: deployments with members on DynamoDB Local, a normalized snapshot of a round's state to compare
// runs, and a database handle whose client "dies" after a given number of requests (a killed process).
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase, type Database } from '@percolate/db/database'
import { createDeployment } from '@percolate/db/deployments'
import { listRoundMatches } from '@percolate/db/matches'
import { createMember } from '@percolate/db/members'
import { listOutboxByStatus } from '@percolate/db/outbox'
import { getRound, listRoundGroups } from '@percolate/db/rounds'
import { testEndpoint, testMember, testSettings } from '@percolate/db/testing'
import type { Deployment } from '@percolate/domain/deployment'
import type { Member } from '@percolate/domain/member'

const departments = ['Engineering', 'Sales', 'Finance', 'People']

export async function createRoster(
  db: Database,
  id: string,
  options: { members?: number; meetingSize?: number; createdAt?: Date; channels?: boolean } = {},
): Promise<{ deployment: Deployment; members: Member[] }> {
  const createdAt = options.createdAt ?? new Date('2026-01-01T00:00:00Z')
  const deployment = await createDeployment(
    db,
    id,
    testSettings({
      name: `Company ${id}`,
      meetingSize: options.meetingSize ?? 2,
      enabledChannels: ['email', 'slack'],
    }),
    createdAt,
  )
  const members: Member[] = []
  for (let i = 0; i < (options.members ?? 12); i++) {
    const person = testMember(id, `person-${String(i).padStart(3, '0')}`, {
      email: `person${i}@acme.test`,
      name: `Person ${String(i).padStart(3, '0')}`,
      department: departments[i % departments.length]!,
      location: 'Berlin',
      timeZone: i % 3 === 0 ? 'America/New_York' : 'Europe/Berlin',
      role: i === 0 ? 'admin' : 'member',
      preferences: {
        preferOtherDepartments: true,
        location: 'remote-ok',
        minOverlapHours: 1,
        avoidMemberIds: [],
      },
      channels: {
        email: { enabled: true },
        ...(options.channels !== false && i % 2 === 0 ? { slack: { memberId: `U0${1000000 + i}` } } : {}),
      },
    })
    members.push(await createMember(db, person, createdAt))
  }
  return { deployment, members }
}

/** A round's final state without run ids or timestamps: what two correct runs must agree on. */
export async function snapshot(db: Database, deploymentId: string, scheduledAt: string) {
  const round = await getRound(db, deploymentId, scheduledAt)
  const groups = (await listRoundGroups(db, deploymentId, scheduledAt)).map((group) => ({
    committed: group.runId === round?.planRunId,
    index: group.index,
    memberIds: group.memberIds,
    reason: group.reason,
  }))
  const matches = (await listRoundMatches(db, deploymentId, scheduledAt))
    .map(({ memberId, groupIndex, memberIds, reason, status }) => ({
      memberId,
      groupIndex,
      memberIds,
      reason,
      status,
    }))
    .sort((a, b) => a.memberId.localeCompare(b.memberId))
  const outbox = []
  let cursor: string | null = null
  do {
    const page = await listOutboxByStatus(db, deploymentId, 'pending', { limit: 500, cursor })
    outbox.push(
      ...page.items
        .filter((entry) => entry.scheduledAt === scheduledAt)
        .map(
          ({ memberId, kind, channel, status, attempts }) =>
            `${memberId} ${kind} ${channel} ${status} ${attempts}`,
        ),
    )
    cursor = page.nextCursor
  } while (cursor)
  outbox.sort()
  return {
    round: round && {
      status: round.status,
      seed: round.seed,
      participantCount: round.participantCount,
      groupCount: round.groupCount,
      leftOutCount: round.leftOutCount,
      newPairs: round.newPairs,
      repeatedPairs: round.repeatedPairs,
    },
    groups,
    matches,
    outbox,
  }
}

/**
 * A handle on the same table whose requests fail from the `limit`-th on, as if the process died there. With
 * `afterSend`, the request that dies reaches DynamoDB first (the process dies before it hears the answer).
 */
export function dyingDatabase(
  tableName: string,
  limit: number,
  afterSend: boolean,
): Database & { requests: () => number } {
  const client = createDynamoClient({ endpoint: testEndpoint(), region: 'local' })
  let count = 0
  client.middlewareStack.add(
    (next) => async (args) => {
      count += 1
      if (count >= limit && !afterSend) throw new Error(`killed before request ${count}`)
      const result = await next(args)
      if (count >= limit) throw new Error(`killed after request ${count}`)
      return result
    },
    { step: 'initialize', name: 'killSwitch' },
  )
  return Object.assign(createDatabase({ client, tableName }), { requests: () => count })
}

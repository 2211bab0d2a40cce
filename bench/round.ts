// `make bench-round`: one round of 10,000 participants with 20 rounds of history, through the same code the
// CronJob runs (claim, load, match, plan, write, complete), against DynamoDB Local. Prints each step and, last,
// one JSON line: participants, wall time, peak memory, DynamoDB requests by operation (Scan must stay 0) and
// consumed capacity per participant.
//   bun bench/round.ts [--participants N] [--history R] [--size K]
import { parseArgs } from 'node:util'
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase } from '@percolate/db/database'
import { createDeployment } from '@percolate/db/deployments'
import { ensureTable } from '@percolate/db/ensure-table'
import { startLocalDynamo } from '@percolate/db/local-dynamodb'
import { putRound, putRoundGroups, type RoundGroup } from '@percolate/db/rounds'
import { deploymentSettingsSchema } from '@percolate/domain/deployment'
import type { Member } from '@percolate/domain/member'
import { createGroups } from '@percolate/matching/create-groups'
import { PairHistory } from '@percolate/matching/pair-history'
import { toMatchParticipant } from '@percolate/rounds/round-input'
import { runRound } from '@percolate/rounds/run-round'
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { BatchWriteCommand, execute } from 'dynamodb-toolbox/table/actions/batchWrite'

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '10000' },
    history: { type: 'string', default: '20' },
    size: { type: 'string', default: '2' },
  },
})
const participants = Number(values.participants)
const historyRounds = Number(values.history)
const size = Number(values.size)
const log = (line: Record<string, unknown>) => process.stderr.write(`${JSON.stringify(line)}\n`)

const dynamo = await startLocalDynamo()
const setupClient = createDynamoClient({ endpoint: dynamo.endpoint, region: 'local' })
const tableName = 'percolate-bench-round'
await ensureTable(setupClient, tableName)
const setup = createDatabase({ client: setupClient, tableName })

// Setup (not measured): the deployment, its members, and 20 weekly rounds formed by the engine.
const created = new Date('2025-01-01T00:00:00Z')
const deployment = await createDeployment(
  setup,
  'bench',
  deploymentSettingsSchema.parse({
    name: 'Bench Co',
    timeZone: 'Europe/Berlin',
    schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
    meetingSize: size,
    allowedEmailDomains: ['bench.test'],
    enabledChannels: ['email', 'slack'],
    identityProviders: [{ kind: 'local' }],
  }),
  created,
)
const departments = Array.from({ length: 10 }, (_, i) => `Department ${i}`)
const zones = ['Europe/Berlin', 'Europe/London', 'America/New_York']
const members: Member[] = Array.from({ length: participants }, (_, i) => ({
  id: `m${String(i).padStart(6, '0')}`,
  deploymentId: 'bench',
  email: `m${i}@bench.test`,
  name: `Member ${String(i).padStart(6, '0')}`,
  department: departments[i % departments.length]!,
  location: ['Berlin', 'London', 'New York'][i % 3]!,
  timeZone: zones[i % 3]!,
  workingHours: { start: '09:00', end: '17:00' },
  bio: 'Likes long walks and short meetings.',
  interests: ['chess'],
  role: 'member',
  preferences: {
    preferOtherDepartments: true,
    location: 'remote-ok',
    minOverlapHours: 1,
    avoidMemberIds: [`m${String((i + 1) % participants).padStart(6, '0')}`],
  },
  participation: { status: 'active' },
  channels: { email: { enabled: true }, ...(i % 4 === 0 ? { slack: { memberId: `U${1000000 + i}` } } : {}) },
  identities: [],
  onboarded: true,
  version: 1,
  createdAt: created.toISOString(),
  updatedAt: created.toISOString(),
}))
let started = performance.now()
for (let at = 0; at < members.length; at += 25) {
  await execute(
    { maxAttempts: 10 },
    setup.table
      .build(BatchWriteCommand)
      .requests(...members.slice(at, at + 25).map((m) => setup.members.build(BatchPutRequest).item(m))),
  )
}
log({ setup: 'members', count: members.length, ms: Math.round(performance.now() - started) })

const weekMs = 7 * 86_400_000
const firstRound = new Date('2026-01-05T08:00:00Z')
const history = new PairHistory()
started = performance.now()
for (let r = 0; r < historyRounds; r++) {
  const at = new Date(firstRound.getTime() + r * weekMs)
  const result = createGroups({
    participants: members.map((m) => toMatchParticipant(m, at)),
    history,
    week: r,
    size,
    seed: r + 1,
  })
  history.addGroups(
    result.groups.map((g) => g.memberIds.map((id) => history.indexOf(id))),
    r,
  )
  const scheduledAt = at.toISOString()
  const groups: RoundGroup[] = result.groups.map((g, index) => ({
    deploymentId: 'bench',
    scheduledAt,
    runId: 'history',
    index,
    memberIds: g.memberIds,
    reason: g.reason,
  }))
  await putRoundGroups(setup, groups)
  await putRound(setup, {
    deploymentId: 'bench',
    scheduledAt,
    status: 'completed',
    seed: String(r + 1),
    planRunId: 'history',
    participantCount: participants,
    groupCount: groups.length,
    completedAt: scheduledAt,
  })
}
log({ setup: 'history', rounds: historyRounds, ms: Math.round(performance.now() - started) })

// The measured round, on its own client that counts requests and capacity.
const client = createDynamoClient({ endpoint: dynamo.endpoint, region: 'local' })
const requests: Record<string, number> = {
  Query: 0,
  GetItem: 0,
  PutItem: 0,
  UpdateItem: 0,
  DeleteItem: 0,
  BatchWriteItem: 0,
  BatchGetItem: 0,
  TransactWriteItems: 0,
  Scan: 0,
}
let readUnits = 0
let writeUnits = 0
client.middlewareStack.add(
  (next, context) => async (args) => {
    const operation = String(context.commandName).replace(/Command$/, '')
    requests[operation] = (requests[operation] ?? 0) + 1
    ;(args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL'
    const result = await next(args)
    const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity
    for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      const { ReadCapacityUnits, WriteCapacityUnits, CapacityUnits } = entry as Record<
        string,
        number | undefined
      >
      if (ReadCapacityUnits !== undefined || WriteCapacityUnits !== undefined) {
        readUnits += ReadCapacityUnits ?? 0
        writeUnits += WriteCapacityUnits ?? 0
      } else if (/Query|Get/.test(operation)) readUnits += CapacityUnits ?? 0
      else writeUnits += CapacityUnits ?? 0
    }
    return result
  },
  { step: 'initialize', name: 'countRequests' },
)
const db = createDatabase({ client, tableName })

Bun.gc(true)
const rssBeforeMB = process.memoryUsage().rss / 1_048_576
let peakRss = process.memoryUsage().rss
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}, 20)
const roundAt = new Date(firstRound.getTime() + historyRounds * weekMs)
started = performance.now()
const outcome = await runRound(db, deployment, roundAt, { seed: 424242, now: roundAt, log })
const wallMs = Math.round(performance.now() - started)
clearInterval(sampler)
peakRss = Math.max(peakRss, process.memoryUsage().rss)
if (outcome.outcome !== 'completed') throw new Error(`the round did not complete: ${JSON.stringify(outcome)}`)

client.destroy()
setupClient.destroy()
await dynamo.stop()
const round = (value: number) => Math.round(value * 1000) / 1000
console.log(
  JSON.stringify({
    participants,
    size,
    historyRounds,
    groups: outcome.counts.groupCount,
    repeatedPairs: outcome.counts.repeatedPairs,
    wallMs,
    peakRssMB: Math.round(peakRss / 1_048_576),
    rssBeforeMB: Math.round(rssBeforeMB),
    requests,
    wcuPerParticipant: round(writeUnits / participants),
    rcuPerParticipant: round(readUnits / participants),
    // DynamoDB Local reports no consumed capacity for TransactWriteItems; by DynamoDB's rule each transactional
    // write of an item up to 1 KB costs 2 WCU (these items are under 1 KB).
    transactWcuPerParticipantByRule: round((2 * outcome.written) / participants),
  }),
)

// DynamoDB answering badly: throttling, 500s and UnprocessedItems, injected below the SDK's own retries. The
// round still comes out whole: nothing lost, nothing twice.
import { afterAll, expect, test } from 'bun:test'
import { createDynamoClient } from '@percolate/db/client'
import { createDatabase } from '@percolate/db/database'
import { createTestDatabase, testEndpoint } from '@percolate/db/testing'
import { runRound } from '../src/run-round.ts'
import { createRoster, snapshot } from './support.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())

/** Every `every`-th request fails with throttling or a 500, and every batch write leaves half unprocessed. */
function faultyDatabase(every: number) {
  const client = createDynamoClient({ endpoint: testEndpoint(), region: 'local' })
  client.config.maxAttempts = async () => 10
  const injected = { throttled: 0, serverErrors: 0, unprocessed: 0 }
  let requests = 0
  // Inside the SDK's retry loop (finalizeRequest), so its standard retry strategy sees the failures.
  client.middlewareStack.add(
    (next) => async (args) => {
      requests += 1
      if (requests % every === 0) {
        const throttle = requests % (2 * every) === 0
        if (throttle) injected.throttled += 1
        else injected.serverErrors += 1
        throw Object.assign(
          new Error(throttle ? 'Rate of requests exceeds the allowed throughput.' : 'Internal server error'),
          {
            name: throttle ? 'ThrottlingException' : 'InternalServerError',
            $fault: throttle ? 'client' : 'server',
            $metadata: { httpStatusCode: throttle ? 400 : 500 },
          },
        )
      }
      return next(args)
    },
    { step: 'finalizeRequest', priority: 'low', name: 'faults' },
  )
  // BatchWriteItem: send half, answer the other half as UnprocessedItems (as DynamoDB does when throttled).
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args)
      const input = args.input as { RequestItems: Record<string, unknown[]> }
      const [table, writes] = Object.entries(input.RequestItems)[0]!
      if (writes.length < 2) return next(args)
      const kept = writes.slice(0, Math.ceil(writes.length / 2))
      const left = writes.slice(kept.length)
      injected.unprocessed += left.length
      const result = await next({ ...args, input: { ...input, RequestItems: { [table]: kept } } })
      const output = result.output as { UnprocessedItems?: Record<string, unknown[]> }
      output.UnprocessedItems = { [table]: [...(output.UnprocessedItems?.[table] ?? []), ...left] }
      return result
    },
    { step: 'initialize', priority: 'high', name: 'unprocessed' },
  )
  return { db: createDatabase({ client, tableName: db.tableName }), injected, client }
}

test('throttling, 500 responses and UnprocessedItems lose nothing', async () => {
  const at = new Date('2026-03-02T08:00:00Z')
  const reference = await createRoster(db, 'calm', { members: 60 })
  await runRound(db, reference.deployment, at, { seed: 5 })
  const expected = await snapshot(db, 'calm', at.toISOString())

  const { deployment } = await createRoster(db, 'stormy', { members: 60 })
  const faulty = faultyDatabase(4)
  await runRound(faulty.db, deployment, at, { seed: 5 })
  faulty.client.destroy()
  expect(faulty.injected.throttled).toBeGreaterThan(2)
  expect(faulty.injected.serverErrors).toBeGreaterThan(2)
  expect(faulty.injected.unprocessed).toBeGreaterThan(10)
  const result = await snapshot(db, 'stormy', at.toISOString())
  expect(result).toEqual(expected)
  expect(result.matches).toHaveLength(60)
  expect(result.groups.filter((g) => g.committed)).toHaveLength(30)
}, 120_000)

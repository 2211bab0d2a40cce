// Test support: one DynamoDB Local per test run (started by the bunfig preload unless DYNAMODB_ENDPOINT is set)
// and a fresh table per test file, so tests never share state.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import {
  type DeploymentSettings,
  type DeploymentSettingsInput,
  deploymentSettingsSchema,
} from '@percolate/domain/deployment'
import { createDynamoClient } from './client.ts'
import { createDatabase, type Database } from './database.ts'
import { ensureTable } from './ensure-table.ts'
import { startLocalDynamo } from './local-dynamodb.ts'
import type { NewMember } from './members.ts'

let started: Promise<{ endpoint: string; stop: () => Promise<void> }> | undefined

/** For a bunfig.toml preload: starts DynamoDB Local in memory when the test runner did not provide one. */
export async function provideTestDynamo(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const given = process.env.DYNAMODB_ENDPOINT
  if (given) return { endpoint: given, stop: async () => {} }
  started ??= startLocalDynamo().then((local) => {
    process.env.DYNAMODB_ENDPOINT = local.endpoint
    return local
  })
  return started
}

export function testEndpoint(): string {
  const endpoint = process.env.DYNAMODB_ENDPOINT
  if (!endpoint)
    throw new Error('DYNAMODB_ENDPOINT is not set: add @percolate/db/test-preload to bunfig.toml')
  return endpoint
}

export async function createTestDatabase(): Promise<Database & { drop: () => Promise<void> }> {
  const client = createDynamoClient({ endpoint: testEndpoint(), region: 'local' })
  const tableName = `percolate-test-${crypto.randomUUID()}`
  await ensureTable(client, tableName)
  const db = createDatabase({ client, tableName })
  return {
    ...db,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }))
      client.destroy()
    },
  }
}

/** Deployment settings for tests: Europe/Berlin, Mondays 09:00, pairs; override what a test is about. */
export function testSettings(overrides: Partial<DeploymentSettingsInput> = {}): DeploymentSettings {
  return deploymentSettingsSchema.parse({
    name: 'Acme',
    timeZone: 'Europe/Berlin',
    schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
    meetingSize: 2,
    allowedEmailDomains: ['acme.test'],
    enabledChannels: ['email'],
    identityProviders: [{ kind: 'local' }],
    ...overrides,
  })
}

/** A complete, onboarded, active member for tests; override what a test is about. */
export function testMember(deploymentId: string, id: string, overrides: Partial<NewMember> = {}): NewMember {
  return {
    id,
    deploymentId,
    email: `${id}@acme.test`,
    name: `Person ${id}`,
    department: '',
    location: '',
    timeZone: 'Europe/Berlin',
    workingHours: { start: '09:00', end: '17:00' },
    bio: '',
    interests: [],
    role: 'member',
    preferences: {
      preferOtherDepartments: true,
      location: 'remote-ok',
      minOverlapHours: 0,
      avoidMemberIds: [],
    },
    participation: { status: 'active' },
    channels: { email: { enabled: true } },
    identities: [],
    onboarded: true,
    ...overrides,
  }
}

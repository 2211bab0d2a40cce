// One handle on the table and its entities, built per table name (tests use a fresh table each).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createApiTokenEntity } from './api-tokens.ts'
import { createDocumentClient } from './client.ts'
import { createDeploymentEntity } from './deployments.ts'
import { createLoginAttemptEntity } from './login-attempts.ts'
import { createMatchEntity, createNoMeetingEntity } from './matches.ts'
import { createMemberClaimEntity, createMemberEntity } from './members.ts'
import { createOptInEntity } from './opt-ins.ts'
import { createOutboxEntity } from './outbox.ts'
import { createRoundEntity, createRoundGroupEntity } from './rounds.ts'
import { createRefreshTokenEntity, createSessionEntity } from './sessions.ts'
import { createPercolateTable } from './table.ts'

export function createDatabase({ client, tableName }: { client: DynamoDBClient; tableName: string }) {
  const documentClient = createDocumentClient(client)
  const table = createPercolateTable(tableName, documentClient)
  return {
    client,
    tableName,
    table,
    deployments: createDeploymentEntity(table),
    members: createMemberEntity(table),
    memberClaims: createMemberClaimEntity(table),
    rounds: createRoundEntity(table),
    roundGroups: createRoundGroupEntity(table),
    sessions: createSessionEntity(table),
    refreshTokens: createRefreshTokenEntity(table),
    loginAttempts: createLoginAttemptEntity(table),
    apiTokens: createApiTokenEntity(table),
    matches: createMatchEntity(table),
    noMeetings: createNoMeetingEntity(table),
    outbox: createOutboxEntity(table),
    optIns: createOptInEntity(table),
  }
}
export type Database = ReturnType<typeof createDatabase>

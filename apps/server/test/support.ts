// Test support for routers: a database with two workspaces, members, and callers with real sessions.
import { createDeployment } from '@percolate/db/deployments'
import { createMember } from '@percolate/db/members'
import { startSession } from '@percolate/db/sessions'
import { createTestDatabase } from '@percolate/db/testing'
import { deploymentSettingsSchema } from '@percolate/domain/deployment'
import type { Member } from '@percolate/domain/member'
import { TRPCError } from '@trpc/server'
import type { Principal } from '../src/auth/service.ts'
import { createAuthService, SESSION_LIFETIMES } from '../src/auth/service.ts'
import { readEnv } from '../src/env.ts'
import { silentLogger } from '../src/log.ts'
import { createCallerFactory, createContextInner } from '../src/trpc/init.ts'
import { appRouter } from '../src/trpc/router.ts'

/** One table for every router test file of this process (bun runs them in one process: none drops it early). */
export const db = await createTestDatabase()
export const env = readEnv({ PERCOLATE_MODE: 'local', DYNAMODB_TABLE: db.tableName })
export const auth = await createAuthService({ db, env, logger: silentLogger })
export const createCaller = createCallerFactory(appRouter)

const settings = (channels: string[]) =>
  deploymentSettingsSchema.parse({
    name: 'Acme',
    timeZone: 'Europe/Berlin',
    schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
    meetingSize: 2,
    enabledChannels: channels,
    allowedEmailDomains: ['acme.test'],
    identityProviders: [{ kind: 'local' }],
  })
await createDeployment(db, 'acme', settings(['email', 'slack']))
await createDeployment(db, 'other', settings(['email']))

let count = 0
export async function member(deploymentId = 'acme', extra: Partial<Member> = {}): Promise<Member> {
  count++
  return createMember(db, {
    id: `member-${String(count).padStart(3, '0')}`,
    deploymentId,
    email: `person${count}@acme.test`,
    name: `Person ${count}`,
    department: 'Sales',
    location: 'Berlin',
    timeZone: 'Europe/Berlin',
    workingHours: { start: '09:00', end: '17:00' },
    bio: '',
    interests: [],
    role: 'member',
    preferences: {
      preferOtherDepartments: true,
      location: 'remote-ok',
      minOverlapHours: 1,
      avoidMemberIds: [],
    },
    participation: { status: 'active' },
    channels: { email: { enabled: true } },
    identities: [{ issuer: 'https://idp.test', subject: `s${count}` }],
    onboarded: true,
    ...extra,
  })
}

export async function callerFor(m: Member) {
  const session = await startSession(db, {
    deploymentId: m.deploymentId,
    memberId: m.id,
    refreshTokenHash: crypto.randomUUID(),
    lifetimes: SESSION_LIFETIMES,
  })
  const principal: Principal = {
    via: 'session',
    deploymentId: m.deploymentId,
    memberId: m.id,
    sessionId: session.id,
  }
  return createCaller(createContextInner({ db, env, logger: silentLogger, auth, principal }))
}

export async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof TRPCError) return `${error.code}: ${error.message}`
    throw error
  }
  return 'accepted'
}

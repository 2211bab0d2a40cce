import { afterAll, describe, expect, it } from 'bun:test'
import { consumeLoginAttempt, type LoginAttempt, saveLoginAttempt } from '../src/login-attempts.ts'
import { createTestDatabase } from '../src/testing.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())

const now = new Date('2026-11-02T09:00:00Z')
const attempt = (stateHash: string, deploymentId = 'acme'): LoginAttempt => ({
  deploymentId,
  stateHash,
  provider: 'local',
  issuer: 'http://127.0.0.1:3001',
  nonce: 'n',
  codeVerifier: 'v',
  browserHash: 'b',
  returnTo: '/',
  createdAt: now.toISOString(),
  expiresAt: Math.floor(now.getTime() / 1000) + 600,
})

describe('login attempts', () => {
  it('can be taken out exactly once', async () => {
    await saveLoginAttempt(db, attempt('s1'))
    expect(await consumeLoginAttempt(db, 'acme', 's1', now)).toEqual(attempt('s1'))
    expect(await consumeLoginAttempt(db, 'acme', 's1', now)).toBeNull()
  })

  it('gives one of two concurrent callbacks the attempt and the other nothing', async () => {
    await saveLoginAttempt(db, attempt('s2'))
    const results = await Promise.all([1, 2].map(() => consumeLoginAttempt(db, 'acme', 's2', now)))
    expect(results.filter((r) => r !== null)).toHaveLength(1)
  })

  it('refuses an expired attempt, and one of another deployment', async () => {
    await saveLoginAttempt(db, attempt('s3'))
    expect(await consumeLoginAttempt(db, 'acme', 's3', new Date(now.getTime() + 601_000))).toBeNull()
    await saveLoginAttempt(db, attempt('s4', 'tenant-a'))
    expect(await consumeLoginAttempt(db, 'tenant-b', 's4', now)).toBeNull()
    expect(await consumeLoginAttempt(db, 'tenant-a', 's4', now)).not.toBeNull()
  })
})

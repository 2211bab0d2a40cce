import { afterAll, describe, expect, it } from 'bun:test'
import {
  type ApiToken,
  createApiToken,
  findApiToken,
  isApiTokenActive,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
} from '../src/api-tokens.ts'
import { createTestDatabase } from '../src/testing.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())

const token = (id: string, memberId = 'm1', extra: Partial<ApiToken> = {}): ApiToken => ({
  deploymentId: 'acme',
  hash: `hash-${id}`,
  id,
  memberId,
  name: `script ${id}`,
  createdAt: `2026-11-0${id.length}T09:00:00.000Z`,
  ...extra,
})

describe('API tokens', () => {
  it('are found by hash within their deployment only', async () => {
    await createApiToken(db, token('a'))
    expect((await findApiToken(db, 'acme', 'hash-a'))?.id).toBe('a')
    expect(await findApiToken(db, 'other', 'hash-a')).toBeNull()
  })

  it('are listed per member, newest first, and revoked by their owner only', async () => {
    await createApiToken(db, token('bb', 'm2'))
    await createApiToken(db, token('ccc', 'm2'))
    await createApiToken(db, token('d', 'm3'))
    expect((await listApiTokens(db, 'acme', 'm2')).map((t) => t.id)).toEqual(['ccc', 'bb'])
    expect(await revokeApiToken(db, 'acme', 'm3', 'bb')).toBe(false)
    expect(await revokeApiToken(db, 'acme', 'm2', 'bb')).toBe(true)
    expect(await revokeApiToken(db, 'acme', 'm2', 'bb')).toBe(false)
    expect(isApiTokenActive((await findApiToken(db, 'acme', 'hash-bb'))!)).toBe(false)
  })

  it('expire, and note their last use at most once a minute', async () => {
    const expiring = await createApiToken(db, token('e', 'm4', { expiresAt: '2026-12-01T00:00:00.000Z' }))
    expect(isApiTokenActive(expiring, new Date('2026-11-30T00:00:00Z'))).toBe(true)
    expect(isApiTokenActive(expiring, new Date('2026-12-01T00:00:00Z'))).toBe(false)
    await touchApiToken(db, expiring, new Date('2026-11-10T10:00:00Z'))
    const touched = (await findApiToken(db, 'acme', 'hash-e'))!
    expect(touched.lastUsedAt).toBe('2026-11-10T10:00:00.000Z')
    await touchApiToken(db, touched, new Date('2026-11-10T10:00:30Z'))
    expect((await findApiToken(db, 'acme', 'hash-e'))!.lastUsedAt).toBe('2026-11-10T10:00:00.000Z')
  })
})

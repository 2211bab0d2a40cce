import { afterAll, describe, expect, it } from 'bun:test'
import {
  getSession,
  isSessionActive,
  listMemberSessions,
  revokeMemberSessions,
  revokeSession,
  rotateRefreshToken,
  startSession,
} from '../src/sessions.ts'
import { createTestDatabase } from '../src/testing.ts'

const db = await createTestDatabase()
afterAll(() => db.drop())

const lifetimes = { absoluteSeconds: 30 * 24 * 3600, idleSeconds: 7 * 24 * 3600 }
const start = new Date('2026-11-02T09:00:00Z')
const later = (seconds: number) => new Date(start.getTime() + seconds * 1000)
let counter = 0
const hash = () => `hash-${++counter}-${crypto.randomUUID()}`

async function begin(memberId = 'm1', deploymentId = 'acme') {
  const first = hash()
  const session = await startSession(
    db,
    { deploymentId, memberId, refreshTokenHash: first, lifetimes },
    start,
  )
  return { session, first }
}

describe('sessions', () => {
  it('starts a session that is active until its idle lifetime', async () => {
    const { session } = await begin()
    expect(session.idleExpiresAt).toBe('2026-11-09T09:00:00.000Z')
    expect(session.absoluteExpiresAt).toBe('2026-12-02T09:00:00.000Z')
    expect(await getSession(db, 'acme', session.id)).toEqual(session)
    expect(isSessionActive(session, later(3600))).toBe(true)
    expect(isSessionActive(session, later(lifetimes.idleSeconds))).toBe(false)
  })

  it('rotates: each refresh token works once and moves the idle expiry on', async () => {
    const { session, first } = await begin()
    const second = hash()
    const rotated = await rotateRefreshToken(
      db,
      { deploymentId: 'acme', refreshTokenHash: first, nextRefreshTokenHash: second, lifetimes },
      later(86_400),
    )
    expect(rotated).toEqual({ ok: true, session: expect.objectContaining({ id: session.id }) })
    if (!rotated.ok) throw new Error('unreachable')
    expect(rotated.session.idleExpiresAt).toBe('2026-11-10T09:00:00.000Z')
    const third = hash()
    const again = await rotateRefreshToken(
      db,
      { deploymentId: 'acme', refreshTokenHash: second, nextRefreshTokenHash: third, lifetimes },
      later(2 * 86_400),
    )
    expect(again.ok).toBe(true)
  })

  it('revokes the whole family when a used token comes back: the newer token fails too', async () => {
    const { session, first } = await begin()
    const second = hash()
    const input = { deploymentId: 'acme', refreshTokenHash: first, nextRefreshTokenHash: second, lifetimes }
    expect((await rotateRefreshToken(db, input, later(60))).ok).toBe(true)
    // The thief (or the owner) presents the first token again.
    expect(await rotateRefreshToken(db, { ...input, nextRefreshTokenHash: hash() }, later(120))).toEqual({
      ok: false,
      reason: 'reused',
    })
    expect(
      await rotateRefreshToken(
        db,
        { deploymentId: 'acme', refreshTokenHash: second, nextRefreshTokenHash: hash(), lifetimes },
        later(180),
      ),
    ).toEqual({ ok: false, reason: 'ended' })
    const stored = await getSession(db, 'acme', session.id)
    expect(stored?.revokedReason).toBe('a refresh token was used twice')
  })

  it('lets exactly one of two concurrent uses of the same token win, and then ends the session', async () => {
    const { first } = await begin()
    const results = await Promise.all(
      [hash(), hash()].map((next) =>
        rotateRefreshToken(
          db,
          { deploymentId: 'acme', refreshTokenHash: first, nextRefreshTokenHash: next, lifetimes },
          later(60),
        ),
      ),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'reused' }])
  })

  it('refuses an unknown token, a token of another deployment, and a session past its lifetime', async () => {
    const { first } = await begin('m2', 'tenant-a')
    const next = hash()
    expect(
      await rotateRefreshToken(
        db,
        { deploymentId: 'tenant-b', refreshTokenHash: first, nextRefreshTokenHash: next, lifetimes },
        later(60),
      ),
    ).toEqual({ ok: false, reason: 'unknown' })
    expect(
      await rotateRefreshToken(
        db,
        { deploymentId: 'tenant-a', refreshTokenHash: 'nope', nextRefreshTokenHash: next, lifetimes },
        later(60),
      ),
    ).toEqual({ ok: false, reason: 'unknown' })
    expect(
      await rotateRefreshToken(
        db,
        { deploymentId: 'tenant-a', refreshTokenHash: first, nextRefreshTokenHash: next, lifetimes },
        later(lifetimes.idleSeconds + 1),
      ),
    ).toEqual({ ok: false, reason: 'ended' })
  })

  it('never extends a session past its absolute lifetime', async () => {
    let { first: token } = await begin('m3')
    let session = null
    for (let day = 6; day <= 36; day += 6) {
      const next = hash()
      const result = await rotateRefreshToken(
        db,
        { deploymentId: 'acme', refreshTokenHash: token, nextRefreshTokenHash: next, lifetimes },
        later(day * 86_400),
      )
      if (!result.ok) {
        expect(result.reason).toBe('ended')
        expect(day).toBeGreaterThanOrEqual(30)
        break
      }
      session = result.session
      expect(session.idleExpiresAt <= session.absoluteExpiresAt).toBe(true)
      token = next
    }
    expect(session).not.toBeNull()
  })

  it('ends every session of a member at once (sign-out everywhere, removal)', async () => {
    const a = await begin('m4')
    const b = await begin('m4')
    await begin('m5')
    expect((await listMemberSessions(db, 'acme', 'm4')).map((s) => s.id).sort()).toEqual(
      [a.session.id, b.session.id].sort(),
    )
    expect(await revokeMemberSessions(db, 'acme', 'm4', 'removed by an admin', later(60))).toBe(2)
    expect(await revokeMemberSessions(db, 'acme', 'm4', 'removed by an admin', later(60))).toBe(0)
    const result = await rotateRefreshToken(
      db,
      { deploymentId: 'acme', refreshTokenHash: a.first, nextRefreshTokenHash: hash(), lifetimes },
      later(120),
    )
    expect(result).toEqual({ ok: false, reason: 'ended' })
    expect((await listMemberSessions(db, 'acme', 'm5')).every((s) => isSessionActive(s, later(60)))).toBe(
      true,
    )
  })

  it('keeps the first reason when a session is ended twice', async () => {
    const { session } = await begin('m6')
    await revokeSession(db, 'acme', session.id, 'signed out', later(10))
    await revokeSession(db, 'acme', session.id, 'removed by an admin', later(20))
    expect((await getSession(db, 'acme', session.id))?.revokedReason).toBe('signed out')
    await revokeSession(db, 'acme', 'no-such-session', 'signed out', later(30))
    expect(await getSession(db, 'acme', 'no-such-session')).toBeNull()
  })
})

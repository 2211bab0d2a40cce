import { describe, expect, it } from 'bun:test'
import { isAppError } from '@percolate/domain/errors'
import { base64url, exportSPKI, SignJWT, UnsecuredJWT } from 'jose'
import {
  ACCESS_TOKEN_LIFETIME_SECONDS,
  createAccessTokens,
  exportSigningKeys,
  generateSigningKeys,
  importPrivateSigningKey,
  importSigningKeys,
} from '../src/access-token.ts'
import { generateOpaqueToken } from '../src/opaque-token.ts'

const issuer = 'https://percolate.example'
const audience = 'percolate'
const keys = await generateSigningKeys()
const tokens = createAccessTokens({ keys, issuer, audience })
const claims = { sub: 'member-1', dep: 'acme', sid: 'session-1', role: 'member' as const }

async function rejection(token: string, verifier = tokens): Promise<string> {
  try {
    await verifier.verify(token)
  } catch (error) {
    if (isAppError(error)) return `${error.code}: ${error.message}`
    throw error
  }
  throw new Error('the token was accepted')
}

const header = { alg: 'ES256', typ: 'at+jwt' }
const body = { ...claims, token_use: 'access' }

function signed(payload: object, protectedHeader: object = header) {
  return new SignJWT(payload as Record<string, unknown>)
    .setProtectedHeader(protectedHeader as { alg: string })
    .setSubject(claims.sub)
    .setIssuedAt()
}

describe('access tokens', () => {
  it('round-trips the claims of a session', async () => {
    const { token, expiresAt } = await tokens.issue(claims)
    expect(await tokens.verify(token)).toEqual({ ...claims, token_use: 'access' })
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan((ACCESS_TOKEN_LIFETIME_SECONDS - 5) * 1000)
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(ACCESS_TOKEN_LIFETIME_SECONDS * 1000)
  })

  it('accepts a token built by the same helper as the cases below when nothing is wrong with it', async () => {
    const token = await signed(body)
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(keys.privateKey)
    expect((await tokens.verify(token)).dep).toBe('acme')
  })

  const cases: [string, () => Promise<string>, string][] = [
    [
      'alg "none"',
      async () =>
        new UnsecuredJWT(body)
          .setSubject(claims.sub)
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .encode(),
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'HS256 signed with the public key (algorithm confusion)',
      async () => {
        const publicPem = await exportSPKI(keys.publicKey)
        return signed(body, { alg: 'HS256', typ: 'at+jwt' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(publicPem))
      },
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'a wrong audience',
      () => signed(body).setIssuer(issuer).setAudience('other').setExpirationTime('5m').sign(keys.privateKey),
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'a wrong issuer',
      () =>
        signed(body)
          .setIssuer('https://evil.example')
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign(keys.privateKey),
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'an expired token',
      () =>
        signed(body)
          .setIssuer(issuer)
          .setAudience(audience)
          .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 600)
          .sign(keys.privateKey),
      'UNAUTHENTICATED: Your session has expired. Sign in again.',
    ],
    [
      'no expiry',
      () => signed(body).setIssuer(issuer).setAudience(audience).sign(keys.privateKey),
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'another JWT type (an ID token)',
      () =>
        signed(body, { alg: 'ES256', typ: 'JWT' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign(keys.privateKey),
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'a token meant for another use',
      () =>
        signed({ ...body, token_use: 'refresh' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign(keys.privateKey),
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'a token without a deployment',
      () =>
        signed({ ...body, dep: undefined })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign(keys.privateKey),
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'a refresh token presented as an access token',
      async () => generateOpaqueToken(),
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'a token with a changed payload',
      async () => {
        const { token } = await tokens.issue(claims)
        const [h, , s] = token.split('.')
        const forged = base64url.encode(
          JSON.stringify({ ...body, role: 'admin', iss: issuer, aud: audience }),
        )
        return `${h}.${forged}.${s}`
      },
      'UNAUTHENTICATED: Not signed in.',
    ],
    [
      'a token signed by another key',
      async () => {
        const other = createAccessTokens({ keys: await generateSigningKeys(), issuer, audience })
        return (await other.issue(claims)).token
      },
      'UNAUTHENTICATED: Not signed in.',
    ],
  ]

  for (const [name, make, expected] of cases) {
    it(`rejects ${name}`, async () => {
      expect(await rejection(await make())).toBe(expected)
    })
  }

  it('imports the key pair it exports, and says what it expected when the PEM is wrong', async () => {
    const pems = await exportSigningKeys(keys)
    const imported = await importSigningKeys(pems.privatePem, pems.publicPem)
    const { token } = await createAccessTokens({ keys: imported, issuer, audience }).issue(claims)
    expect((await tokens.verify(token)).sub).toBe('member-1')
    const derived = await importPrivateSigningKey(pems.privatePem)
    const fromPrivate = await createAccessTokens({ keys: derived, issuer, audience }).issue(claims)
    expect((await tokens.verify(fromPrivate.token)).sub).toBe('member-1')
    await expect(importPrivateSigningKey('-----BEGIN PRIVATE KEY-----\nnope')).rejects.toThrow(
      'signing key: expected a P-256 private key in PKCS#8 PEM',
    )
    await expect(importSigningKeys('not a key', pems.publicPem)).rejects.toThrow(
      'signing key: expected a P-256 key pair in PEM (PKCS#8 and SPKI)',
    )
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { isAppError } from '@percolate/domain/errors'
import { type LocalIdentityProvider, startLocalIdentityProvider } from '../src/local-identity-provider.ts'
import { signInAtLocalProvider } from '../src/local-login.ts'
import { createOidcClient, type OidcClient } from '../src/oidc.ts'

const redirectUri = 'http://127.0.0.1:9/auth/callback/local'
const ada = { id: 'ada-sub', email: 'ada@democo.example', name: 'Ada Meyer', password: 'percolate-demo' }
let provider: LocalIdentityProvider
let oidc: OidcClient

beforeAll(async () => {
  provider = await startLocalIdentityProvider({
    accounts: [ada],
    clients: [{ clientId: 'percolate-test', redirectUris: [redirectUri] }],
  })
  oidc = await createOidcClient({
    issuer: provider.issuer,
    clientId: 'percolate-test',
    redirectUri,
    allowInsecureRequests: true,
  })
})
afterAll(() => provider.stop())

async function message(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isAppError(error)) return `${error.code}: ${error.message}`
    throw error
  }
  return 'accepted'
}

async function login(password = ada.password) {
  const { url, checks } = await oidc.begin()
  const { callbackUrl, loginStatus } = await signInAtLocalProvider(
    url,
    { email: ada.email, password },
    redirectUri,
  )
  return { url, checks, callbackUrl, loginStatus }
}

describe('OIDC sign-in against a real provider', () => {
  it('asks for PKCE S256, state and nonce, and returns the verified identity', async () => {
    const { url, checks, callbackUrl } = await login()
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('state')).toBe(checks.state)
    expect(url.searchParams.get('nonce')).toBe(checks.nonce)
    expect(url.searchParams.has('code_verifier')).toBe(false)
    expect(await oidc.complete(callbackUrl, checks)).toEqual({
      issuer: provider.issuer,
      subject: 'ada-sub',
      email: 'ada@democo.example',
      emailVerified: true,
      name: 'Ada Meyer',
      hostedDomain: undefined,
    })
  })

  it('shows the login form again on a wrong password', async () => {
    expect((await login('wrong')).loginStatus).toBe(401)
  })

  it('rejects a callback whose state does not match the attempt', async () => {
    const { checks, callbackUrl } = await login()
    callbackUrl.searchParams.set('state', 'forged')
    expect(await message(oidc.complete(callbackUrl, checks))).toBe(
      'UNAUTHENTICATED: The identity provider did not confirm who you are. Start again.',
    )
  })

  it('rejects an ID token whose nonce belongs to another attempt (replay)', async () => {
    const first = await login()
    const second = await oidc.begin()
    expect(
      await message(oidc.complete(first.callbackUrl, { ...first.checks, nonce: second.checks.nonce })),
    ).toBe('UNAUTHENTICATED: The identity provider did not confirm who you are. Start again.')
  })

  it('rejects the second use of a callback URL (the code is single-use)', async () => {
    const { checks, callbackUrl } = await login()
    await oidc.complete(callbackUrl, checks)
    expect(await message(oidc.complete(callbackUrl, checks))).toBe(
      'UNAUTHENTICATED: The identity provider did not confirm who you are. Start again.',
    )
  })

  it('rejects a code exchanged with another PKCE verifier', async () => {
    const { checks, callbackUrl } = await login()
    const other = await oidc.begin()
    expect(
      await message(oidc.complete(callbackUrl, { ...checks, codeVerifier: other.checks.codeVerifier })),
    ).toBe('UNAUTHENTICATED: The identity provider did not confirm who you are. Start again.')
  })

  it('rejects a callback for an attempt that went to another issuer (mix-up)', async () => {
    const { checks, callbackUrl } = await login()
    expect(
      await message(oidc.complete(callbackUrl, { ...checks, issuer: 'https://accounts.google.com' })),
    ).toBe('UNAUTHENTICATED: This sign-in was started with another identity provider. Start again.')
  })

  it('says which provider could not be reached', async () => {
    expect(
      await message(
        createOidcClient({
          issuer: 'http://127.0.0.1:9',
          clientId: 'x',
          redirectUri,
          allowInsecureRequests: true,
        }),
      ),
    ).toBe('UNAVAILABLE: The identity provider at http://127.0.0.1:9 could not be reached')
  })
})

// Sign-in and sessions over HTTP, against real OpenID Providers (oidc-provider) and DynamoDB Local: the happy
// path, and a table of attacks with the response the client sees.
import { afterAll, describe, expect, it } from 'bun:test'
import { createAccessTokens, generateSigningKeys } from '@percolate/auth/access-token'
import {
  type LocalIdentityProvider,
  startLocalIdentityProvider,
} from '@percolate/auth/local-identity-provider'
import { CookieJar, signInAtLocalProvider } from '@percolate/auth/local-login'
import { createDeployment } from '@percolate/db/deployments'
import { getMember } from '@percolate/db/members'
import { revokeMemberSessions } from '@percolate/db/sessions'
import { createTestDatabase } from '@percolate/db/testing'
import { deploymentSettingsSchema } from '@percolate/domain/deployment'
import { createTRPCClient, httpBatchLink, type TRPCClientError } from '@trpc/client'

type FetchEsque = NonNullable<Parameters<typeof httpBatchLink>[0]['fetch']>

import { createApp } from '../src/app.ts'
import { CSRF_HEADER } from '../src/auth/request-guard.ts'
import { createAuthService, LOCAL_CLIENT_ID } from '../src/auth/service.ts'
import { DEMO_PASSWORD, demoAccounts } from '../src/auth/setup.ts'
import { readEnv } from '../src/env.ts'
import { DEMO_DEPLOYMENT_ID, seedDemo } from '../src/local/demo-seed.ts'
import { silentLogger } from '../src/log.ts'
import type { AppRouter } from '../src/trpc/router.ts'

const PUBLIC = 'http://percolate.test'
const db = await createTestDatabase()
await seedDemo(db, new Date(), 0)
await createDeployment(
  db,
  'gco',
  deploymentSettingsSchema.parse({
    name: 'G Co',
    timeZone: 'Europe/London',
    schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
    meetingSize: 2,
    enabledChannels: ['email'],
    allowedEmailDomains: ['gco.example'],
    identityProviders: [{ kind: 'google', clientId: 'google-test' }],
  }),
)
const localIdp: LocalIdentityProvider = await startLocalIdentityProvider({
  accounts: demoAccounts(),
  clients: [{ clientId: LOCAL_CLIENT_ID, redirectUris: [`${PUBLIC}/auth/callback/local`] }],
})
// Stands in for accounts.google.com: same protocol, with the `hd` claim Google sends for Workspace accounts.
const googleIdp = await startLocalIdentityProvider({
  accounts: [
    { id: 'g1', email: 'gwen@gco.example', name: 'Gwen', password: 'pw', hostedDomain: 'gco.example' },
    { id: 'g2', email: 'gary@gco.example', name: 'Gary (personal account)', password: 'pw' },
    { id: 'g3', email: 'gill@gco.example', name: 'Gill', password: 'pw', hostedDomain: 'other.example' },
  ],
  clients: [{ clientId: 'google-test', redirectUris: [`${PUBLIC}/auth/callback/google`] }],
})
const env = readEnv({
  PERCOLATE_MODE: 'local',
  PUBLIC_URL: PUBLIC,
  TRUST_PROXY: 'true',
  DYNAMODB_TABLE: db.tableName,
})
const auth = await createAuthService({
  db,
  env,
  logger: silentLogger,
  localIssuer: localIdp.issuer,
  googleIssuer: googleIdp.issuer,
})
const app = createApp({ db, env, logger: silentLogger, auth })

afterAll(async () => {
  await localIdp.stop()
  await googleIdp.stop()
  await db.drop()
})

let clients = 0

/** One browser: its own cookie jar and client address (rate limits count per address). */
function browser() {
  const jar = new CookieJar()
  const address = `10.0.0.${++clients}`
  const request = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
    const response = await app.handle(
      new Request(new URL(path, PUBLIC).href, {
        ...init,
        headers: { 'x-forwarded-for': address, cookie: jar.header(), ...init.headers },
      }),
    )
    jar.store(response)
    return response
  }
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(path, {
      method: 'POST',
      headers: { [CSRF_HEADER]: '1', origin: PUBLIC, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const me = async () => {
    const response = await request('/trpc/auth.me')
    const body = (await response.json()) as {
      result?: { data: { id: string; name: string } }
      error?: unknown
    }
    return { status: response.status, body }
  }

  /** Sign-in up to the provider's redirect back: the callback URL, not yet visited. */
  async function startSignIn(
    email: string,
    options: { provider?: string; deployment?: string; returnTo?: string; password?: string } = {},
  ) {
    const provider = options.provider ?? 'local'
    const query = new URLSearchParams({ deployment: options.deployment ?? DEMO_DEPLOYMENT_ID })
    if (options.returnTo !== undefined) query.set('returnTo', options.returnTo)
    const login = await request(`/auth/login/${provider}?${query}`)
    expect(login.status).toBe(302)
    const { callbackUrl, loginStatus } = await signInAtLocalProvider(
      new URL(login.headers.get('location')!),
      { email, password: options.password ?? (provider === 'google' ? 'pw' : DEMO_PASSWORD) },
      `${PUBLIC}/auth/callback/${provider}`,
    )
    if (loginStatus === 401) throw new Error(`the provider refused the password of ${email}`)
    return callbackUrl
  }

  async function signIn(email: string, options: Parameters<typeof startSignIn>[1] = {}) {
    const callbackUrl = await startSignIn(email, options)
    const callback = await request(`${callbackUrl.pathname}${callbackUrl.search}`)
    return { status: callback.status, location: callback.headers.get('location'), callbackUrl, callback }
  }

  return { jar, request, post, me, startSignIn, signIn }
}

describe('sign-in', () => {
  it('signs a demo member in through the local provider and knows them from the session', async () => {
    const ada = browser()
    const result = await ada.signIn('ada.meyer@democo.example', { returnTo: '/history?round=2' })
    expect(result.status).toBe(302)
    expect(result.location).toBe('/history?round=2')
    const cookies = result.callback.headers.getSetCookie().join('\n')
    expect(cookies).toContain('percolate-access=')
    expect(cookies).toMatch(/percolate-refresh=[^;]+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Strict/)
    const me = await ada.me()
    expect(me.status).toBe(200)
    expect(me.body.result?.data).toMatchObject({ id: 'demo-01', name: 'Ada Meyer', role: 'admin' })
    // The first sign-in linked the seeded member to the provider's (issuer, subject).
    expect((await getMember(db, DEMO_DEPLOYMENT_ID, 'demo-01'))?.identities).toEqual([
      { issuer: localIdp.issuer, subject: 'demo-01' },
    ])
  })

  it('registers a newcomer from an allowed domain and sends them to onboarding', async () => {
    const newcomer = browser()
    const result = await newcomer.signIn('new.joiner@democo.example')
    expect(result.location).toBe('/onboarding')
    const me = await newcomer.me()
    expect(me.body.result?.data).toMatchObject({ name: 'New Joiner', role: 'member', onboarded: false })
  })

  it('turns away a person whose email domain is not allowed, to a page that says so', async () => {
    const outsider = browser()
    const result = await outsider.signIn('olga@elsewhere.example')
    expect(result.location).toBe('/sign-in?error=domain')
    expect((await outsider.me()).status).toBe(401)
  })

  it('lets a Google Workspace account of an allowed domain in, and refuses a wrong or missing hd', async () => {
    const gwen = await browser().signIn('gwen@gco.example', { provider: 'google', deployment: 'gco' })
    expect(gwen.location).toBe('/onboarding')
    const personal = await browser().signIn('gary@gco.example', { provider: 'google', deployment: 'gco' })
    expect(personal.location).toBe('/sign-in?error=domain')
    const wrongHd = await browser().signIn('gill@gco.example', { provider: 'google', deployment: 'gco' })
    expect(wrongHd.location).toBe('/sign-in?error=domain')
  })

  it("offers each workspace's providers on the sign-in page", async () => {
    const response = await browser().request('/trpc/auth.signInOptions')
    const options = (
      (await response.json()) as { result: { data: { id: string; providers: { key: string }[] }[] } }
    ).result.data
    expect(options.find((o) => o.id === 'demo')?.providers.map((p) => p.key)).toEqual(['local'])
    expect(options.find((o) => o.id === 'gco')?.providers.map((p) => p.key)).toEqual(['google'])
  })
})

describe('sessions', () => {
  it('refreshes with rotation; a reused refresh token ends the session, and the newer token fails too', async () => {
    const ben = browser()
    await ben.signIn('ben.rossi@democo.example')
    const first = ben.jar.get('percolate-refresh')!
    expect((await ben.post('/auth/refresh')).status).toBe(200)
    const second = ben.jar.get('percolate-refresh')!
    expect(second).not.toBe(first)
    // An attacker replays the first refresh token.
    const thief = browser()
    thief.jar.set('percolate-refresh', first)
    const replay = await thief.post('/auth/refresh')
    expect(replay.status).toBe(401)
    expect(await replay.json()).toEqual({ error: 'Your session has ended. Sign in again.' })
    // The owner's newer token is dead as well, and so is the session behind the access token.
    const after = await ben.post('/auth/refresh')
    expect(after.status).toBe(401)
    expect((await ben.me()).status).toBe(401)
  })

  it('signs out: the session ends and protected procedures say so', async () => {
    const cem = browser()
    expect((await cem.signIn('chiara.nowak@democo.example')).location).toBe('/')
    expect((await cem.me()).status).toBe(200)
    const access = cem.jar.get('percolate-access')!
    const out = await cem.post('/auth/logout')
    expect(out.status).toBe(200)
    expect(cem.jar.get('percolate-access')).toBeUndefined()
    // Even a copy of the access token kept from before no longer works.
    const copy = browser()
    copy.jar.set('percolate-access', access)
    const me = await copy.me()
    expect(me.status).toBe(401)
  })

  it('ends every session of a member an admin removed', async () => {
    const dora = browser()
    await dora.signIn('dmitri.okafor@democo.example')
    const other = browser()
    await other.signIn('dmitri.okafor@democo.example')
    expect((await dora.me()).status).toBe(200)
    expect(await revokeMemberSessions(db, DEMO_DEPLOYMENT_ID, 'demo-04', 'removed by an admin')).toBe(2)
    expect((await dora.me()).status).toBe(401)
    expect((await other.post('/auth/refresh')).status).toBe(401)
  })
})

describe('attacks', () => {
  /** A well-formed access token signed with a key that is not the server's. */
  const forge = async () => {
    const other = createAccessTokens({
      keys: await generateSigningKeys(),
      issuer: PUBLIC,
      audience: 'percolate',
    })
    return (await other.issue({ sub: 'demo-01', dep: 'demo', sid: 'x', role: 'admin' })).token
  }

  const cases: [string, () => Promise<Response>, number, unknown][] = [
    [
      'an access token signed by someone else',
      async () => {
        const b = browser()
        b.jar.set('percolate-access', await forge())
        return b.request('/trpc/auth.me')
      },
      401,
      'Sign in to continue.',
    ],
    [
      'a refresh token used as the access token',
      async () => {
        const b = browser()
        await b.signIn('elif.tanaka@democo.example')
        b.jar.set('percolate-access', b.jar.get('percolate-refresh')!.split('.')[1]!)
        return b.request('/trpc/auth.me')
      },
      401,
      'Sign in to continue.',
    ],
    [
      'a callback whose state was changed',
      async () => {
        const b = browser()
        const callback = await b.startSignIn('farah.silva@democo.example')
        callback.searchParams.set('state', 'forged-state')
        return b.request(`${callback.pathname}${callback.search}`)
      },
      302,
      '/sign-in?error=expired',
    ],
    [
      'the second use of a callback URL',
      async () => {
        const b = browser()
        const callback = await b.startSignIn('farah.silva@democo.example')
        await b.request(`${callback.pathname}${callback.search}`)
        b.jar.set('percolate-login', 'demo.whatever')
        return b.request(`${callback.pathname}${callback.search}`)
      },
      302,
      '/sign-in?error=expired',
    ],
    [
      'a callback in another browser than the one that started the sign-in',
      async () => {
        const victim = browser()
        const callback = await victim.startSignIn('farah.silva@democo.example')
        return browser().request(`${callback.pathname}${callback.search}`)
      },
      302,
      '/sign-in?error=expired',
    ],
    [
      'returnTo //evil.example',
      async () => {
        const b = browser()
        const result = await b.signIn('ada.meyer@democo.example', { returnTo: '//evil.example' })
        return new Response(null, { status: result.status, headers: { location: result.location! } })
      },
      302,
      '/',
    ],
    [
      'returnTo /%5Cevil.example',
      async () => {
        const b = browser()
        const result = await b.signIn('ada.meyer@democo.example', { returnTo: '/%5Cevil.example' })
        return new Response(null, { status: result.status, headers: { location: result.location! } })
      },
      302,
      '/',
    ],
    [
      'a cross-site text/plain POST to a mutation',
      async () => {
        const b = browser()
        await b.signIn('ada.meyer@democo.example')
        return b.request('/trpc/auth.me', {
          method: 'POST',
          headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
          body: '{}',
        })
      },
      403,
      {
        error: {
          code: 'FORBIDDEN',
          message: 'Missing the x-percolate-csrf header: requests must come from the app',
        },
      },
    ],
    [
      'a mutation without Origin',
      async () => {
        const b = browser()
        await b.signIn('ada.meyer@democo.example')
        return b.request('/trpc/auth.me', {
          method: 'POST',
          headers: { [CSRF_HEADER]: '1', 'content-type': 'application/json' },
          body: '{}',
        })
      },
      403,
      { error: { code: 'FORBIDDEN', message: 'Missing the Origin header: requests must come from the app' } },
    ],
    [
      'a sign-out posted from another site',
      async () => {
        const b = browser()
        await b.signIn('ada.meyer@democo.example')
        return b.post('/auth/logout', undefined, { origin: 'https://evil.example' })
      },
      403,
      { error: 'Cross-origin request refused: https://evil.example is not http://percolate.test' },
    ],
    [
      'a session of deployment A read as deployment B (a member id that is not in B)',
      async () => {
        const b = browser()
        b.jar.set(
          'percolate-access',
          (await auth.accessTokens.issue({ sub: 'demo-01', dep: 'gco', sid: 'any', role: 'admin' })).token,
        )
        return b.request('/trpc/auth.me')
      },
      401,
      'Your session has ended. Sign in again.',
    ],
  ]

  for (const [name, attack, status, expected] of cases) {
    it(`refuses ${name}`, async () => {
      const response = await attack()
      expect(response.status).toBe(status)
      if (status === 302) expect(response.headers.get('location')).toBe(expected as string)
      else if (typeof expected === 'string') {
        const body = (await response.json()) as { error: { message: string } }
        expect(body.error.message).toBe(expected)
      } else expect(await response.json()).toEqual(expected)
    })
  }

  it('limits /auth/* per client address', async () => {
    const b = browser()
    const statuses: number[] = []
    for (let i = 0; i < 32; i++) statuses.push((await b.request('/auth/login/local?deployment=demo')).status)
    expect(statuses.slice(0, 30).every((s) => s === 302)).toBe(true)
    const limited = await b.request('/auth/login/local?deployment=demo')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('personal API tokens', () => {
  const client = (token: string) =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${PUBLIC}/trpc`,
          headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '10.9.9.9' },
          // In-process: the same app without a socket. (tRPC's fetch type is structural; Bun's Response fits.)
          fetch: ((input: string, init?: RequestInit) =>
            app.handle(new Request(input, init))) as unknown as FetchEsque,
        }),
      ],
    })
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: TRPCClientError<AppRouter>) => `${error.data?.code}: ${error.message}`,
    )

  it('are created in a browser session, shown once, and work in a typed client as that member', async () => {
    const ada = browser()
    await ada.signIn('ada.meyer@democo.example')
    const created = await ada.post('/trpc/tokens.create', { name: 'stats script', expiresInDays: 30 })
    expect(created.status).toBe(200)
    const { token, id } = ((await created.json()) as { result: { data: { token: string; id: string } } })
      .result.data
    expect(token).toStartWith('pct.demo.')
    const me = await client(token).auth.me.query()
    expect(me).toMatchObject({ id: 'demo-01', via: 'token', sessionExpiresAt: null })
    // The list never shows the secret again.
    const list = await ada.request('/trpc/tokens.list')
    const listed = JSON.stringify(await list.json())
    expect(listed).toContain(id)
    expect(listed).not.toContain(token.split('.')[2]!)
    // A token cannot manage tokens.
    expect(await failure(client(token).tokens.create.mutate({ name: 'more', expiresInDays: 30 }))).toBe(
      'FORBIDDEN: Sign in with your browser to do this; API tokens cannot.',
    )
    // Revoked, it stops working at once.
    expect((await ada.post('/trpc/tokens.revoke', { id })).status).toBe(200)
    expect(await failure(client(token).auth.me.query())).toBe('UNAUTHORIZED: Sign in to continue.')
  })

  it("refuses garbage, another deployment's prefix, and names a bad field when creating one", async () => {
    expect(await failure(client('not-a-token').auth.me.query())).toBe('UNAUTHORIZED: Sign in to continue.')
    const ada = browser()
    await ada.signIn('ada.meyer@democo.example')
    const created = await ada.post('/trpc/tokens.create', { name: 'x', expiresInDays: 30 })
    const { token } = ((await created.json()) as { result: { data: { token: string } } }).result.data
    expect(await failure(client(token.replace('pct.demo.', 'pct.gco.')).auth.me.query())).toBe(
      'UNAUTHORIZED: Sign in to continue.',
    )
    const bad = await ada.post('/trpc/tokens.create', { name: '', expiresInDays: 7 })
    expect(bad.status).toBe(400)
    const message = ((await bad.json()) as { error: { message: string } }).error.message
    expect(message).toContain('name: is required')
    expect(message).toContain('expiresInDays: must be 30, 90 or 365 days, or null for no expiry')
  })
})

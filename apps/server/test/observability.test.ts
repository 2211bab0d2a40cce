// Metrics, request ids and access logs: what an operator's Prometheus and log collector get from the server.
import { afterAll, describe, expect, it } from 'bun:test'
import { generateOpaqueToken, hashOpaqueToken } from '@percolate/auth/opaque-token'
import { startSession } from '@percolate/db/sessions'
import { createApp, StartError, startServer } from '../src/app.ts'
import { CSRF_HEADER } from '../src/auth/request-guard.ts'
import { createAuthService, SESSION_LIFETIMES } from '../src/auth/service.ts'
import { readEnv } from '../src/env.ts'
import { createLogger, maskEmailAddresses } from '../src/log.ts'
import { createServerMetrics } from '../src/metrics.ts'
import { startMetricsServer } from '../src/metrics-server.ts'
import { createRouteLabeler } from '../src/request-observer.ts'
import { db, env, member } from './support.ts'

const lines: string[] = []
const logger = createLogger('debug', (line) => lines.push(line))
const metrics = createServerMetrics()
const auth = await createAuthService({ db, env, logger, metrics })
const app = createApp({ db, env, logger, auth, metrics })
const origin = new URL(env.PUBLIC_URL).origin

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const get = (path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://localhost${path}`, { headers }))

/** The log lines written since `from`, parsed. */
const logged = (from: number) => lines.slice(from).map((line) => JSON.parse(line) as Record<string, unknown>)

async function requests(procedure: string, status: string, method = 'GET'): Promise<number> {
  const { values } = await metrics.httpRequests.get()
  return (
    values.find(
      (v) => v.labels.procedure === procedure && v.labels.status === status && v.labels.method === method,
    )?.value ?? 0
  )
}

async function timed(procedure: string, status: string): Promise<number> {
  const { values } = await metrics.httpRequestDuration.get()
  return (
    values.find(
      (v) =>
        v.metricName === 'percolate_http_request_duration_seconds_count' &&
        v.labels.procedure === procedure &&
        v.labels.status === status,
    )?.value ?? 0
  )
}

/** A signed-in browser's access cookie for a new member with a session. */
async function signedIn() {
  const m = await member()
  const session = await startSession(db, {
    deploymentId: m.deploymentId,
    memberId: m.id,
    refreshTokenHash: hashOpaqueToken(generateOpaqueToken()),
    lifetimes: SESSION_LIFETIMES,
  })
  const { token } = await auth.accessTokens.issue({
    sub: m.id,
    dep: m.deploymentId,
    sid: session.id,
    role: m.role,
  })
  return { member: m, cookie: `percolate-access=${token}` }
}

describe('request metrics', () => {
  it('counts and times a tRPC call by its procedure and status', async () => {
    const before = { count: await requests('health', '200'), timed: await timed('health', '200') }
    expect((await get('/trpc/health')).status).toBe(200)
    expect(await requests('health', '200')).toBe(before.count + 1)
    expect(await timed('health', '200')).toBe(before.timed + 1)
  })

  it('counts each call of a batch with its own status', async () => {
    const before = { health: await requests('health', '200'), me: await requests('me.get', '401') }
    const input = encodeURIComponent(JSON.stringify({}))
    const response = await get(`/trpc/health,me.get?batch=1&input=${input}`)
    expect(response.status).toBe(207)
    expect(await requests('health', '200')).toBe(before.health + 1)
    expect(await requests('me.get', '401')).toBe(before.me + 1)
  })

  it('counts a signed-in call as a success of its procedure', async () => {
    const { cookie } = await signedIn()
    const before = await requests('me.get', '200')
    expect((await get('/trpc/me.get', { cookie })).status).toBe(200)
    expect(await requests('me.get', '200')).toBe(before + 1)
  })

  it('labels routes by their template and anything unknown as "other", never by the URL', async () => {
    const before = {
      other404: await requests('other', '404'),
      login: await requests('/auth/login/:provider', '302'),
      actions: await requests('/actions/:action', '400', 'GET'),
    }
    expect((await get('/index.html?probe=1')).status).toBe(404)
    expect((await get('/wp-admin/setup-config.php')).status).toBe(404)
    expect((await get('/trpc/no.such.procedure')).status).toBe(404)
    expect((await get('/auth/login/not-a-provider?deployment=acme')).status).toBe(302)
    expect((await get('/actions/pause?token=garbage')).status).toBe(400)
    expect(await requests('other', '404')).toBe(before.other404 + 3)
    expect(await requests('/auth/login/:provider', '302')).toBe(before.login + 1)
    expect(await requests('/actions/:action', '400')).toBe(before.actions + 1)
    const exposition = await metrics.registry.metrics()
    for (const raw of ['index.html', 'wp-admin', 'no.such.procedure', 'not-a-provider', 'garbage', 'probe']) {
      expect(exposition).not.toContain(raw)
    }
  })

  it('matches fixed routes before templates, and a method of its own as "other"', async () => {
    const routeOf = createRouteLabeler(['/auth/:x', '/auth/refresh', '/trpc/*', '/healthz'])
    expect(routeOf('/auth/refresh')).toBe('/auth/refresh')
    expect(routeOf('/auth/elsewhere')).toBe('/auth/:x')
    expect(routeOf('/auth/a/b')).toBe('other')
    expect(routeOf('/trpc/me.get,health')).toBe('/trpc/*')
    expect(routeOf('/healthz/')).toBe('/healthz')
    const before = await requests('/healthz', '404', 'other')
    await app.handle(new Request('http://localhost/healthz', { method: 'PROPFIND' }))
    expect(await requests('/healthz', '404', 'other')).toBe(before + 1)
  })
})

describe('refresh-token reuse', () => {
  it('counts a reused refresh token, and logs it with the request id and no email', async () => {
    const m = await member()
    const first = generateOpaqueToken()
    await startSession(db, {
      deploymentId: m.deploymentId,
      memberId: m.id,
      refreshTokenHash: hashOpaqueToken(first),
      lifetimes: SESSION_LIFETIMES,
    })
    const refresh = (token: string) =>
      app.handle(
        new Request('http://localhost/auth/refresh', {
          method: 'POST',
          headers: { [CSRF_HEADER]: '1', origin, cookie: `percolate-refresh=${m.deploymentId}.${token}` },
        }),
      )
    const before = (await metrics.refreshTokenReuse.get()).values[0]?.value ?? 0
    expect((await refresh(first)).status).toBe(200)
    expect((await metrics.refreshTokenReuse.get()).values[0]?.value ?? 0).toBe(before)
    const from = lines.length
    const replay = await refresh(first)
    expect(replay.status).toBe(401)
    expect((await metrics.refreshTokenReuse.get()).values[0]?.value).toBe(before + 1)
    const requestId = replay.headers.get('x-request-id')
    const warning = logged(from).find((line) => line.message === 'refresh token reuse: session revoked')
    expect(warning).toMatchObject({ level: 'warn', requestId, deploymentId: m.deploymentId })
    expect(JSON.stringify(warning)).not.toContain(m.email)
  })
})

describe('the /metrics listener', () => {
  const listener = startMetricsServer({ hostname: '127.0.0.1', port: 0, metrics })
  afterAll(() => listener.stop())

  it('serves the text exposition on its own port', async () => {
    const response = await fetch(listener.url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const text = await response.text()
    expect(text).toContain('# TYPE percolate_http_requests_total counter')
    expect(text).toContain('# TYPE percolate_http_request_duration_seconds histogram')
    expect(text).toContain('# TYPE percolate_refresh_token_reuse_total counter')
    expect(text).toMatch(/percolate_http_requests_total\{procedure="health",method="GET",status="200"\} \d+/)
    expect(text).toContain('percolate_http_request_duration_seconds_bucket{le="0.005",procedure="health"')
    expect((await fetch(`http://127.0.0.1:${listener.port}/`)).status).toBe(404)
    expect((await fetch(listener.url, { method: 'POST' })).status).toBe(405)
  })

  it('is not part of the app: the API answers 404 for /metrics', async () => {
    const response = await get('/metrics')
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('percolate_')
  })

  it('adds the process metrics when asked to', async () => {
    const text = await createServerMetrics({ processMetrics: true }).registry.metrics()
    expect(text).toContain('percolate_process_cpu_seconds_total')
    expect(text).toContain('percolate_process_resident_memory_bytes')
    expect(text).toContain('percolate_nodejs_eventloop_lag_seconds')
  })

  it('says which variable to change when its port is taken', () => {
    expect(() => startMetricsServer({ hostname: '127.0.0.1', port: listener.port, metrics })).toThrow(
      StartError,
    )
    expect(() => startMetricsServer({ hostname: '127.0.0.1', port: listener.port, metrics })).toThrow(
      /METRICS_PORT/,
    )
  })

  it('reads METRICS_PORT as a port, 0 for a free one, or off', () => {
    expect(readEnv({}).METRICS_PORT).toBe(9464)
    expect(readEnv({ METRICS_PORT: '0' }).METRICS_PORT).toBe(0)
    expect(readEnv({ METRICS_PORT: 'off' }).METRICS_PORT).toBe('off')
    expect(() => readEnv({ METRICS_PORT: '-1' })).toThrow(
      'METRICS_PORT: must be a port number from 1 to 65535 (0 picks a free one) or "off" (got "-1")',
    )
  })
})

describe('request ids', () => {
  it('echoes a sane incoming X-Request-Id and logs the request under it', async () => {
    const from = lines.length
    const response = await get('/healthz', { 'x-request-id': 'edge-7f3a.b_c-9' })
    expect(response.headers.get('x-request-id')).toBe('edge-7f3a.b_c-9')
    expect(logged(from)).toContainEqual(expect.objectContaining({ requestId: 'edge-7f3a.b_c-9' }))
  })

  it('makes a new id for each request that brings none', async () => {
    const a = (await get('/trpc/health')).headers.get('x-request-id')!
    const b = (await get('/trpc/health')).headers.get('x-request-id')!
    expect(a).toMatch(UUID)
    expect(b).toMatch(UUID)
    expect(a).not.toBe(b)
  })

  it('replaces an id that is too long or not a plain token', async () => {
    for (const hostile of ['x'.repeat(500), 'a\tb', 'id", "level": "error', 'semi;colon', '']) {
      const from = lines.length
      const response = await get('/healthz', { 'x-request-id': hostile })
      const id = response.headers.get('x-request-id')!
      expect(id).toMatch(UUID)
      if (hostile) expect(lines.slice(from).join('\n')).not.toContain(hostile)
      expect(logged(from).every((line) => line.requestId === id)).toBe(true)
    }
  })

  it('echoes the id from a listening server too (Bun routes its paths natively)', async () => {
    const server = startServer({
      db,
      env: readEnv({ PERCOLATE_MODE: 'local', DYNAMODB_TABLE: db.tableName, HOST: '127.0.0.1', PORT: '0' }),
      logger,
      auth,
      metrics,
    })
    try {
      for (const path of ['/healthz', '/trpc/health', '/auth/login/local', '/nowhere']) {
        const response = await fetch(`${server.url}${path}`, {
          headers: { 'x-request-id': 'over-the-wire' },
          redirect: 'manual',
        })
        expect({ path, id: response.headers.get('x-request-id') }).toEqual({ path, id: 'over-the-wire' })
      }
    } finally {
      await server.stop()
    }
  })
})

describe('access log', () => {
  it('writes one line per request: method, bounded route, status, duration, request id, and no query', async () => {
    const from = lines.length
    const response = await get('/actions/pause?token=sensitive-looking-token')
    const id = response.headers.get('x-request-id')
    const access = logged(from).filter((line) => line.message === 'request')
    expect(access).toHaveLength(1)
    expect(access[0]).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/actions/:action',
      status: 400,
      requestId: id,
    })
    expect(typeof access[0]!.durationMs).toBe('number')
    expect(lines.slice(from).join('\n')).not.toContain('sensitive-looking-token')
  })

  it('names the procedures of a tRPC request and who it acted for by ids only', async () => {
    const { member: m, cookie } = await signedIn()
    const from = lines.length
    await get('/trpc/me.get,nope?batch=1&input=%7B%7D', { cookie })
    const [access] = logged(from).filter((line) => line.message === 'request')
    expect(access).toMatchObject({
      route: '/trpc',
      procedures: ['me.get', 'other'],
      status: 207,
      deploymentId: m.deploymentId,
      memberId: m.id,
    })
    expect(lines.slice(from).join('\n')).not.toContain(m.email)
    expect(lines.slice(from).join('\n')).not.toContain(m.name)
  })

  it('keeps probes at debug level', async () => {
    const from = lines.length
    await get('/healthz')
    expect(logged(from)).toContainEqual(expect.objectContaining({ level: 'debug', route: '/healthz' }))
  })

  it('masks an email address that reaches a log line, whatever carried it', () => {
    const seen: string[] = []
    createLogger('info', (line) => seen.push(line)).error('request failed', {
      error: 'ada.meyer@democo.example is not allowed to join Acme',
    })
    expect(seen[0]).toContain('[email] is not allowed to join Acme')
    expect(maskEmailAddresses('"to":"first.last+tag@sub.example.co.uk"')).toBe('"to":"[email]"')
  })

  it('wrote no email address and no line without a request id while handling the requests above', () => {
    expect(lines.length).toBeGreaterThan(20)
    for (const line of lines) {
      expect(line).not.toMatch(EMAIL)
      expect(JSON.parse(line)).toHaveProperty('requestId')
    }
  })
})

import { describe, expect, it } from 'bun:test'
import { createCookies } from '../src/auth/cookies.ts'
import { createRateLimiter } from '../src/auth/rate-limit.ts'
import { CSRF_HEADER, checkStateChangingRequest } from '../src/auth/request-guard.ts'
import { safeReturnTo } from '../src/auth/return-to.ts'

describe('returnTo', () => {
  const refused = [
    '//evil.example',
    '//evil.example/path',
    'https:evil.example',
    'https://evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '%2F%2Fevil.example',
    '/%2Fevil.example',
    '/%5Cevil.example',
    '%252F%252Fevil.example',
    '/%252F%252Fevil.example',
    'javascript:alert(1)',
    '\t//evil.example',
    '/\t/evil.example',
    'evil.example',
    '',
  ]
  for (const value of refused) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      expect(safeReturnTo(value)).toBe('/')
    })
  }

  it('keeps a path on this origin with its query and fragment', () => {
    expect(safeReturnTo('/history?round=3#top')).toBe('/history?round=3#top')
    expect(safeReturnTo('/admin/members')).toBe('/admin/members')
    expect(safeReturnTo(null, '/onboarding')).toBe('/onboarding')
  })
})

describe('state-changing requests', () => {
  const origin = 'https://percolate.example'
  const request = (headers: Record<string, string>, method = 'POST') =>
    new Request(`${origin}/trpc/me.update`, { method, headers })
  const good = {
    [CSRF_HEADER]: '1',
    origin,
    'content-type': 'application/json',
    'sec-fetch-site': 'same-origin',
  }
  const check = (headers: Record<string, string>, method = 'POST') =>
    checkStateChangingRequest(request(headers, method), origin, { requireJsonBody: true })

  it("accepts the app's own JSON request", () => {
    expect(check(good)).toEqual({ ok: true })
    expect(check({}, 'GET')).toEqual({ ok: true })
  })

  const cases: [string, Record<string, string>, 403 | 415][] = [
    ['a cross-site text/plain POST', { origin: 'https://evil.example', 'content-type': 'text/plain' }, 403],
    ['a request without the custom header', { ...good, [CSRF_HEADER]: '' }, 403],
    ['a mutation without Origin', { [CSRF_HEADER]: '1', 'content-type': 'application/json' }, 403],
    ['another origin', { ...good, origin: 'https://evil.example' }, 403],
    ['a cross-site fetch', { ...good, 'sec-fetch-site': 'cross-site' }, 403],
    ['a text/plain body', { ...good, 'content-type': 'text/plain' }, 415],
    ['a form body', { ...good, 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['a multipart body', { ...good, 'content-type': 'multipart/form-data; boundary=x' }, 415],
  ]
  for (const [name, headers, status] of cases) {
    it(`refuses ${name} with ${status}`, () => {
      const result = check(headers)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.status).toBe(status)
    })
  }
})

describe('rate limit', () => {
  it('allows the limit per window and says when to come back', () => {
    const limiter = createRateLimiter(3, 60_000)
    for (let i = 0; i < 3; i++) expect(limiter.take('1.2.3.4', 1_000)).toEqual({ allowed: true })
    expect(limiter.take('1.2.3.4', 1_000)).toEqual({ allowed: false, retryAfterSeconds: 60 })
    expect(limiter.take('5.6.7.8', 1_000)).toEqual({ allowed: true })
    expect(limiter.take('1.2.3.4', 61_000)).toEqual({ allowed: true })
  })
})

describe('cookies', () => {
  it('uses the __Host- prefix, Secure, HttpOnly and SameSite outside local mode', () => {
    const cookies = createCookies(true)
    expect(cookies.set('access', 'jwt')).toBe(
      '__Host-percolate-access=jwt; Max-Age=900; Path=/; HttpOnly; Secure; SameSite=Strict',
    )
    expect(cookies.set('login', 'x')).toBe(
      '__Host-percolate-login=x; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax',
    )
    expect(cookies.clear('refresh')).toBe(
      '__Host-percolate-refresh=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict',
    )
    const request = new Request('https://p.example/', {
      headers: { cookie: '__Host-percolate-access=abc; other=1' },
    })
    expect(cookies.read(request, 'access')).toBe('abc')
  })

  it('drops Secure and the prefix on plain-http local mode', () => {
    expect(createCookies(false).set('refresh', 'r')).toBe(
      'percolate-refresh=r; Max-Age=2592000; Path=/; HttpOnly; SameSite=Strict',
    )
  })
})

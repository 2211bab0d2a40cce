// /auth/*: the browser's side of sign-in. Login and callback are top-level navigations (redirects); refresh and
// logout are POSTs from the app with same-origin evidence. Every route is rate-limited per client address.
import { isAppError } from '@percolate/domain/errors'
import { Elysia } from 'elysia'
import type { ServerEnv } from '../env.ts'
import type { Logger } from '../log.ts'
import type { Cookies } from './cookies.ts'
import { createRateLimiter } from './rate-limit.ts'
import { checkStateChangingRequest } from './request-guard.ts'
import { type AuthService, SignInFailure } from './service.ts'

const AUTH_REQUESTS_PER_MINUTE = 30

function redirect(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
  for (const cookie of cookies) headers.append('set-cookie', cookie)
  return new Response(null, { status: 302, headers })
}

function json(
  status: number,
  body: unknown,
  cookies: string[] = [],
  extra: Record<string, string> = {},
): Response {
  const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store', ...extra })
  for (const cookie of cookies) headers.append('set-cookie', cookie)
  return new Response(JSON.stringify(body), { status, headers })
}

/** The client's address: the socket's, or behind a trusted proxy the last X-Forwarded-For hop it added. */
export function clientAddress(
  request: Request,
  socketAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const hops = request.headers
      .get('x-forwarded-for')
      ?.split(',')
      .map((hop) => hop.trim())
      .filter(Boolean)
    if (hops?.length) return hops[hops.length - 1]!
  }
  return socketAddress ?? 'unknown'
}

export function authRoutes({
  auth,
  cookies,
  env,
  logger,
}: {
  auth: AuthService
  cookies: Cookies
  env: ServerEnv
  logger: Logger
}) {
  const limiter = createRateLimiter(AUTH_REQUESTS_PER_MINUTE, 60_000)
  const signInPage = (reason: string) => `/sign-in?error=${encodeURIComponent(reason)}`

  return new Elysia({ name: 'auth-routes' })
    .onBeforeHandle(({ request, server }) => {
      const path = new URL(request.url).pathname
      if (!path.startsWith('/auth/')) return
      const address = clientAddress(request, server?.requestIP(request)?.address, env.TRUST_PROXY)
      const verdict = limiter.take(address)
      if (verdict.allowed) return
      logger.warn('auth rate limit', { path })
      const retry = { 'retry-after': String(verdict.retryAfterSeconds) }
      if (request.method === 'GET') {
        return new Response('Too many sign-in attempts from your address. Wait a minute and try again.', {
          status: 429,
          headers: { ...retry, 'content-type': 'text/plain; charset=utf-8' },
        })
      }
      return json(429, { error: 'Too many requests. Wait a minute and try again.' }, [], retry)
    })
    .get('/auth/login/:provider', async ({ params, request }) => {
      const url = new URL(request.url)
      try {
        const { authorizationUrl, loginCookie } = await auth.beginSignIn({
          deploymentId: url.searchParams.get('deployment') ?? undefined,
          providerKey: params.provider,
          returnTo: url.searchParams.get('returnTo'),
        })
        return redirect(authorizationUrl.href, [cookies.set('login', loginCookie)])
      } catch (error) {
        if (error instanceof SignInFailure) return redirect(signInPage(error.reason))
        throw error
      }
    })
    .get('/auth/callback/:provider', async ({ params, request }) => {
      // The callback URL as the provider sent it, on the public origin (behind a proxy the request URL is internal).
      const incoming = new URL(request.url)
      const callbackUrl = new URL(`${incoming.pathname}${incoming.search}`, auth.publicOrigin)
      try {
        const signedIn = await auth.completeSignIn({
          providerKey: params.provider,
          callbackUrl,
          loginCookie: cookies.read(request, 'login'),
        })
        return redirect(signedIn.redirectTo, [
          cookies.clear('login'),
          cookies.set('access', signedIn.accessToken),
          cookies.set('refresh', signedIn.refreshCookie),
        ])
      } catch (error) {
        if (error instanceof SignInFailure)
          return redirect(signInPage(error.reason), [cookies.clear('login')])
        throw error
      }
    })
    .post(
      '/auth/refresh',
      async ({ request }) => {
        const guard = checkStateChangingRequest(request, auth.publicOrigin, { requireJsonBody: false })
        if (!guard.ok) return json(guard.status, { error: guard.message })
        try {
          const session = await auth.refresh(cookies.read(request, 'refresh'))
          return json(200, { expiresAt: session.accessExpiresAt.toISOString() }, [
            cookies.set('access', session.accessToken),
            cookies.set('refresh', session.refreshCookie),
          ])
        } catch (error) {
          if (isAppError(error) && error.code === 'UNAUTHENTICATED') {
            return json(401, { error: error.message }, [cookies.clear('access'), cookies.clear('refresh')])
          }
          throw error
        }
      },
      { parse: 'none' },
    )
    .post(
      '/auth/logout',
      async ({ request }) => {
        const guard = checkStateChangingRequest(request, auth.publicOrigin, { requireJsonBody: false })
        if (!guard.ok) return json(guard.status, { error: guard.message })
        const principal = await auth.authenticate({ accessCookie: cookies.read(request, 'access') })
        await auth.signOut(cookies.read(request, 'refresh'), principal)
        return json(200, { signedOut: true }, [cookies.clear('access'), cookies.clear('refresh')])
      },
      { parse: 'none' },
    )
}

// The HTTP surface: /trpc (tRPC v11 through the fetch adapter), /auth/*, /actions/*, /healthz, /readyz. Nothing
// else: /metrics is served on its own port (metrics-server.ts), never here.
import type { Database } from '@percolate/db/database'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import { Elysia } from 'elysia'
import { actionRoutes } from './actions.ts'
import { type Cookies, createCookies } from './auth/cookies.ts'
import { checkStateChangingRequest } from './auth/request-guard.ts'
import { authRoutes } from './auth/routes.ts'
import type { AuthService } from './auth/service.ts'
import type { ServerEnv } from './env.ts'
import type { Logger } from './log.ts'
import { createServerMetrics, type ServerMetrics } from './metrics.ts'
import { checkDynamo } from './readiness.ts'
import { currentRequestContext } from './request-context.ts'
import { observeRequests } from './request-observer.ts'
import { createContextInner } from './trpc/init.ts'
import { appRouter } from './trpc/router.ts'

export interface AppDependencies {
  db: Database
  env: ServerEnv
  logger: Logger
  auth: AuthService
  /** Where requests are counted; without it the app counts into a registry of its own that nothing serves. */
  metrics?: ServerMetrics
}

/**
 * The principal of a tRPC request. A Bearer API token carries no ambient authority, so only requests that the
 * browser's cookies authenticate need the same-origin evidence; with a Bearer token, cookies are ignored.
 */
async function authenticate(request: Request, auth: AuthService, cookies: Cookies) {
  const authorization = request.headers.get('authorization')
  if (authorization) {
    const bearer = /^Bearer (\S+)$/i.exec(authorization)?.[1] ?? null
    return { principal: await auth.authenticate({ bearer: bearer ?? 'invalid' }) }
  }
  const access = cookies.read(request, 'access')
  if (!access && !cookies.read(request, 'refresh')) return { principal: null }
  const guard = checkStateChangingRequest(request, auth.publicOrigin, { requireJsonBody: true })
  if (!guard.ok) return { refused: guard }
  return { principal: await auth.authenticate({ accessCookie: access }) }
}

export function createApp({ db, env, logger, auth, metrics = createServerMetrics() }: AppDependencies) {
  const cookies = createCookies(env.PERCOLATE_MODE !== 'local')
  const app = new Elysia()
    .onError(({ code, error, set }) => {
      if (code === 'NOT_FOUND') {
        set.status = 404
        return { error: 'Not found' }
      }
      logger.error('request failed', {
        code,
        error: error instanceof Error ? error.message : String(error),
      })
      set.status = 500
      return { error: 'Internal error' }
    })
    .use(authRoutes({ auth, cookies, env, logger }))
    .use(actionRoutes({ db, auth, logger }))
    .get('/healthz', () => ({ status: 'up' }))
    .get('/readyz', async ({ set }) => {
      const readiness = await checkDynamo(db.client, db.tableName)
      if (readiness.ready) return { status: 'ready' }
      set.status = 503
      return { status: 'unavailable', reason: readiness.reason }
    })
    // The @elysiajs/trpc plugin bundles tRPC v10; mount the v11 fetch adapter directly. `parse: 'none'` leaves
    // the body for tRPC to read.
    .all(
      '/trpc/*',
      async ({ request }) => {
        const session = await authenticate(request, auth, cookies)
        if ('refused' in session && session.refused) {
          const { status, message } = session.refused
          return new Response(JSON.stringify({ error: { message, code: 'FORBIDDEN' } }), {
            status,
            headers: { 'content-type': 'application/json' },
          })
        }
        const principal = 'principal' in session ? session.principal : null
        const context = currentRequestContext()
        if (context && principal) {
          context.principal = { deploymentId: principal.deploymentId, memberId: principal.memberId }
        }
        return fetchRequestHandler({
          endpoint: '/trpc',
          req: request,
          router: appRouter,
          createContext: () =>
            createContextInner({ db, env, logger, auth, principal, requestId: context?.requestId }),
          onError({ error, path }) {
            if (path !== undefined) context?.procedureStatuses.set(path, getHTTPStatusCodeFromError(error))
            if (error.code === 'INTERNAL_SERVER_ERROR') {
              logger.error('procedure failed', { path, error: error.cause?.message ?? error.message })
            }
          },
        })
      },
      { parse: 'none' },
    )
  // Added last: it reads the routes above. Elysia compiles its handlers at the first request, hooks included.
  return app.wrap(
    observeRequests({
      logger,
      metrics,
      routes: app.routes.map((route) => route.path),
      procedures: Object.keys(appRouter._def.procedures),
    }),
  )
}

export class StartError extends Error {
  override readonly name = 'StartError'
}

/** Listens on HOST:PORT; a StartError says what to do when the port is taken. */
export function startServer(deps: AppDependencies): { url: string; port: number; stop: () => Promise<void> } {
  const app = createApp(deps)
  try {
    app.listen({ hostname: deps.env.HOST, port: deps.env.PORT })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'EADDRINUSE' || /in use/i.test(String((error as Error).message))) {
      throw new StartError(
        `Port ${deps.env.PORT} is in use, so the API cannot listen there. Stop what uses it or set PORT to a free port.`,
      )
    }
    throw error
  }
  const port = app.server?.port ?? deps.env.PORT
  return {
    url: `http://${deps.env.HOST === '0.0.0.0' ? 'localhost' : deps.env.HOST}:${port}`,
    port,
    stop: async () => {
      await app.stop()
    },
  }
}

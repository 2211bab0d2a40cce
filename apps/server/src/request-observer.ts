// Around every HTTP request of the app: choose its request id, run it in a request context (so every log line
// written for it carries the id), echo the id in X-Request-Id, count and time it for Prometheus, and write one
// access log line. Labels and log fields are bounded: a tRPC procedure path or a route template, never the URL.
import type { Logger } from './log.ts'
import type { ServerMetrics } from './metrics.ts'
import { chooseRequestId, type RequestContext, runInRequestContext } from './request-context.ts'

export const REQUEST_ID_HEADER = 'x-request-id'
const TRPC_PREFIX = '/trpc/'
/** Unknown paths, procedures and methods: one label for all, whatever a client or scanner sends. */
export const OTHER = 'other'
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
/** Kubelet probes every few seconds: their access lines are debug, not info. */
const PROBES = new Set(['/healthz', '/readyz'])

type Fetch = (request: Request) => Response | Promise<Response>

/** Maps a path to the route template that serves it (`/auth/login/:provider`), or `other`. */
export function createRouteLabeler(templates: readonly string[]): (pathname: string) => string {
  const matchers = [...new Set(templates)].map((template) => {
    const pattern = template
      .split('/')
      .map((part) =>
        part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/')
    return { template, pattern: new RegExp(`^${pattern}/?$`) }
  })
  // Fixed paths before templates with parameters, so `/auth/refresh` never reads as some `/auth/:x`.
  matchers.sort((a, b) => Number(/[:*]/.test(a.template)) - Number(/[:*]/.test(b.template)))
  return (pathname) => matchers.find(({ pattern }) => pattern.test(pathname))?.template ?? OTHER
}

/**
 * The calls of a tRPC request (`/trpc/me.get,health` is a batch of two): each path as the client sent it, and its
 * label, the path itself when the router has it, else `other`.
 */
export function procedureCallsOf(pathname: string, known: ReadonlySet<string>) {
  return pathname
    .slice(TRPC_PREFIX.length)
    .split(',')
    .map((raw) => {
      let path = raw
      try {
        path = decodeURIComponent(raw)
      } catch {
        // Left as sent: it is no procedure's path, so it is labelled `other`.
      }
      return { path, label: known.has(path) ? path : OTHER }
    })
}

/** The response with the request id header; a Response whose headers are immutable is copied. */
function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId)
    return response
  } catch {
    const headers = new Headers(response.headers)
    headers.set(REQUEST_ID_HEADER, requestId)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}

export interface RequestObserverOptions {
  logger: Logger
  metrics: ServerMetrics
  /** The app's route templates, as Elysia lists them. */
  routes: readonly string[]
  /** Every tRPC procedure path of the router. */
  procedures: readonly string[]
}

/**
 * A higher-order function for Elysia's `wrap`: the one hook that surrounds the whole handling of a request,
 * including Bun's native per-route handlers and the error hook, so the request context holds everywhere.
 */
export function observeRequests({ logger, metrics, routes, procedures }: RequestObserverOptions) {
  const routeOf = createRouteLabeler(routes)
  const known = new Set(procedures)

  function record(
    request: Request,
    pathname: string,
    status: number,
    started: number,
    context: RequestContext,
  ) {
    const seconds = (performance.now() - started) / 1000
    const method = METHODS.has(request.method) ? request.method : OTHER
    const route = routeOf(pathname)
    const calls = pathname.startsWith(TRPC_PREFIX) ? procedureCallsOf(pathname, known) : null
    if (calls) {
      // The calls of a batch run together: each is counted with its own status and timed with the batch. A call
      // with no error of its own succeeded (207 is a batch's "some failed"), unless the whole request was refused.
      for (const call of calls) {
        const failed = context.procedureStatuses.get(call.path)
        const labels = {
          procedure: call.label,
          method,
          status: String(failed ?? (status === 207 ? 200 : status)),
        }
        metrics.httpRequests.inc(labels)
        metrics.httpRequestDuration.observe(labels, seconds)
      }
    } else {
      const labels = { procedure: route, method, status: String(status) }
      metrics.httpRequests.inc(labels)
      metrics.httpRequestDuration.observe(labels, seconds)
    }
    const level = PROBES.has(route) && status < 400 ? 'debug' : 'info'
    logger[level]('request', {
      method,
      route: calls ? '/trpc' : route,
      ...(calls ? { procedures: calls.map((call) => call.label) } : {}),
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
      ...(context.principal ?? {}),
    })
  }

  return (fetch: (...args: unknown[]) => unknown) => async (request: Request) => {
    const started = performance.now()
    const context: RequestContext = {
      requestId: chooseRequestId(request.headers.get(REQUEST_ID_HEADER)),
      procedureStatuses: new Map(),
    }
    const pathname = new URL(request.url).pathname
    return runInRequestContext(context, async () => {
      let response: Response
      try {
        response = await (fetch as Fetch)(request)
      } catch (error) {
        record(request, pathname, 500, started, context)
        throw error
      }
      record(request, pathname, response.status, started, context)
      return withRequestId(response, context.requestId)
    })
  }
}

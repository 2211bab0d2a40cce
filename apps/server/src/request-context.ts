// What the server knows about the HTTP request it is handling, reachable from any code that runs for it (the auth
// service, tRPC procedures, error hooks) without threading it through every call: the logger stamps each line
// with its request id, and the request observer reads what the tRPC route noted for the metrics.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface RequestContext {
  requestId: string
  /** Set by the tRPC route once the request is authenticated: ids only, for the access log. */
  principal?: { deploymentId: string; memberId: string }
  /** Set by the tRPC route: the HTTP status of each call of a batch that failed, by procedure path. */
  procedureStatuses: Map<string, number>
}

const storage = new AsyncLocalStorage<RequestContext>()

/** A request id taken from a client or a proxy must stay one harmless token in logs and headers. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/

/** The incoming X-Request-Id when it is a sane token (so a proxy's id joins the logs up), else a new one. */
export function chooseRequestId(incoming: string | null): string {
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID()
}

export function runInRequestContext<T>(context: RequestContext, run: () => T): T {
  return storage.run(context, run)
}

/** The request being handled, or undefined outside a request (start-up, background work). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore()
}

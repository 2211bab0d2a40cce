// The part every local provider fake shares: Bun.serve on a free port, every request recorded, faults scripted.
import { type Fault, FaultScript } from './fault-script.ts'

export interface RecordedRequest {
  method: string
  /** Path without the query string. */
  path: string
  /** The query string, with its "?" (or empty). */
  search: string
  headers: Headers
  /** Parsed JSON (or form fields as an object); the raw text when neither parses. */
  body: unknown
  rawBody: string
  at: number
}

export interface FakeServerOptions {
  /** Default 0: a free port. */
  port?: number
  hostname?: string
}

export interface FakeServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly port: number
  /** Every request received, faults included: count them to prove nothing was sent twice. */
  readonly requests: RecordedRequest[]
  readonly faults: FaultScript
  /** Forgets requests, messages and queued faults. */
  reset(): void
  stop(): Promise<void>
}

export type FakeHandler = (request: RecordedRequest, fault: Fault | undefined) => Response | Promise<Response>

export function startFakeServer(
  options: FakeServerOptions,
  routeOf: (request: RecordedRequest) => string,
  handle: FakeHandler,
  onReset: () => void = () => {},
): FakeServer {
  const requests: RecordedRequest[] = []
  const faults = new FaultScript()
  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? '127.0.0.1',
    async fetch(raw) {
      const url = new URL(raw.url)
      const rawBody = await raw.text()
      const request: RecordedRequest = {
        method: raw.method,
        path: url.pathname,
        search: url.search,
        headers: raw.headers,
        body: parseBody(rawBody, raw.headers.get('content-type') ?? ''),
        rawBody,
        at: Date.now(),
      }
      requests.push(request)
      const fault = faults.take(routeOf(request))
      if (fault?.kind === 'slow') await Bun.sleep(fault.delayMs)
      return handle(request, fault?.kind === 'slow' ? undefined : fault)
    },
  })
  const port = server.port ?? 0
  return {
    url: `http://${options.hostname ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    faults,
    reset() {
      requests.length = 0
      faults.clear()
      onReset()
    },
    async stop() {
      await server.stop(true)
    },
  }
}

function parseBody(text: string, contentType: string): unknown {
  if (text === '') return undefined
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text))
  }
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers })
}

export function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
}

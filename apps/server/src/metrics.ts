// The server's Prometheus metrics. Each server gets its own registry (never prom-client's global one), so two
// servers in one process, or two tests, do not count into each other. Served by metrics-server.ts on its own port.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

const PREFIX = 'percolate_'

export interface ServerMetrics {
  registry: Registry
  /** Labels: procedure (a tRPC path or a route template, else "other"), method, status. */
  httpRequests: Counter<'procedure' | 'method' | 'status'>
  httpRequestDuration: Histogram<'procedure' | 'method' | 'status'>
  /** A refresh token presented a second time: its session was revoked (a stolen token, or a broken client). */
  refreshTokenReuse: Counter
}

/**
 * A fresh registry with the server's metrics. `processMetrics` adds prom-client's default process and runtime
 * metrics (CPU, memory, file descriptors, event-loop lag, ...): once per process, in main.ts, since each call
 * starts its own event-loop monitor.
 */
export function createServerMetrics({
  processMetrics = false,
}: {
  processMetrics?: boolean
} = {}): ServerMetrics {
  const registry = new Registry()
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: PREFIX })
  const labelNames = ['procedure', 'method', 'status'] as const
  return {
    registry,
    httpRequests: new Counter({
      name: `${PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by tRPC procedure (one per call of a batch) or route, method and status.',
      labelNames,
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'Time to the response headers, by tRPC procedure (each call of a batch gets the batch time) or route.',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    refreshTokenReuse: new Counter({
      name: `${PREFIX}refresh_token_reuse_total`,
      help: 'Refresh tokens presented again after they were used; each revoked its session.',
      registers: [registry],
    }),
  }
}

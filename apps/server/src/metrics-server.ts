// GET /metrics in Prometheus' text format, on a listener of its own (METRICS_PORT): the Ingress routes only the
// API's port, so the metrics never reach the internet; Prometheus scrapes the pod on this port.
import { StartError } from './app.ts'
import type { ServerMetrics } from './metrics.ts'

export interface MetricsServer {
  /** Where /metrics answers. */
  url: string
  port: number
  stop: () => Promise<void>
}

export function startMetricsServer({
  hostname,
  port,
  metrics,
}: {
  hostname: string
  /** 0 picks a free port. */
  port: number
  metrics: ServerMetrics
}): MetricsServer {
  let server: ReturnType<typeof Bun.serve>
  try {
    server = Bun.serve({
      hostname,
      port,
      async fetch(request) {
        if (new URL(request.url).pathname !== '/metrics') {
          return new Response('Not found: this port serves only /metrics\n', { status: 404 })
        }
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          return new Response('Use GET /metrics\n', { status: 405, headers: { allow: 'GET, HEAD' } })
        }
        return new Response(await metrics.registry.metrics(), {
          headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
        })
      },
    })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'EADDRINUSE' || /in use/i.test(String((error as Error).message))) {
      throw new StartError(
        `Port ${port} (METRICS_PORT) is in use, so /metrics cannot be served there. Stop what uses it, set METRICS_PORT to a free port (not the API's PORT), or METRICS_PORT=off.`,
      )
    }
    throw error
  }
  const host = hostname === '0.0.0.0' ? 'localhost' : hostname
  return {
    url: `http://${host}:${server.port}/metrics`,
    port: server.port ?? port,
    stop: async () => {
      await server.stop(true)
    },
  }
}

// Serves the built web app and forwards the API paths to a server, as the Ingress does: one origin.
import { join, normalize } from 'node:path'

const apiPaths = ['/trpc', '/auth', '/actions', '/healthz', '/readyz']

/** `apiUrl` may be given later (a function): the API needs the web origin as its PUBLIC_URL first. */
export function serveWeb(distDir: string, apiUrl: string | (() => string)) {
  return Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url)
      if (apiPaths.some((path) => url.pathname === path || url.pathname.startsWith(`${path}/`))) {
        const target = typeof apiUrl === 'string' ? apiUrl : apiUrl()
        // Redirects (sign-in) go back to the browser as they are, as an Ingress passes them.
        return fetch(new URL(url.pathname + url.search, target), {
          method: request.method,
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
        })
      }
      const path = normalize(url.pathname).replace(/^(\.\.[/\\])+/, '')
      const file = Bun.file(join(distDir, path))
      if (path !== '/' && (await file.exists())) return new Response(file)
      // The SPA's routes all load index.html.
      return new Response(Bun.file(join(distDir, 'index.html')), { headers: { 'content-type': 'text/html' } })
    },
  })
}

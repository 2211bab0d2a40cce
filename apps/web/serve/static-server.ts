// The web image's HTTP server: the built app (apps/web/dist) as static files, nothing else. The files are indexed
// once at start (an image's files never change), so a request can only ever reach a file of that index: no path
// built from a URL touches the file system.
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Everything from this origin only; the API is on it too (the Ingress routes /trpc, /auth, /actions to the server).
 * Checked against the built app in Chromium (every page, light and dark, its selects, popovers and dialogs): the
 * app and Cloudscape set styles through the CSSOM, not as style attributes or <style> text, so style-src needs no
 * 'unsafe-inline' (test/static-server.test.ts keeps an eye on the bundle); global-styles embeds its fonts as data:
 * URLs; Vite's index.html has no inline script. The one report is zod's probe for eval, which zod catches (it then
 * validates without compiling).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** On every answer, errors included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // Not no-referrer: that also turns the Origin of the app's own POSTs into "null", and the server's CSRF guard
  // requires Origin to be the public URL's.
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
}

/** Vite names everything under /assets/ by its content hash: a new build gets new names. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable'
/** index.html and other unhashed files: cache, but ask each time (answered 304 while the ETag holds). */
export const REVALIDATE_CACHE = 'no-cache'

const COMPRESSIBLE = /^(text\/|application\/(javascript|json|manifest\+json|xml)|image\/svg\+xml)/
const MIN_COMPRESS_BYTES = 1024

interface IndexedFile {
  path: string
  type: string
  size: number
  etag: string
  cacheControl: string
  compressible: boolean
}

export interface StaticSite {
  root: string
  files: ReadonlyMap<string, IndexedFile>
  handle(request: Request): Response
}

export class StaticRootError extends Error {
  override readonly name = 'StaticRootError'
}

/**
 * Every regular file under root by its URL path ("/assets/index-Ab12.js"). Dotfiles and symbolic links are left
 * out: neither belongs to a Vite build, and a link could point outside root.
 */
function indexFiles(root: string): Map<string, IndexedFile> {
  const files = new Map<string, IndexedFile>()
  const walk = (dir: string, urlPrefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      const stat = lstatSync(path)
      const urlPath = `${urlPrefix}/${entry.name}`
      if (stat.isDirectory()) walk(path, urlPath)
      if (!stat.isFile()) continue
      const type = Bun.file(path).type
      files.set(urlPath, {
        path,
        type,
        size: stat.size,
        etag: `"${Bun.hash(readFileSync(path)).toString(36)}"`,
        cacheControl: urlPath.startsWith('/assets/') ? IMMUTABLE_CACHE : REVALIDATE_CACHE,
        compressible: COMPRESSIBLE.test(type) && stat.size >= MIN_COMPRESS_BYTES,
      })
    }
  }
  walk(root, '')
  return files
}

type PathCheck = { ok: true; path: string } | { ok: false; reason: string }

/**
 * The URL path as a key of the index. Bun has already resolved "." and ".." segments (also %2e%2e) within the root
 * by the time a Request exists; what is left to refuse is what decoding would turn into one: an encoded slash or
 * backslash around "..", a NUL, malformed percent-encoding.
 */
export function checkRequestPath(pathname: string): PathCheck {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return { ok: false, reason: 'the path is not valid percent-encoding' }
  }
  if (decoded.includes('\0')) return { ok: false, reason: 'the path contains a NUL byte' }
  if (decoded.includes('\\')) return { ok: false, reason: 'the path contains a backslash' }
  const segments = decoded.split('/').filter((segment) => segment !== '')
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return { ok: false, reason: 'the path contains a "." or ".." segment' }
  }
  return { ok: true, path: `/${segments.join('/')}` }
}

function acceptsGzip(request: Request): boolean {
  const header = request.headers.get('accept-encoding') ?? ''
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';')
    if (coding !== 'gzip' && coding !== '*') return false
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}

function textResponse(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'text/plain;charset=utf-8',
      'cache-control': 'no-store',
      ...extra,
    },
  })
}

/** Indexes root (which must hold index.html) and returns the request handler over it. */
export function createStaticSite(root: string): StaticSite {
  let files: Map<string, IndexedFile>
  try {
    files = indexFiles(root)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new StaticRootError(
      `web root ${root} cannot be read (${reason}): point --root or WEB_ROOT at the built app`,
    )
  }
  const indexHtml = files.get('/index.html')
  if (!indexHtml) {
    throw new StaticRootError(
      `web root ${root} has no index.html: point --root or WEB_ROOT at the built app (apps/web/dist)`,
    )
  }
  // Compressed once, on first request, and kept: the set of files is fixed and small (a few MB).
  const gzipped = new Map<string, Uint8Array>()

  const serveFile = (request: Request, file: IndexedFile): Response => {
    const gzip = file.compressible && acceptsGzip(request)
    const etag = gzip ? `${file.etag.slice(0, -1)}-gz"` : file.etag
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'content-type': file.type,
      'cache-control': file.cacheControl,
      etag,
    }
    if (file.compressible) headers.vary = 'Accept-Encoding'
    const ifNoneMatch = request.headers.get('if-none-match')
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      return new Response(null, { status: 304, headers })
    }
    if (!gzip) return new Response(Bun.file(file.path), { headers })
    let body = gzipped.get(file.path)
    if (!body) {
      body = Bun.gzipSync(readFileSync(file.path), { level: 9 })
      gzipped.set(file.path, body)
    }
    headers['content-encoding'] = 'gzip'
    return new Response(body, { headers })
  }

  const handle = (request: Request): Response => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return textResponse(405, `Method ${request.method} is not allowed: use GET or HEAD`, {
        allow: 'GET, HEAD',
      })
    }
    const checked = checkRequestPath(new URL(request.url).pathname)
    if (!checked.ok) return textResponse(400, `Bad path: ${checked.reason}`)
    const { path } = checked
    if (path === '/healthz') return textResponse(200, 'ok')
    const file = files.get(path === '/' ? '/index.html' : path)
    if (file) return serveFile(request, file)
    // An app route (/history, /admin/members): the SPA's router takes it from index.html. A path with a file
    // extension, or anything under /assets/, is a file that is not there.
    const last = path.slice(path.lastIndexOf('/') + 1)
    if (!last.includes('.') && !path.startsWith('/assets/')) return serveFile(request, indexHtml)
    return textResponse(404, `Not found: ${path}`)
  }

  return { root, files, handle }
}

export interface StartOptions {
  root: string
  hostname: string
  port: number
}

/** Listens; errors inside a request are logged (without the URL's query) and answered 500. */
export function startStaticServer(options: StartOptions) {
  const site = createStaticSite(options.root)
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    fetch: site.handle,
    error(error) {
      console.error(JSON.stringify({ level: 'error', message: 'request failed', error: error.message }))
      return textResponse(500, 'Internal error')
    },
  })
  return { server, site }
}

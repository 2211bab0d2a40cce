// The web image's static server (serve/main.ts), run as the container runs it: a process on a free port over a
// directory. Traversal attempts go over a raw socket, because fetch would normalise the path before sending it.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assetFiles, webDistDir } from './initial-assets.ts'

const webDir = join(import.meta.dir, '..')
const mainScript = join(webDir, 'serve/main.ts')
const builtServer = join(webDir, 'bin/percolate-web-serve.js')
const SECRET = 'TOP-SECRET-outside-the-root'
const INDEX =
  '<!doctype html><html><head><title>Percolate</title></head><body><div id="root"></div></body></html>'
const APP_JS = `console.log(${JSON.stringify('percolate '.repeat(400))})\n`

type Served = { url: string; port: number; stop: () => Promise<void> }

/** Starts a server process and waits for its "listening" line; stop() ends exactly that process. */
async function startServer(command: string[]): Promise<Served> {
  const child = Bun.spawn([process.execPath, ...command, '--port', '0', '--host', '127.0.0.1'], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, WEB_ROOT: undefined, WEB_PORT: undefined, WEB_HOST: undefined },
  })
  const reader = child.stdout.getReader()
  let text = ''
  while (!text.includes('\n')) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`server exited before listening: ${await new Response(child.stderr).text()}`)
    text += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  const started = JSON.parse(text.slice(0, text.indexOf('\n'))) as { message: string; url: string }
  expect(started.message).toBe('listening')
  const port = Number(new URL(started.url).port)
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      child.kill()
      await child.exited
    },
  }
}

/** One request exactly as written (no client-side normalisation); the status and body as received. */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let data = ''
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
    })
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      data += chunk
    })
    socket.on('error', reject)
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) })
    })
  })
}

async function runCli(args: string[], env: Record<string, string | undefined> = {}) {
  const child = Bun.spawn([process.execPath, mainScript, ...args], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, WEB_ROOT: undefined, WEB_PORT: undefined, ...env },
  })
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()])
  return { code, stderr }
}

let tmp: string
let root: string
let server: Served

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'percolate-static-'))
  root = join(tmp, 'site')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), INDEX)
  writeFileSync(join(root, 'assets/index-Ab12Cd34.js'), APP_JS)
  writeFileSync(join(root, 'assets/index-Ef56Gh78.css'), 'body{margin:0}')
  writeFileSync(join(root, 'robots.txt'), 'User-agent: *\n')
  writeFileSync(join(root, '.env'), `SECRET=${SECRET}`)
  writeFileSync(join(tmp, 'secret.txt'), SECRET)
  writeFileSync(join(tmp, 'secret'), SECRET)
  symlinkSync(join(tmp, 'secret.txt'), join(root, 'leak.txt'))
  server = await startServer([mainScript, '--root', root])
})

afterAll(async () => {
  await server?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

describe('static server: files and the SPA', () => {
  it('serves index.html at / as HTML that browsers revalidate', async () => {
    const response = await fetch(`${server.url}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html;charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(await response.text()).toBe(INDEX)
  })

  it('answers app routes without a file extension with index.html (SPA fallback)', async () => {
    for (const path of ['/history', '/admin/members', '/settings/api-tokens/']) {
      const response = await fetch(`${server.url}${path}`)
      expect({ path, status: response.status, cache: response.headers.get('cache-control') }).toEqual({
        path,
        status: 200,
        cache: 'no-cache',
      })
      expect(await response.text()).toBe(INDEX)
    }
  })

  it('answers 404, not index.html, for a missing file or anything missing under /assets/', async () => {
    for (const path of ['/missing.js', '/assets/index-Zz99.js', '/assets/no-extension', '/favicon.ico']) {
      const response = await fetch(`${server.url}${path}`)
      expect({ path, status: response.status }).toEqual({ path, status: 404 })
      expect(await response.text()).not.toContain('<html')
    }
  })

  it('caches hashed assets for a year (immutable) and other files with revalidation', async () => {
    const asset = await fetch(`${server.url}/assets/index-Ab12Cd34.js`, {
      headers: { 'accept-encoding': 'identity' },
    })
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toBe('text/javascript;charset=utf-8')
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await asset.text()).toBe(APP_JS)
    const css = await fetch(`${server.url}/assets/index-Ef56Gh78.css`)
    expect(css.headers.get('content-type')).toBe('text/css;charset=utf-8')
    const robots = await fetch(`${server.url}/robots.txt`)
    expect(robots.headers.get('cache-control')).toBe('no-cache')
  })

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'identity' } })
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^"[0-9a-z]+"$/)
    const again = await fetch(`${server.url}/`, {
      headers: { 'accept-encoding': 'identity', 'if-none-match': etag! },
    })
    expect(again.status).toBe(304)
    expect(again.headers.get('cache-control')).toBe('no-cache')
    expect(await again.text()).toBe('')
  })

  it('compresses text files with gzip when the client accepts it, and not otherwise', async () => {
    const gzipped = await fetch(`${server.url}/assets/index-Ab12Cd34.js`, {
      headers: { 'accept-encoding': 'gzip' },
      decompress: false,
    })
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(gzipped.headers.get('vary')).toBe('Accept-Encoding')
    const bytes = new Uint8Array(await gzipped.arrayBuffer())
    expect(bytes.length).toBeLessThan(APP_JS.length / 4)
    expect(new TextDecoder().decode(Bun.gunzipSync(bytes))).toBe(APP_JS)
    const plain = await fetch(`${server.url}/assets/index-Ab12Cd34.js`, {
      headers: { 'accept-encoding': 'gzip;q=0, identity' },
      decompress: false,
    })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe(APP_JS)
  })

  it('answers HEAD with the GET headers and no body', async () => {
    const get = await fetch(`${server.url}/assets/index-Ab12Cd34.js`, {
      headers: { 'accept-encoding': 'identity' },
    })
    const getBody = await get.text()
    const head = await fetch(`${server.url}/assets/index-Ab12Cd34.js`, {
      method: 'HEAD',
      headers: { 'accept-encoding': 'identity' },
    })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(getBody.length))
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'))
    expect(await head.text()).toBe('')
  })

  it('refuses other methods with 405 and names the allowed ones', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${server.url}/index.html`, { method, body: 'x' })
      expect({ method, status: response.status, allow: response.headers.get('allow') }).toEqual({
        method,
        status: 405,
        allow: 'GET, HEAD',
      })
    }
  })

  it('answers /healthz with 200, never cached', async () => {
    const response = await fetch(`${server.url}/healthz`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.text()).toBe('ok\n')
  })
})

describe('static server: security headers', () => {
  it('sends the CSP and the other security headers on files, fallbacks and errors alike', async () => {
    for (const path of ['/', '/assets/index-Ab12Cd34.js', '/history', '/missing.js', '/..%2f', '/healthz']) {
      const response = await fetch(`${server.url}${path}`)
      const csp = response.headers.get('content-security-policy') ?? ''
      const directives = Object.fromEntries(
        csp.split(';').map((directive) => {
          const [name, ...values] = directive.trim().split(/\s+/)
          return [name, values.join(' ')]
        }),
      )
      expect({ path, directives }).toEqual({
        path,
        directives: {
          'default-src': "'self'",
          'script-src': "'self'",
          'style-src': "'self'",
          'img-src': "'self' data:",
          'font-src': "'self' data:",
          'connect-src': "'self'",
          'object-src': "'none'",
          'base-uri': "'self'",
          'form-action': "'self'",
          'frame-ancestors': "'none'",
        },
      })
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      // Not no-referrer: that would make the Origin of the app's own POSTs "null", which the server refuses.
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
    }
  })
})

describe('static server: nothing outside the root', () => {
  // Bun resolves "." and ".." segments (also %2e%2e) inside the root before the handler sees the path: the
  // request lands on /secret.txt in the root, which does not exist. Encoded separators reach the handler: 400.
  const attempts: [target: string, status: number][] = [
    ['/../secret.txt', 404],
    ['/../../../../../../etc/passwd.txt', 404],
    ['/assets/../../secret.txt', 404],
    ['/%2e%2e/secret.txt', 404],
    ['/%2E%2E/%2E%2E/secret.txt', 404],
    ['/..%2fsecret.txt', 400],
    ['/..%2Fsecret.txt', 400],
    ['/%2e%2e%2fsecret.txt', 400],
    ['/assets/..%2f..%2fsecret.txt', 400],
    ['/..%5csecret.txt', 400],
    ['/assets%5c..%5c..%5csecret.txt', 400],
    ['/secret.txt%00.js', 400],
    ['/%E0%A4%A', 400],
    ['/leak.txt', 404], // a symbolic link to a file outside the root
    ['/.env', 404], // dotfiles are never served
  ]

  for (const [target, status] of attempts) {
    it(`answers ${status} to GET ${target} and never sends the file`, async () => {
      const response = await rawGet(server.port, target)
      expect(response.status).toBe(status)
      expect(response.body).not.toContain(SECRET)
    })
  }

  it('serves index.html, never the file, for an extensionless path that climbs out', async () => {
    for (const target of ['/../secret', '/%2e%2e/secret', '/a/b/../../../../secret']) {
      const response = await rawGet(server.port, target)
      expect({ target, status: response.status }).toEqual({ target, status: 200 })
      expect(response.body).toBe(INDEX)
    }
  })
})

describe('static server: command line', () => {
  it('healthcheck exits 0 while the server answers and 1 with a reason when nothing listens', async () => {
    expect((await runCli(['healthcheck', '--port', String(server.port)])).code).toBe(0)
    expect((await runCli(['--check'], { WEB_PORT: String(server.port) })).code).toBe(0)
    const closed = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') })
    const freePort = closed.port
    await closed.stop(true)
    const failed = await runCli(['healthcheck', '--port', String(freePort)])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain(`/healthz on port ${freePort} did not answer`)
  })

  it('refuses to start over a directory without index.html, and says what to point it at', async () => {
    const empty = join(tmp, 'empty')
    mkdirSync(empty)
    const result = await runCli(['--port', '0'], { WEB_ROOT: empty })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`web root ${empty} has no index.html: point --root or WEB_ROOT`)
  })

  it('names a wrong port and an unknown flag', async () => {
    const port = await runCli(['--root', root, '--port', 'eighty'])
    expect(port.code).toBe(1)
    expect(port.stderr).toContain('--port must be a port number from 0 to 65535 (got "eighty")')
    const envPort = await runCli(['--root', root], { WEB_PORT: '70000' })
    expect(envPort.stderr).toContain('WEB_PORT must be a port number from 0 to 65535 (got "70000")')
    const flag = await runCli(['--rot', root])
    expect(flag.code).toBe(1)
    expect(flag.stderr).toContain('unknown argument "--rot"')
  })
})

describe('the built server (bin/percolate-web-serve.js) over the built app (dist)', () => {
  let built: Served
  beforeAll(async () => {
    if (!existsSync(builtServer)) {
      throw new Error(`No ${builtServer}: run \`make build\` (turbo builds it before the tests)`)
    }
    built = await startServer([builtServer, '--root', webDistDir])
  })
  afterAll(() => built?.stop())

  const indexHtml = () => readFileSync(join(webDistDir, 'index.html'), 'utf8')

  it('serves every script and stylesheet index.html loads, as immutable assets of the right type', async () => {
    const html = await (await fetch(`${built.url}/`)).text()
    expect(html).toBe(indexHtml())
    const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!)
    expect(refs.length).toBeGreaterThan(2)
    for (const ref of refs) {
      const response = await fetch(`${built.url}${ref}`, { method: 'HEAD' })
      expect({ ref, status: response.status, cache: response.headers.get('cache-control') }).toEqual({
        ref,
        status: 200,
        cache: 'public, max-age=31536000, immutable',
      })
      expect(response.headers.get('content-type')).toMatch(
        ref.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      )
    }
  })

  it("has no inline script in index.html (script-src 'self' allows none) and its fonts are data: URLs", () => {
    const html = indexHtml()
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, body] of scripts) {
      expect({ attributes, body }).toEqual({ attributes: expect.stringContaining('src="/assets/'), body: '' })
    }
    // Any other font source would need font-src beyond 'self' data:.
    const css = [...html.matchAll(/href="(\/assets\/[^"]+\.css)"/g)]
      .map((match) => readFileSync(join(webDistDir, match[1]!), 'utf8'))
      .join('\n')
    const fontUrls = [...css.matchAll(/@font-face\s*{[^}]*}/g)].flatMap((face) =>
      [...face[0].matchAll(/url\(\s*["']?([^"')]+)/g)].map((match) => match[1]!),
    )
    expect(fontUrls.length).toBeGreaterThan(0)
    for (const url of fontUrls) expect(url.startsWith('data:') || url.startsWith('/')).toBe(true)
  })

  it("writes no style attribute as text (style-src 'self' would block it; the CSSOM is allowed)", () => {
    const assets = join(webDistDir, 'assets')
    for (const file of assetFiles().filter((name) => name.endsWith('.js'))) {
      const code = readFileSync(join(assets, file), 'utf8')
      const found = /setAttribute\(\s*["'`]style["'`]/.test(code)
      expect({ file, found }).toEqual({ file, found: false })
    }
  })
})

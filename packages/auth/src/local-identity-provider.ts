// A real OpenID Provider (oidc-provider) for `make dev` and tests: the local sign-in follows the same
// authorization-code + PKCE path as Google, Cognito or Okta. Accounts sign in with email and password on a
// plain login page; consent is implied for the registered first-party clients.
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { exportJWK, generateKeyPair } from 'jose'
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider'

export interface LocalAccount {
  /** The subject (`sub`) the provider issues. */
  id: string
  email: string
  name: string
  password: string
  /** A Google Workspace-style hosted domain claim (`hd`), for tests of that check. */
  hostedDomain?: string
}

export interface LocalClient {
  clientId: string
  redirectUris: string[]
}

export interface LocalIdentityProviderOptions {
  accounts: readonly LocalAccount[]
  clients: readonly LocalClient[]
  host?: string
  /** 0 (default) picks a free port. */
  port?: number
}

export interface LocalIdentityProvider {
  issuer: string
  stop(): Promise<void>
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

function loginPage(uid: string, clientName: string, error?: string, email = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — local identity provider</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.75rem 0 .25rem}
input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}</style></head>
<body><h1>Local identity provider</h1><p>Sign in to ${escapeHtml(clientName)}. This provider runs only in local mode.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></body></html>`
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 16_384) throw new Error('form too large')
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}

export async function startLocalIdentityProvider(
  options: LocalIdentityProviderOptions,
): Promise<LocalIdentityProvider> {
  const host = options.host ?? '127.0.0.1'
  const accounts = new Map(options.accounts.map((account) => [account.id, account]))
  const byEmail = new Map(options.accounts.map((account) => [account.email.toLowerCase(), account]))
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end()
  const server = createServer((req, res) => handle(req, res))
  const port = await listen(server, options.port ?? 0, host)
  const issuer = `http://${host}:${port}`

  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'local-1', alg: 'RS256', use: 'sig' }
  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_name: 'Percolate',
      redirect_uris: client.redirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'none',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomUUID()] },
    pkce: { required: () => true },
    ttl: {
      Interaction: 10 * 60,
      Session: 24 * 3600,
      Grant: 24 * 3600,
      AccessToken: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'hd'], profile: ['name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub)
      if (!account) return undefined
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: true,
          name: account.name,
          ...(account.hostedDomain ? { hd: account.hostedDomain } : {}),
        }),
      }
    },
    // First-party clients: consent is implied, so no consent page.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc
      if (!client || !session?.accountId) return undefined
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId)
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId)
        if (existing) return existing
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId })
      grant.addOIDCScope('openid email profile')
      await grant.save()
      return grant
    },
  }
  const provider = new Provider(issuer, configuration)
  const callback = provider.callback()

  handle = (req, res) => {
    const url = new URL(req.url ?? '/', issuer)
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname)
    if (!match) {
      callback(req, res)
      return
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res)
        if (details.uid !== match[1]) throw new Error('interaction mismatch')
        const clientName = 'Percolate'
        if (!match[2]) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          res.end(loginPage(details.uid, clientName))
          return
        }
        if (req.method !== 'POST') {
          res.writeHead(405, { allow: 'POST' }).end()
          return
        }
        const form = await readForm(req)
        const email = (form.get('email') ?? '').trim()
        const account = byEmail.get(email.toLowerCase())
        if (!account || !samePassword(form.get('password') ?? '', account.password)) {
          res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          res.end(loginPage(details.uid, clientName, 'Wrong email or password.', email))
          return
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.id } },
          { mergeWithLastSubmission: false },
        )
      } catch {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('This sign-in link has expired or was already used. Start again from the app.')
      }
    })()
  }

  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

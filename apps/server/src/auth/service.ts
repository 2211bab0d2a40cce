// Sign-in and sessions, composed from packages/auth (protocol, tokens) and packages/db (attempts, sessions,
// members). The HTTP routes (routes.ts) and the tRPC context call this; nothing else touches tokens.

import {
  type AccessTokens,
  createAccessTokens,
  generateSigningKeys,
  importPrivateSigningKey,
} from '@percolate/auth/access-token'
import { createActionTokens } from '@percolate/auth/action-token'
import { createOidcClient, type OidcClient, type VerifiedIdentity } from '@percolate/auth/oidc'
import { generateOpaqueToken, hashOpaqueToken } from '@percolate/auth/opaque-token'
import {
  createApiToken,
  findApiToken,
  isApiTokenActive,
  listApiTokens,
  MAX_API_TOKENS,
  revokeApiToken,
  touchApiToken,
} from '@percolate/db/api-tokens'
import type { Database } from '@percolate/db/database'
import { getDeployment, listDeploymentIds } from '@percolate/db/deployments'
import { consumeLoginAttempt, saveLoginAttempt } from '@percolate/db/login-attempts'
import { eraseMemberAccess, eraseMemberHistory } from '@percolate/db/member-erasure'
import {
  createMember,
  deleteMember,
  findMemberByEmail,
  findMemberByIdentity,
  getMember,
  updateMember,
} from '@percolate/db/members'
import {
  findSessionIdOfRefreshToken,
  getSession,
  isSessionActive,
  revokeMemberSessions,
  revokeSession,
  rotateRefreshToken,
  startSession,
} from '@percolate/db/sessions'
import { type Deployment, type IdentityProvider, isEmailDomainAllowed } from '@percolate/domain/deployment'
import { AppError } from '@percolate/domain/errors'
import { channelAddressesSchema, type Member, preferencesSchema } from '@percolate/domain/member'
import type { ServerEnv } from '../env.ts'
import type { Logger } from '../log.ts'
import type { ServerMetrics } from '../metrics.ts'
import { safeReturnTo } from './return-to.ts'

export const SESSION_LIFETIMES = { absoluteSeconds: 30 * 24 * 3600, idleSeconds: 7 * 24 * 3600 }
export const LOGIN_ATTEMPT_SECONDS = 10 * 60
export const LOCAL_CLIENT_ID = 'percolate-local'
const GOOGLE_ISSUER = 'https://accounts.google.com'

/** Why a sign-in did not end in a session: the sign-in page explains each one. */
export const signInErrors = [
  'expired',
  'denied',
  'domain',
  'conflict',
  'unavailable',
  'unknown',
  'rate-limited',
] as const
export type SignInError = (typeof signInErrors)[number]

export class SignInFailure extends Error {
  override readonly name = 'SignInFailure'
  constructor(
    readonly reason: SignInError,
    message: string,
  ) {
    super(message)
  }
}

export interface ProviderOption {
  /** In URLs: /auth/login/:key. */
  key: string
  kind: IdentityProvider['kind']
  label: string
}

interface ResolvedProvider extends ProviderOption {
  issuer: string
  clientId: string
}

const slug = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

/** Who a request acts for: a browser session, or a personal API token. Only ever from verified credentials. */
export type Principal =
  | { via: 'session'; deploymentId: string; memberId: string; sessionId: string }
  | { via: 'token'; deploymentId: string; memberId: string; tokenId: string }

export const API_TOKEN_PREFIX = 'pct'

export interface AuthSession {
  accessToken: string
  accessExpiresAt: Date
  /** Cookie value: "<deployment id>.<opaque token>" (the id tells which partition holds the token's hash). */
  refreshCookie: string
}

export interface CompletedSignIn extends AuthSession {
  member: Member
  redirectTo: string
}

export interface AuthServiceOptions {
  db: Database
  env: ServerEnv
  logger: Logger
  /** Counts refresh-token reuse detections (percolate_refresh_token_reuse_total). */
  metrics?: Pick<ServerMetrics, 'refreshTokenReuse'>
  /** Local mode: the embedded OpenID Provider's issuer. */
  localIssuer?: string
  /** Tests only (local mode): a stand-in for Google's issuer, to exercise the Workspace-domain check. */
  googleIssuer?: string
}

export async function createAuthService({
  db,
  env,
  logger,
  metrics,
  localIssuer,
  googleIssuer,
}: AuthServiceOptions) {
  const local = env.PERCOLATE_MODE === 'local'
  const google = local && googleIssuer ? googleIssuer : GOOGLE_ISSUER
  if (!local && !env.SESSION_SIGNING_KEY) {
    throw new AppError(
      'INVALID_INPUT',
      'SESSION_SIGNING_KEY is required outside local mode: a P-256 private key in PKCS#8 PEM (see docs/configuration.md)',
    )
  }
  const keys = env.SESSION_SIGNING_KEY
    ? await importPrivateSigningKey(env.SESSION_SIGNING_KEY)
    : await generateSigningKeys()
  const publicOrigin = new URL(env.PUBLIC_URL).origin
  const accessTokens: AccessTokens = createAccessTokens({ keys, issuer: publicOrigin, audience: 'percolate' })
  /** The signed links in notifications (pause, we met, we didn't meet). */
  const actionTokens = createActionTokens({ keys, issuer: publicOrigin })
  const secrets = JSON.parse(env.OIDC_CLIENT_SECRETS) as Record<string, string>
  const clients = new Map<string, Promise<OidcClient>>()

  function resolveProviders(deployment: Deployment): ResolvedProvider[] {
    const resolved: ResolvedProvider[] = []
    for (const provider of deployment.identityProviders) {
      switch (provider.kind) {
        case 'google':
          resolved.push({
            key: 'google',
            kind: 'google',
            label: 'Google',
            issuer: google,
            clientId: provider.clientId,
          })
          break
        case 'cognito':
          resolved.push({
            key: 'cognito',
            kind: 'cognito',
            label: 'AWS',
            issuer: provider.issuer,
            clientId: provider.clientId,
          })
          break
        case 'oidc':
          resolved.push({
            key: `oidc-${slug(provider.label)}`,
            kind: 'oidc',
            label: provider.label,
            issuer: provider.issuer,
            clientId: provider.clientId,
          })
          break
        case 'local':
          // Offered only when this server runs in local mode with its embedded provider.
          if (local && localIssuer) {
            resolved.push({
              key: 'local',
              kind: 'local',
              label: 'Local demo account',
              issuer: localIssuer,
              clientId: LOCAL_CLIENT_ID,
            })
          }
          break
      }
    }
    return resolved
  }

  function clientFor(deployment: Deployment, provider: ResolvedProvider): Promise<OidcClient> {
    const cacheKey = `${deployment.id}/${provider.key}/${provider.issuer}/${provider.clientId}`
    let client = clients.get(cacheKey)
    if (!client) {
      client = createOidcClient({
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: secrets[`${deployment.id}/${provider.key}`],
        redirectUri: `${publicOrigin}/auth/callback/${provider.key}`,
        // Plain http only for providers on this machine in local mode; production issuers are https.
        allowInsecureRequests: local && provider.issuer.startsWith('http://'),
      })
      // A failed discovery is tried again on the next sign-in.
      client.catch(() => clients.delete(cacheKey))
      clients.set(cacheKey, client)
    }
    return client
  }

  async function findProvider(deploymentId: string, key: string) {
    const deployment = await getDeployment(db, deploymentId)
    if (!deployment) throw new SignInFailure('unknown', `No workspace '${deploymentId}' is served here`)
    const provider = resolveProviders(deployment).find((p) => p.key === key)
    if (!provider)
      throw new SignInFailure('unknown', `${deployment.name} does not offer sign-in with '${key}'`)
    return { deployment, provider }
  }

  async function issueSession(member: Member, refreshToken: string, sessionId: string): Promise<AuthSession> {
    const access = await accessTokens.issue({
      sub: member.id,
      dep: member.deploymentId,
      sid: sessionId,
      role: member.role,
    })
    return {
      accessToken: access.token,
      accessExpiresAt: access.expiresAt,
      refreshCookie: `${member.deploymentId}.${refreshToken}`,
    }
  }

  /** The member for a verified identity: known by (issuer, subject), or registered now. */
  async function memberFor(deployment: Deployment, provider: ResolvedProvider, identity: VerifiedIdentity) {
    const email = identity.email
    if (!email || !identity.emailVerified) {
      throw new SignInFailure(
        'domain',
        'Your identity provider did not confirm an email address for your account',
      )
    }
    if (
      provider.kind === 'google' &&
      !(identity.hostedDomain && deployment.allowedEmailDomains.includes(identity.hostedDomain))
    ) {
      throw new SignInFailure('domain', `${email} is not an account of an allowed Google Workspace`)
    }
    if (!isEmailDomainAllowed(deployment, email)) {
      throw new SignInFailure('domain', `${email} is not allowed to join ${deployment.name}`)
    }
    const key = { issuer: identity.issuer, subject: identity.subject }
    const known = await findMemberByIdentity(db, deployment.id, key)
    if (known) return { member: known, registered: false }
    const invited = await findMemberByEmail(db, deployment.id, email)
    if (invited) {
      // A member an admin (or the demo seed) created, who never signed in: this first verified sign-in claims it.
      if (invited.identities.length > 0) {
        throw new SignInFailure('conflict', `${email} already belongs to a member who signs in another way`)
      }
      return { member: await updateMember(db, invited, { identities: [key] }), registered: false }
    }
    const member = await createMember(db, {
      id: crypto.randomUUID(),
      deploymentId: deployment.id,
      email,
      name: identity.name?.trim() || email.slice(0, email.indexOf('@')),
      department: '',
      location: '',
      timeZone: deployment.timeZone,
      workingHours: { start: '09:00', end: '17:00' },
      bio: '',
      interests: [],
      role: 'member',
      // The schemas' defaults: one place says what a new member starts with.
      preferences: preferencesSchema.parse({}),
      participation: { status: 'active' },
      channels: channelAddressesSchema.parse({}),
      identities: [key],
      onboarded: false,
    })
    logger.info('member registered', {
      deploymentId: deployment.id,
      memberId: member.id,
      provider: provider.key,
    })
    return { member, registered: true }
  }

  return {
    accessTokens,
    actionTokens,
    publicOrigin,

    /** The workspaces served here and how to sign in to each (the sign-in page's buttons). */
    async signInOptions(): Promise<{ id: string; name: string; providers: ProviderOption[] }[]> {
      const ids = await listDeploymentIds(db)
      const deployments = (await Promise.all(ids.map((id) => getDeployment(db, id)))).filter(
        (d): d is Deployment => d !== null,
      )
      return deployments.map((deployment) => ({
        id: deployment.id,
        name: deployment.name,
        providers: resolveProviders(deployment).map(({ key, kind, label }) => ({ key, kind, label })),
      }))
    },

    /** Starts a sign-in: where to send the browser, and the secret its login cookie keeps. */
    async beginSignIn(input: { deploymentId?: string; providerKey: string; returnTo?: string | null }) {
      let deploymentId = input.deploymentId
      if (!deploymentId) {
        const ids = await listDeploymentIds(db)
        if (ids.length !== 1) throw new SignInFailure('unknown', 'Choose the workspace to sign in to')
        deploymentId = ids[0]!
      }
      const { deployment, provider } = await findProvider(deploymentId, input.providerKey)
      let client: OidcClient
      try {
        client = await clientFor(deployment, provider)
      } catch (error) {
        logger.warn('identity provider unavailable', { provider: provider.key, issuer: provider.issuer })
        throw new SignInFailure('unavailable', (error as Error).message)
      }
      const { url, checks } = await client.begin()
      const browserSecret = generateOpaqueToken()
      const now = new Date()
      await saveLoginAttempt(db, {
        deploymentId: deployment.id,
        stateHash: hashOpaqueToken(checks.state),
        provider: provider.key,
        issuer: checks.issuer,
        nonce: checks.nonce,
        codeVerifier: checks.codeVerifier,
        browserHash: hashOpaqueToken(browserSecret),
        returnTo: safeReturnTo(input.returnTo),
        createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + LOGIN_ATTEMPT_SECONDS,
      })
      return { authorizationUrl: url, loginCookie: `${deployment.id}.${browserSecret}` }
    },

    /** Finishes a sign-in from the provider's callback, in the browser that started it. */
    async completeSignIn(input: { providerKey: string; callbackUrl: URL; loginCookie: string | undefined }) {
      const expired = () =>
        new SignInFailure('expired', 'This sign-in has expired or was started in another browser')
      const providerError = input.callbackUrl.searchParams.get('error')
      const [deploymentId, browserSecret] = (input.loginCookie ?? '').split('.')
      const state = input.callbackUrl.searchParams.get('state')
      if (!deploymentId || !browserSecret || !state)
        throw providerError ? new SignInFailure('denied', providerError) : expired()
      // Taken out whatever happens next: a callback URL works once.
      const attempt = await consumeLoginAttempt(db, deploymentId, hashOpaqueToken(state))
      if (
        !attempt ||
        attempt.browserHash !== hashOpaqueToken(browserSecret) ||
        attempt.provider !== input.providerKey
      ) {
        throw expired()
      }
      if (providerError)
        throw new SignInFailure('denied', `The identity provider refused the sign-in (${providerError})`)
      const { deployment, provider } = await findProvider(deploymentId, input.providerKey)
      const client = await clientFor(deployment, provider)
      let identity: VerifiedIdentity
      try {
        identity = await client.complete(input.callbackUrl, {
          state,
          nonce: attempt.nonce,
          codeVerifier: attempt.codeVerifier,
          issuer: attempt.issuer,
        })
      } catch (error) {
        logger.warn('sign-in not confirmed', { provider: provider.key, reason: (error as Error).message })
        throw new SignInFailure('denied', (error as Error).message)
      }
      const { member, registered } = await memberFor(deployment, provider, identity)
      const refreshToken = generateOpaqueToken()
      const session = await startSession(db, {
        deploymentId: deployment.id,
        memberId: member.id,
        refreshTokenHash: hashOpaqueToken(refreshToken),
        lifetimes: SESSION_LIFETIMES,
      })
      logger.info('signed in', {
        deploymentId: deployment.id,
        memberId: member.id,
        sessionId: session.id,
        registered,
      })
      const tokens = await issueSession(member, refreshToken, session.id)
      return {
        ...tokens,
        member,
        redirectTo: member.onboarded ? attempt.returnTo : '/onboarding',
      } satisfies CompletedSignIn
    },

    /** A new access token and refresh token for the refresh cookie; the old refresh token is spent. */
    async refresh(refreshCookie: string | undefined): Promise<AuthSession> {
      const [deploymentId, token] = (refreshCookie ?? '').split('.')
      if (!deploymentId || !token) throw new AppError('UNAUTHENTICATED', 'Not signed in.')
      const next = generateOpaqueToken()
      const result = await rotateRefreshToken(db, {
        deploymentId,
        refreshTokenHash: hashOpaqueToken(token),
        nextRefreshTokenHash: hashOpaqueToken(next),
        lifetimes: SESSION_LIFETIMES,
      })
      if (!result.ok) {
        if (result.reason === 'reused') {
          metrics?.refreshTokenReuse.inc()
          logger.warn('refresh token reuse: session revoked', { deploymentId })
        }
        throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again.')
      }
      const member = await getMember(db, deploymentId, result.session.memberId)
      if (!member) {
        await revokeSession(db, deploymentId, result.session.id, 'the member no longer exists')
        throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again.')
      }
      return issueSession(member, next, result.session.id)
    },

    /** Ends the session of this browser (by its refresh cookie, or the access token's session id). */
    async signOut(refreshCookie: string | undefined, principal: Principal | null): Promise<void> {
      if (principal?.via === 'session') {
        await revokeSession(db, principal.deploymentId, principal.sessionId, 'signed out')
        return
      }
      const [deploymentId, token] = (refreshCookie ?? '').split('.')
      if (!deploymentId || !token) return
      const sessionId = await findSessionIdOfRefreshToken(db, deploymentId, hashOpaqueToken(token))
      if (sessionId) await revokeSession(db, deploymentId, sessionId, 'signed out')
    },

    /** The principal of a request: its Bearer API token if it sends one, else its access cookie. */
    async authenticate(input: { bearer?: string | null; accessCookie?: string }): Promise<Principal | null> {
      if (input.bearer) {
        const [prefix, deploymentId, secret, extra] = input.bearer.split('.')
        if (prefix !== API_TOKEN_PREFIX || !deploymentId || !secret || extra !== undefined) return null
        const token = await findApiToken(db, deploymentId, hashOpaqueToken(secret))
        if (!token || !isApiTokenActive(token)) return null
        await touchApiToken(db, token)
        return { via: 'token', deploymentId, memberId: token.memberId, tokenId: token.id }
      }
      if (!input.accessCookie) return null
      try {
        const claims = await accessTokens.verify(input.accessCookie)
        return { via: 'session', deploymentId: claims.dep, memberId: claims.sub, sessionId: claims.sid }
      } catch {
        return null
      }
    },

    /** The member behind a principal, with the session when it is one; null when either has ended. */
    async loadPrincipal(principal: Principal) {
      if (principal.via === 'token') {
        const member = await getMember(db, principal.deploymentId, principal.memberId)
        return member ? { member, session: null } : null
      }
      const [member, session] = await Promise.all([
        getMember(db, principal.deploymentId, principal.memberId),
        getSession(db, principal.deploymentId, principal.sessionId),
      ])
      if (!member || !session || session.memberId !== member.id || !isSessionActive(session)) return null
      return { member, session }
    },

    /**
     * Deletes a member and everything that is theirs (see member-erasure.ts), and ends every session and API token
     * of theirs at once: account deletion and an admin's removal. Returns how many sessions were active.
     *
     * Order: their history goes first, while the member record still exists, so a crash (or a CONFLICT on the
     * record) leaves a member who can delete their account again, or be removed again, and the rerun finishes the
     * job; never records of an id that nobody can delete any more. Then the record and its claims go, sessions
     * and tokens end, and a second pass takes what a round running at that moment wrote in between, along with
     * the ended session and token records.
     */
    async endMembership(member: Member, reason: string): Promise<number> {
      const { deploymentId, id } = member
      const erased = await eraseMemberHistory(db, deploymentId, id)
      await deleteMember(db, member)
      const sessionsEnded = await revokeMemberSessions(db, deploymentId, id, reason)
      for (const token of await listApiTokens(db, deploymentId, id)) {
        if (isApiTokenActive(token)) await revokeApiToken(db, deploymentId, id, token.id)
      }
      const late = await eraseMemberHistory(db, deploymentId, id)
      await eraseMemberAccess(db, deploymentId, id)
      logger.info('membership ended', {
        deploymentId,
        memberId: id,
        reason,
        matchesErased: erased.matches + late.matches,
        notificationsErased: erased.notifications + late.notifications,
      })
      return sessionsEnded
    },

    /** A new personal API token: the secret is returned here once and never stored. */
    async createApiToken(member: Member, input: { name: string; expiresInDays: number | null }) {
      const active = (await listApiTokens(db, member.deploymentId, member.id)).filter((t) =>
        isApiTokenActive(t),
      )
      if (active.length >= MAX_API_TOKENS) {
        throw new AppError(
          'CONFLICT',
          `You already have ${MAX_API_TOKENS} active API tokens; revoke one you no longer use first`,
        )
      }
      const secret = generateOpaqueToken()
      const now = new Date()
      const record = await createApiToken(db, {
        deploymentId: member.deploymentId,
        hash: hashOpaqueToken(secret),
        id: crypto.randomUUID(),
        memberId: member.id,
        name: input.name,
        createdAt: now.toISOString(),
        ...(input.expiresInDays
          ? { expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() }
          : {}),
      })
      logger.info('api token created', {
        deploymentId: member.deploymentId,
        memberId: member.id,
        tokenId: record.id,
      })
      return { token: `${API_TOKEN_PREFIX}.${member.deploymentId}.${secret}`, record }
    },
  }
}

export type AuthService = Awaited<ReturnType<typeof createAuthService>>

// The relying party: authorization code + PKCE (S256) against any OpenID Provider found by discovery (Google,
// Cognito, Okta, Entra ID, Keycloak, the local provider), with openid-client. The ID token's signature is checked
// against the provider's JWKS (non-repudiation checks on), as are iss, aud, exp, the nonce and the state.
import { AppError } from '@percolate/domain/errors'
import * as client from 'openid-client'

export interface OidcClientSettings {
  /** The issuer, exactly as the provider names itself (discovery is at issuer/.well-known/openid-configuration). */
  issuer: string
  clientId: string
  /** Confidential clients (Google web clients, Cognito app clients with a secret); absent for public + PKCE. */
  clientSecret?: string
  redirectUri: string
  /** Only for the local provider on plain http. */
  allowInsecureRequests?: boolean
}

/** What one login attempt must remember until the callback, bound to the browser that started it. */
export interface LoginChecks {
  state: string
  nonce: string
  codeVerifier: string
  /** The issuer this attempt went to: the callback is only accepted from it (mix-up defence). */
  issuer: string
}

export interface VerifiedIdentity {
  issuer: string
  subject: string
  email?: string
  emailVerified: boolean
  name?: string
  /** Google Workspace hosted domain (`hd`), when the provider sends one. */
  hostedDomain?: string
}

export interface OidcClient {
  readonly issuer: string
  begin(): Promise<{ url: URL; checks: LoginChecks }>
  complete(callbackUrl: URL, checks: LoginChecks): Promise<VerifiedIdentity>
}

export async function createOidcClient(settings: OidcClientSettings): Promise<OidcClient> {
  const execute = [client.enableNonRepudiationChecks]
  if (settings.allowInsecureRequests) execute.push(client.allowInsecureRequests)
  let config: client.Configuration
  try {
    config = await client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      { redirect_uris: [settings.redirectUri] },
      settings.clientSecret ? client.ClientSecretPost(settings.clientSecret) : client.None(),
      { execute },
    )
  } catch (error) {
    throw new AppError('UNAVAILABLE', `The identity provider at ${settings.issuer} could not be reached`, {
      cause: error,
    })
  }
  const issuer = config.serverMetadata().issuer

  return {
    issuer,
    async begin() {
      const codeVerifier = client.randomPKCECodeVerifier()
      const checks: LoginChecks = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier,
        issuer,
      }
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        response_type: 'code',
        scope: 'openid email profile',
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      })
      return { url, checks }
    },

    async complete(callbackUrl, checks) {
      if (checks.issuer !== issuer) {
        throw new AppError(
          'UNAUTHENTICATED',
          'This sign-in was started with another identity provider. Start again.',
        )
      }
      let claims: client.IDToken | undefined
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        })
        claims = tokens.claims()
      } catch (error) {
        throw new AppError(
          'UNAUTHENTICATED',
          'The identity provider did not confirm who you are. Start again.',
          {
            cause: error,
          },
        )
      }
      if (!claims)
        throw new AppError('UNAUTHENTICATED', 'The identity provider sent no ID token. Start again.')
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' ? claims.name : undefined,
        hostedDomain: typeof claims.hd === 'string' ? claims.hd.toLowerCase() : undefined,
      }
    },
  }
}

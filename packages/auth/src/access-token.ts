// Short-lived access tokens: JWTs signed with ES256 (jose), verified with the algorithm pinned and iss, aud, exp,
// the JWT type header and a token-use claim checked (RFC 8725). A refresh token is opaque and never a JWT, so it
// can never be taken for one of these.
import { AppError } from '@percolate/domain/errors'
import {
  type CryptoKey,
  errors,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importJWK,
  importPKCS8,
  importSPKI,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'
import { z } from 'zod'

export const ACCESS_TOKEN_ALGORITHM = 'ES256'
export const ACCESS_TOKEN_TYPE = 'at+jwt'
export const ACCESS_TOKEN_LIFETIME_SECONDS = 15 * 60
const CLOCK_TOLERANCE_SECONDS = 30

export const accessClaimsSchema = z.object({
  /** The member id. */
  sub: z.string().min(1),
  /** The deployment the session belongs to: the only source of a request's deployment. */
  dep: z.string().min(1),
  /** The session (refresh-token family) the token was issued for. */
  sid: z.string().min(1),
  role: z.enum(['member', 'admin']),
  token_use: z.literal('access'),
})
export type AccessClaims = z.infer<typeof accessClaimsSchema>

export interface SigningKeys {
  privateKey: CryptoKey
  publicKey: CryptoKey
}

/** A fresh P-256 key pair (local mode and tests; production reads one from configuration). */
export async function generateSigningKeys(): Promise<SigningKeys> {
  return generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true })
}

/** Keys from a PKCS#8 PEM private key and its SPKI PEM public key. */
export async function importSigningKeys(privatePem: string, publicPem: string): Promise<SigningKeys> {
  try {
    return {
      privateKey: await importPKCS8(privatePem, ACCESS_TOKEN_ALGORITHM),
      publicKey: await importSPKI(publicPem, ACCESS_TOKEN_ALGORITHM),
    }
  } catch (error) {
    throw new AppError('INVALID_INPUT', 'signing key: expected a P-256 key pair in PEM (PKCS#8 and SPKI)', {
      cause: error,
    })
  }
}

/** Keys from the private key alone (PKCS#8 PEM): the public key is derived from it. */
export async function importPrivateSigningKey(privatePem: string): Promise<SigningKeys> {
  try {
    const privateKey = await importPKCS8(privatePem, ACCESS_TOKEN_ALGORITHM, { extractable: true })
    const { d: _secret, ...publicJwk } = await exportJWK(privateKey)
    const publicKey = (await importJWK(publicJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey
    return { privateKey, publicKey }
  } catch (error) {
    throw new AppError('INVALID_INPUT', 'signing key: expected a P-256 private key in PKCS#8 PEM', {
      cause: error,
    })
  }
}

export async function exportSigningKeys(
  keys: SigningKeys,
): Promise<{ privatePem: string; publicPem: string }> {
  return { privatePem: await exportPKCS8(keys.privateKey), publicPem: await exportSPKI(keys.publicKey) }
}

export interface AccessTokenOptions {
  keys: SigningKeys
  /** This server's public URL. */
  issuer: string
  audience: string
  now?: () => Date
}

export function createAccessTokens(options: AccessTokenOptions) {
  const now = options.now ?? (() => new Date())
  return {
    async issue(claims: Omit<AccessClaims, 'token_use'>): Promise<{ token: string; expiresAt: Date }> {
      const issuedAt = Math.floor(now().getTime() / 1000)
      const expiresAt = issuedAt + ACCESS_TOKEN_LIFETIME_SECONDS
      const token = await new SignJWT({
        dep: claims.dep,
        sid: claims.sid,
        role: claims.role,
        token_use: 'access',
      })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE })
        .setSubject(claims.sub)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(crypto.randomUUID())
        .sign(options.keys.privateKey)
      return { token, expiresAt: new Date(expiresAt * 1000) }
    },

    /** The token's claims, or an UNAUTHENTICATED AppError that says what is wrong (never why in detail). */
    async verify(token: string): Promise<AccessClaims> {
      let payload: JWTPayload
      try {
        ;({ payload } = await jwtVerify(token, options.keys.publicKey, {
          algorithms: [ACCESS_TOKEN_ALGORITHM],
          typ: ACCESS_TOKEN_TYPE,
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ['exp', 'iat', 'sub'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: now(),
        }))
      } catch (error) {
        const expired = error instanceof errors.JWTExpired
        throw new AppError(
          'UNAUTHENTICATED',
          expired ? 'Your session has expired. Sign in again.' : 'Not signed in.',
          { cause: error },
        )
      }
      const claims = accessClaimsSchema.safeParse(payload)
      if (!claims.success) throw new AppError('UNAUTHENTICATED', 'Not signed in.')
      return claims.data
    },
  }
}

export type AccessTokens = ReturnType<typeof createAccessTokens>

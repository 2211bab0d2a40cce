// Links in notifications that act without a session: "pause me" (one-click unsubscribe, RFC 8058), "we met",
// "we didn't meet". Each is a JWT signed with the deployment's signing key (ES256), for one member and one
// action, expiring; its type, audience and token-use claim differ from access tokens', so neither passes as the
// other.
import { AppError } from '@percolate/domain/errors'
import { errors, jwtVerify, SignJWT } from 'jose'
import { z } from 'zod'
import type { SigningKeys } from './access-token.ts'

export const ACTION_TOKEN_TYPE = 'percolate-action+jwt'
export const actionKinds = ['pause', 'met', 'didnt-meet'] as const
export type ActionKind = (typeof actionKinds)[number]
/** Long enough for a mail read after a holiday; short enough that an old forwarded mail stops working. */
export const ACTION_TOKEN_LIFETIME_SECONDS = 60 * 86_400

const actionClaimsSchema = z.object({
  sub: z.string().min(1),
  dep: z.string().min(1),
  act: z.enum(actionKinds),
  /** The round a met / didn't-meet answer is about. */
  rnd: z.iso.datetime().optional(),
  token_use: z.literal('action'),
})
export interface ActionClaims {
  deploymentId: string
  memberId: string
  action: ActionKind
  scheduledAt?: string
}

export function createActionTokens(options: { keys: SigningKeys; issuer: string }) {
  const audience = `${options.issuer}/actions`
  return {
    async issue(claims: ActionClaims, now = new Date()): Promise<string> {
      const issuedAt = Math.floor(now.getTime() / 1000)
      return new SignJWT({
        dep: claims.deploymentId,
        act: claims.action,
        ...(claims.scheduledAt ? { rnd: claims.scheduledAt } : {}),
        token_use: 'action',
      })
        .setProtectedHeader({ alg: 'ES256', typ: ACTION_TOKEN_TYPE })
        .setSubject(claims.memberId)
        .setIssuer(options.issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ACTION_TOKEN_LIFETIME_SECONDS)
        .sign(options.keys.privateKey)
    },

    /** The claims of a valid token; AppError UNAUTHENTICATED with a reason a person can act on otherwise. */
    async verify(token: string): Promise<ActionClaims> {
      try {
        const { payload } = await jwtVerify(token, options.keys.publicKey, {
          algorithms: ['ES256'],
          typ: ACTION_TOKEN_TYPE,
          issuer: options.issuer,
          audience,
          clockTolerance: 30,
        })
        const claims = actionClaimsSchema.parse(payload)
        return {
          deploymentId: claims.dep,
          memberId: claims.sub,
          action: claims.act,
          ...(claims.rnd ? { scheduledAt: claims.rnd } : {}),
        }
      } catch (error) {
        const expired = error instanceof errors.JWTExpired
        throw new AppError(
          'UNAUTHENTICATED',
          expired
            ? 'This link has expired. Sign in to change your participation or report your meeting.'
            : 'This link is not valid. Sign in to change your participation or report your meeting.',
          { cause: error },
        )
      }
    },
  }
}
export type ActionTokens = ReturnType<typeof createActionTokens>

// tRPC setup: context, error shape and procedure builders. Routers live one file each beside this one.
import type { AccessClaims } from '@percolate/auth/access-token'
import type { Database } from '@percolate/db/database'
import { type AppErrorCode, isAppError } from '@percolate/domain/errors'
import { describeIssues } from '@percolate/domain/validation'
import { initTRPC, TRPCError } from '@trpc/server'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import { ZodError } from 'zod'
import type { AuthService } from '../auth/service.ts'
import type { ServerEnv } from '../env.ts'
import type { Logger } from '../log.ts'

export interface ContextInner {
  db: Database
  env: ServerEnv
  logger: Logger
  auth: AuthService
  /** The verified access token's claims: the only source of the request's deployment and member. */
  claims?: AccessClaims | null
}

export interface Context extends ContextInner {
  requestId: string
  claims: AccessClaims | null
}

/** For tests and `createCaller`: a context without an HTTP request. */
export function createContextInner(inner: ContextInner): Context {
  return { ...inner, claims: inner.claims ?? null, requestId: crypto.randomUUID() }
}

const trpcCodeOf: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID_INPUT: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
}

/** Turns an AppError thrown by a business function into the TRPCError the client sees. */
export function toTRPCError(error: unknown): unknown {
  if (isAppError(error))
    return new TRPCError({ code: trpcCodeOf[error.code], message: error.message, cause: error })
  return error
}

const t = initTRPC.context<Context>().create({
  // Stack traces never leave the server.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause
    const validation = cause instanceof ZodError ? describeIssues(cause) : null
    const internal = error.code === 'INTERNAL_SERVER_ERROR'
    return {
      ...shape,
      message: validation
        ? validation.join('; ')
        : internal
          ? 'Something went wrong on our side. Try again; if it keeps happening, tell your Percolate admin.'
          : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        issues: validation,
      },
    }
  },
})

/** Maps AppErrors from business functions to tRPC codes in one place. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok && isAppError(result.error.cause)) {
    throw toTRPCError(result.error.cause)
  }
  return result
})

export const createTRPCRouter = t.router
export const createCallerFactory = t.createCallerFactory
export const publicProcedure = t.procedure.use(appErrors)

/** Signed in: the session's deployment, member and session in context, loaded fresh (a removed member is out). */
export const memberProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.claims) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' })
  const loaded = await ctx.auth.loadSession(ctx.claims)
  if (!loaded)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended. Sign in again.' })
  return next({ ctx: { deploymentId: ctx.claims.dep, member: loaded.member, session: loaded.session } })
})

export const adminProcedure = memberProcedure.use(({ ctx, next }) => {
  if (ctx.member.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins of this workspace can do this.' })
  }
  return next()
})

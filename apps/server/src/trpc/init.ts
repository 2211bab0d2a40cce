// tRPC setup: context, error shape and procedure builders. Routers live one file each beside this one.
import type { Database } from '@percolate/db/database'
import { type AppErrorCode, isAppError } from '@percolate/domain/errors'
import { describeIssues } from '@percolate/domain/validation'
import { initTRPC, TRPCError } from '@trpc/server'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import { ZodError } from 'zod'
import type { AuthService, Principal } from '../auth/service.ts'
import type { ServerEnv } from '../env.ts'
import type { Logger } from '../log.ts'

export interface ContextInner {
  db: Database
  env: ServerEnv
  logger: Logger
  auth: AuthService
  /** Who the request acts for, from verified credentials: the only source of its deployment and member. */
  principal?: Principal | null
  /** The HTTP request's id (the one its log lines carry); a new one when there is no HTTP request. */
  requestId?: string
}

export interface Context extends ContextInner {
  requestId: string
  principal: Principal | null
  /** Per HTTP request: a batch of calls loads the member and session once. */
  memo: Map<string, Promise<unknown>>
}

/** For tests and `createCaller`: a context without an HTTP request. */
export function createContextInner(inner: ContextInner): Context {
  return {
    ...inner,
    principal: inner.principal ?? null,
    requestId: inner.requestId ?? crypto.randomUUID(),
    memo: new Map(),
  }
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

/** Signed in: the principal's deployment and member (loaded fresh: a removed member is out), and session. */
export const memberProcedure = publicProcedure.use(async ({ ctx, next, type }) => {
  const { principal } = ctx
  if (!principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' })
  // Queries of one batch share one load; a mutation always reads fresh (it may follow another mutation).
  let loading =
    type === 'query'
      ? (ctx.memo.get('principal') as ReturnType<typeof ctx.auth.loadPrincipal> | undefined)
      : undefined
  if (!loading) {
    loading = ctx.auth.loadPrincipal(principal)
    if (type === 'query') ctx.memo.set('principal', loading)
    else ctx.memo.clear()
  }
  const loaded = await loading
  if (!loaded)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended. Sign in again.' })
  return next({
    ctx: { principal, deploymentId: principal.deploymentId, member: loaded.member, session: loaded.session },
  })
})

/** Only in a browser session: what an API token must not do (manage tokens). */
export const sessionProcedure = memberProcedure.use(({ ctx, next }) => {
  if (!ctx.session) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Sign in with your browser to do this; API tokens cannot.',
    })
  }
  return next({ ctx: { session: ctx.session } })
})

export const adminProcedure = memberProcedure.use(({ ctx, next }) => {
  if (ctx.member.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins of this workspace can do this.' })
  }
  return next()
})

// A tRPC link for component tests: answers each procedure from a handler the test gives, in the shapes the server
// sends (its error formatter's `data.code` and `data.issues` included), and records every call.

import type { AppRouter } from '@percolate/server/router'
import { TRPCClientError, type TRPCLink } from '@trpc/client'
import { observable } from '@trpc/server/observable'
import type { RouterInputs, RouterOutputs } from '../trpc.ts'

type Handler<I, O> = (input: I) => O | Promise<O>

/** Answers by procedure: `{ me: { get: () => member } }`. A call without a handler fails the way a 500 would. */
export type Handlers = {
  [R in keyof RouterOutputs]?: R extends 'health'
    ? Handler<void, RouterOutputs['health']>
    : {
        [P in keyof RouterOutputs[R]]?: Handler<
          P extends keyof RouterInputs[R] ? RouterInputs[R][P] : never,
          RouterOutputs[R][P]
        >
      }
}

export interface Call {
  path: string
  type: string
  input: unknown
}

const httpStatusOf: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
}

/** Thrown by a handler: the client sees what the server's error formatter would send. */
export class ServerError extends Error {
  constructor(
    readonly code: keyof typeof httpStatusOf,
    message: string,
    readonly issues: string[] | null = null,
  ) {
    super(message)
  }
}

/** A validation failure as the server reports zod issues: every line "field: message". */
export const invalidInput = (...issues: string[]) => new ServerError('BAD_REQUEST', issues.join('; '), issues)

function toClientError(error: unknown, path: string) {
  const server =
    error instanceof ServerError
      ? error
      : new ServerError('INTERNAL_SERVER_ERROR', error instanceof Error ? error.message : String(error))
  return TRPCClientError.from({
    error: {
      code: -32000 - (httpStatusOf[server.code] ?? 500),
      message: server.message,
      data: { code: server.code, httpStatus: httpStatusOf[server.code], path, issues: server.issues },
    },
  })
}

export function testLink(handlers: Handlers, calls: Call[]): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        calls.push({ path: op.path, type: op.type, input: op.input })
        const [first, second] = op.path.split('.') as [string, string | undefined]
        const group = (handlers as Record<string, unknown>)[first]
        const handler = (second ? (group as Record<string, unknown> | undefined)?.[second] : group) as
          | ((input: unknown) => unknown)
          | undefined
        let settled = false
        Promise.resolve()
          .then(() => {
            if (!handler) throw new Error(`test: no handler for ${op.path}`)
            return handler(op.input)
          })
          .then(
            (data) => {
              if (settled) return
              observer.next({ result: { type: 'data', data } })
              observer.complete()
            },
            (error: unknown) => {
              if (!settled) observer.error(toClientError(error, op.path))
            },
          )
        return () => {
          settled = true
        }
      })
}

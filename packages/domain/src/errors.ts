// Error codes a person or a client can act on. Mapped to transport codes (tRPC, HTTP) in one place per app.

export const appErrorCodes = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UNAVAILABLE',
] as const
export type AppErrorCode = (typeof appErrorCodes)[number]

export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

// One JSON object per line on stdout: what log collectors in Kubernetes expect. Never log secrets or tokens, and
// no personal data beyond ids: a line written while a request is handled carries that request's id, and anything
// shaped like an email address is masked before the line is written, whatever put it there (an error message).
import { currentRequestContext } from './request-context.ts'

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const
export type LogLevel = keyof typeof levels

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

const EMAIL_ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g

/** Replaces every email address in a log line with a placeholder. */
export function maskEmailAddresses(line: string): string {
  return line.replace(EMAIL_ADDRESS, '[email]')
}

export function createLogger(
  minimum: LogLevel,
  write: (line: string) => void = (line) => console.log(line),
): Logger {
  const emit =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (levels[level] < levels[minimum]) return
      const requestId = currentRequestContext()?.requestId
      const line = JSON.stringify({
        time: new Date().toISOString(),
        level,
        message,
        ...(requestId ? { requestId } : {}),
        ...fields,
      })
      write(maskEmailAddresses(line))
    }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

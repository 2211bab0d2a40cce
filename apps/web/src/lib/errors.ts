// Server errors as a person reads them: validation lines ("field.path: what is allowed") go next to their field,
// everything else to the form or the Flashbar. The server formats zod issues and AppErrors the same way, and so do
// the shared schemas when a form checks itself before sending (describeIssues).
import { TRPCClientError } from '@trpc/client'

const issueLine = /^([A-Za-z][\w]*(?:\.[\w]+|\[\d+\])*): (.+)$/s

export interface FieldErrors {
  /** Messages by field path, such as "workingHours.end" or "settings.meetingSize". */
  fields: Record<string, string>
  /** Lines that name no field. */
  other: string[]
}

/** Splits validation lines into per-field messages. `prefix` is dropped from paths ("settings."). */
export function toFieldErrors(lines: readonly string[], prefix = ''): FieldErrors {
  const fields: Record<string, string> = {}
  const other: string[] = []
  for (const line of lines) {
    const match = issueLine.exec(line)
    if (!match) {
      other.push(line)
      continue
    }
    const path = prefix && match[1]!.startsWith(prefix) ? match[1]!.slice(prefix.length) : match[1]!
    fields[path] = fields[path] ? `${fields[path]}; ${match[2]}` : match[2]!
  }
  return { fields, other }
}

type ErrorData = { code?: string; issues?: string[] | null } | undefined

function dataOf(error: unknown): ErrorData {
  return error instanceof TRPCClientError ? (error.data as ErrorData) : undefined
}

export function errorCode(error: unknown): string | undefined {
  return dataOf(error)?.code
}

/** The validation lines of a BAD_REQUEST: the zod issues, or an AppError's own "field: message". */
export function validationLines(error: unknown): string[] {
  const data = dataOf(error)
  if (data?.code !== 'BAD_REQUEST') return []
  if (data.issues && data.issues.length > 0) return data.issues
  return error instanceof Error ? [error.message] : []
}

export function serverFieldErrors(error: unknown, prefix = ''): FieldErrors {
  return toFieldErrors(validationLines(error), prefix)
}

export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong. Try again.'
}

/** A field's message, or the message of any field below it ("workingHours" finds "workingHours.end"). */
export function fieldError(errors: FieldErrors, ...paths: string[]): string | undefined {
  for (const path of paths) {
    if (errors.fields[path]) return errors.fields[path]
  }
  return undefined
}

/**
 * What a form shows above its fields: lines that name no field, and lines about fields it does not show (such as
 * "version"), so no message from the server is lost.
 */
export function formLevelErrors(errors: FieldErrors, shownFields: readonly string[]): string | undefined {
  const shown = (path: string) =>
    shownFields.some(
      (field) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`),
    )
  const lines = [
    ...errors.other,
    ...Object.entries(errors.fields)
      .filter(([path]) => !shown(path))
      .map(([path, message]) => `${path}: ${message}`),
  ]
  return lines.length > 0 ? lines.join('; ') : undefined
}

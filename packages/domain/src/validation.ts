// Turns zod issues into lines a person can act on: "field.path: what is allowed".
import type { z } from 'zod'

export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`
    return out ? `${out}.${String(key)}` : String(key)
  }, '')
}

export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const field = formatIssuePath([...(prefix ? [prefix] : []), ...issue.path])
    return field ? `${field}: ${issue.message}` : issue.message
  })
}

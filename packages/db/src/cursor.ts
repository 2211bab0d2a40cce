// Opaque pagination cursors. A cursor is bound to its deployment: one made for another deployment is refused,
// so a client cannot page into another tenant's partition by editing it.
import { AppError } from '@percolate/domain/errors'
import { z } from 'zod'

const cursorKeySchema = z.record(z.string(), z.string())

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  if (!lastEvaluatedKey) return null
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url')
}

export function decodeCursor(
  cursor: string | null | undefined,
  partition: string,
): Record<string, string> | undefined {
  if (!cursor) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      'cursor: is not a cursor this server returned; start again without one',
    )
  }
  const key = cursorKeySchema.safeParse(parsed)
  if (!key.success || key.data.pk !== partition) {
    throw new AppError(
      'INVALID_INPUT',
      'cursor: is not a cursor this server returned; start again without one',
    )
  }
  return key.data
}

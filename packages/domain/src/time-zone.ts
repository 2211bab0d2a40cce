// IANA time zone validation shared by deployments and members.
import { z } from 'zod'

const knownTimeZones = new Set<string>([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC'])

export function isIanaTimeZone(value: string): boolean {
  if (knownTimeZones.has(value)) return true
  // Links such as "Asia/Calcutta" are valid IANA names that supportedValuesOf lists by canonical name only.
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return value.includes('/')
  } catch {
    return false
  }
}

export const timeZoneSchema = z
  .string({ error: 'must be an IANA time zone such as "Europe/Berlin"' })
  .refine(isIanaTimeZone, {
    error: (issue) => `"${String(issue.input)}" is not an IANA time zone (for example "Europe/Berlin")`,
  })

/** "HH:MM", 24-hour clock. */
export const clockTimeSchema = z
  .string({ error: 'must be a time of day "HH:MM"' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day "HH:MM" between 00:00 and 23:59' })

export function minutesOfDay(clockTime: string): number {
  const [h, m] = clockTime.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

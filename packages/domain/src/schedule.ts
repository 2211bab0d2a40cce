// When rounds happen: a weekday + time, or a cron expression, always read in the deployment's IANA time zone.
import { Cron } from 'croner'
import { z } from 'zod'
import { clockTimeSchema } from './time-zone.ts'

export const weekdays = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const
export type Weekday = (typeof weekdays)[number]

const cronWeekdayNumber: Record<Weekday, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
}

export function isValidCronExpression(expression: string): boolean {
  // Five fields only: minute hour day-of-month month day-of-week. Seconds would let a round run every second.
  if (expression.trim().split(/\s+/).length !== 5) return false
  try {
    new Cron(expression, { paused: true })
    return true
  } catch {
    return false
  }
}

export const scheduleSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('weekly'),
      weekday: z.enum(weekdays, { error: `must be one of ${weekdays.join(', ')}` }),
      time: clockTimeSchema,
    }),
    z.object({
      kind: z.literal('cron'),
      expression: z.string().refine(isValidCronExpression, {
        error: (issue) =>
          `"${String(issue.input)}" is not a cron expression with five fields (minute hour day-of-month month day-of-week), for example "0 9 * * 1"`,
      }),
    }),
  ],
  { error: 'must be { kind: "weekly", weekday, time } or { kind: "cron", expression }' },
)
export type Schedule = z.infer<typeof scheduleSchema>

export function toCronExpression(schedule: Schedule): string {
  if (schedule.kind === 'cron') return schedule.expression.trim()
  const [hour, minute] = schedule.time.split(':').map(Number)
  return `${minute} ${hour} * * ${cronWeekdayNumber[schedule.weekday]}`
}

/** The next `count` round times strictly after `after`, evaluated in `timeZone` (DST-correct via croner). */
export function nextRoundTimes(schedule: Schedule, timeZone: string, after: Date, count: number): Date[] {
  const cron = new Cron(toCronExpression(schedule), { timezone: timeZone, paused: true })
  return cron.nextRuns(count, after)
}

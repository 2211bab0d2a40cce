// Which rounds are due: the deployment's schedule, read in its IANA time zone (croner, DST-correct), between
// the last round on record and now. Only the latest due round runs, and only within the deadline; earlier
// missed times are recorded as skipped with the reason, so admins see them.
import type { Deployment } from '@percolate/domain/deployment'
import { nextRoundTimes } from '@percolate/domain/schedule'

export type DueAction =
  | { action: 'run'; scheduledAt: Date }
  | { action: 'skip'; scheduledAt: Date; reason: string }

/** At most this many missed times are recorded as skipped; older ones are passed over silently. */
export const MAX_RECORDED_MISSES = 20

export interface DueOptions {
  /** The latest round on record (any status), or null before the first. */
  lastScheduledAt: Date | null
  /** "Now" for this run. */
  at: Date
  /** How late a round may still start, in milliseconds. */
  deadlineMs: number
}

const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 10) / 10} h`

/** The rounds to run or to record as skipped, oldest first. */
export function dueRounds(
  deployment: Pick<Deployment, 'schedule' | 'timeZone' | 'createdAt'>,
  { lastScheduledAt, at, deadlineMs }: DueOptions,
): DueAction[] {
  // Never earlier than the deployment itself; never more than the recorded misses plus one.
  const created = new Date(deployment.createdAt)
  const yearAgo = new Date(at.getTime() - 400 * 86_400_000)
  let from = lastScheduledAt && lastScheduledAt > created ? lastScheduledAt : created
  if (from < yearAgo) from = yearAgo
  const times: Date[] = []
  let cursor = from
  for (;;) {
    const batch = nextRoundTimes(deployment.schedule, deployment.timeZone, cursor, 100)
    const due = batch.filter((time) => time.getTime() <= at.getTime())
    times.push(...due)
    if (times.length > MAX_RECORDED_MISSES + 1) times.splice(0, times.length - (MAX_RECORDED_MISSES + 1))
    if (due.length < batch.length || batch.length === 0) break
    cursor = batch.at(-1)!
  }
  const actions: DueAction[] = []
  for (const [index, scheduledAt] of times.entries()) {
    const late = at.getTime() - scheduledAt.getTime()
    const latest = index === times.length - 1
    if (latest && late <= deadlineMs) actions.push({ action: 'run', scheduledAt })
    else
      actions.push({
        action: 'skip',
        scheduledAt,
        reason: latest
          ? `missed: no run started within the ${hours(deadlineMs)} deadline (first run ${hours(late)} late)`
          : 'missed: no run started before the next round was due',
      })
  }
  return actions
}

/** The calendar date ("YYYY-MM-DD") of `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

// What `percolate-cron run` does for one deployment: finish rounds an earlier run left unfinished, record missed
// rounds as skipped, and run the round that is due now.
import type { Database } from '@percolate/db/database'
import { listRounds, recordSkippedRound, skipUnplannedRound } from '@percolate/db/rounds'
import type { Deployment } from '@percolate/domain/deployment'
import { dueRounds } from './due.ts'
import { type LogStep, type RoundOutcome, runRound } from './run-round.ts'

export interface RunDueOptions {
  at: Date
  deadlineMs: number
  dryRun?: boolean
  log?: LogStep
}

export interface DueOutcome {
  ran: { scheduledAt: string; outcome: RoundOutcome }[]
  skipped: { scheduledAt: string; reason: string }[]
  /** The next scheduled time after `at` when nothing was due. */
  nothingDue: boolean
}

export async function runDueRounds(
  db: Database,
  deployment: Deployment,
  options: RunDueOptions,
): Promise<DueOutcome> {
  const log = options.log ?? (() => {})
  const result: DueOutcome = { ran: [], skipped: [], nothingDue: false }
  const { rounds } = await listRounds(db, deployment.id, { limit: 10 })
  // Unfinished rounds first: a planned one is finished whatever its age (its groups exist); an unplanned one is
  // run if it is still within the deadline, else given up.
  for (const round of rounds.filter((r) => r.status === 'running').reverse()) {
    const late = options.at.getTime() - Date.parse(round.scheduledAt)
    if (!round.planRunId && late > options.deadlineMs) {
      const reason = 'abandoned: a run claimed it but did not plan it before the deadline'
      if (!options.dryRun && (await skipUnplannedRound(db, round, reason, options.at))) {
        result.skipped.push({ scheduledAt: round.scheduledAt, reason })
        log({ deployment: deployment.id, round: round.scheduledAt, step: 'skip', outcome: 'skipped', reason })
      }
      continue
    }
    const outcome = await runRound(db, deployment, new Date(round.scheduledAt), {
      log,
      now: options.at,
      ...(options.dryRun ? { dryRun: true } : {}),
    })
    result.ran.push({ scheduledAt: round.scheduledAt, outcome })
  }
  const last = rounds[0] ? new Date(rounds[0].scheduledAt) : null
  const actions = dueRounds(deployment, {
    lastScheduledAt: last,
    at: options.at,
    deadlineMs: options.deadlineMs,
  })
  for (const action of actions) {
    const scheduledAt = action.scheduledAt.toISOString()
    if (action.action === 'skip') {
      if (!options.dryRun)
        await recordSkippedRound(
          db,
          { deploymentId: deployment.id, scheduledAt, reason: action.reason },
          options.at,
        )
      result.skipped.push({ scheduledAt, reason: action.reason })
      log({
        deployment: deployment.id,
        round: scheduledAt,
        step: 'skip',
        outcome: 'skipped',
        reason: action.reason,
      })
      continue
    }
    const outcome = await runRound(db, deployment, action.scheduledAt, {
      log,
      now: options.at,
      ...(options.dryRun ? { dryRun: true } : {}),
    })
    result.ran.push({ scheduledAt, outcome })
  }
  result.nothingDue = result.ran.length === 0 && result.skipped.length === 0
  return result
}

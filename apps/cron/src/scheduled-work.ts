// What the CronJobs run: `run`, `dispatch` and `checkin` for each deployment in turn, with their metrics pushed at
// the end. One deployment failing does not stop the others; the failures come back for the exit code.
import type { Database } from '@percolate/db/database'
import { getDeployment, listDeploymentIds } from '@percolate/db/deployments'
import type { Dispatcher } from '@percolate/dispatch/dispatcher'
import type { Deployment } from '@percolate/domain/deployment'
import { createCheckins } from '@percolate/rounds/checkin'
import { runDueRounds } from '@percolate/rounds/run-due'
import type { CronEnv } from './config.ts'
import { createCronMetrics, pushCronMetrics } from './cron-metrics.ts'
import { createDispatcherFromEnv } from './dispatcher-setup.ts'
import type { Log } from './log-lines.ts'

export type ScheduledCommand = 'run' | 'dispatch' | 'checkin'

export interface ScheduledWork {
  command: ScheduledCommand
  /** One deployment, or every deployment in the table. */
  deploymentId?: string
  at: Date
  dryRun: boolean
  env: CronEnv
  db: Database
  log: Log
}

const describeError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)

/** Does the work and pushes the metrics; returns what failed (empty: exit 0). */
export async function runScheduledWork(work: ScheduledWork): Promise<string[]> {
  const { command, at, env, db } = work
  const runStarted = performance.now()
  const metrics = createCronMetrics()
  // The packages' lines feed the metrics (per-channel outcomes, round durations) on their way to the log.
  const log: Log = (line) => {
    metrics.observeLine(line)
    work.log(line)
  }
  const failures: string[] = []
  let dispatcher: Dispatcher | string | undefined
  const getDispatcher = async (): Promise<Dispatcher | string> => {
    dispatcher ??= await createDispatcherFromEnv(env, db, log).catch((error: Error) => error.message)
    return dispatcher
  }
  const dispatch = async (deployment: Deployment, started: number) => {
    const ready = await getDispatcher()
    if (typeof ready === 'string') {
      if (command === 'dispatch') throw new Error(ready)
      log({ deployment: deployment.id, step: 'dispatch', outcome: 'not configured', reason: ready })
      return
    }
    metrics.startDispatch(deployment.id, deployment.enabledChannels)
    const counts = await ready.dispatchDue(deployment, { now: at })
    log({
      deployment: deployment.id,
      step: 'dispatch',
      outcome: 'done',
      ...counts,
      durationMs: Math.round(performance.now() - started),
    })
  }

  const runDue = async (deployment: Deployment, started: number) => {
    const id = deployment.id
    const outcome = await runDueRounds(db, deployment, {
      at,
      deadlineMs: env.ROUND_DEADLINE_HOURS * 3_600_000,
      ...(work.dryRun ? { dryRun: true } : {}),
      log,
    })
    for (const { scheduledAt, outcome: round } of outcome.ran) {
      if (round.outcome === 'completed') {
        metrics.countRounds(id, 'completed')
        metrics.recordCompletedRound(id, round.counts, new Date())
      } else if (round.outcome === 'already-done') {
        metrics.countRounds(id, 'already_done')
      } else {
        metrics.countRounds(id, 'dry_run')
        log({
          deployment: id,
          round: scheduledAt,
          step: 'groups',
          groups: round.groups,
          leftOut: round.leftOut,
        })
      }
    }
    if (!work.dryRun) metrics.countRounds(id, 'skipped', outcome.skipped.length)
    if (outcome.nothingDue) metrics.countRounds(id, 'nothing_due')
    log({
      deployment: id,
      step: 'run',
      outcome: outcome.nothingDue ? 'nothing due' : 'done',
      ran: outcome.ran.length,
      skipped: outcome.skipped.length,
      durationMs: Math.round(performance.now() - started),
    })
    if (!work.dryRun && outcome.ran.length > 0) await dispatch(deployment, performance.now())
  }

  try {
    const ids = work.deploymentId !== undefined ? [work.deploymentId] : await listDeploymentIds(db)
    for (const id of ids) {
      const started = performance.now()
      if (command === 'run') metrics.startRounds(id)
      try {
        const deployment = await getDeployment(db, id)
        if (!deployment) {
          failures.push(`no deployment '${id}'`)
          if (command === 'run') metrics.countRounds(id, 'failed')
          log({ deployment: id, step: command, outcome: 'failed', reason: 'no such deployment' })
          continue
        }
        if (command === 'run') await runDue(deployment, started)
        else if (command === 'dispatch') await dispatch(deployment, started)
        else {
          const outcome = await createCheckins(db, deployment, { at, afterDays: env.CHECKIN_AFTER_DAYS })
          log({
            deployment: id,
            step: 'checkin',
            outcome: 'done',
            ...outcome,
            durationMs: Math.round(performance.now() - started),
          })
        }
      } catch (error) {
        const reason = describeError(error)
        failures.push(`${id}: ${reason}`)
        if (command === 'run') metrics.countRounds(id, 'failed')
        log({
          deployment: id,
          step: command,
          outcome: 'failed',
          reason,
          durationMs: Math.round(performance.now() - started),
        })
      }
    }
  } catch (error) {
    failures.push(describeError(error))
  }

  metrics.finishRun({
    durationSeconds: (performance.now() - runStarted) / 1000,
    failures: failures.length,
    endedAt: new Date(),
  })
  if (env.METRICS_PUSHGATEWAY_URL) {
    const pushed = await pushCronMetrics(metrics, {
      url: env.METRICS_PUSHGATEWAY_URL,
      command,
      ...(env.METRICS_INSTANCE ? { instance: env.METRICS_INSTANCE } : {}),
    })
    // A Pushgateway that is down must not fail the Job (and retry rounds that already came out): logged only.
    const gateway = new URL(env.METRICS_PUSHGATEWAY_URL).host
    log(
      pushed.failures.length === 0
        ? { step: 'metrics', outcome: 'pushed', gateway, groups: pushed.groups }
        : {
            step: 'metrics',
            outcome: 'failed',
            gateway,
            failedGroups: pushed.failures.length,
            groups: pushed.groups,
            reason: pushed.failures[0],
          },
    )
  }
  return failures
}

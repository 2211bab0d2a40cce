// `make dev`'s stand-in for the CronJob: every few seconds, for every deployment, run the round that is due (the
// same code as `percolate-cron run`) and send what the outbox holds (as `percolate-cron dispatch`), to the local
// SES inbox and the local chat servers.
import type { Database } from '@percolate/db/database'
import { getDeployment, listDeploymentIds } from '@percolate/db/deployments'
import type { Dispatcher } from '@percolate/dispatch/dispatcher'
import { runDueRounds } from '@percolate/rounds/run-due'
import type { Logger } from '../log.ts'

export function startDevWorker({
  db,
  dispatcher,
  logger,
  intervalMs = 5_000,
}: {
  db: Database
  dispatcher: Dispatcher
  logger: Logger
  intervalMs?: number
}): { stop: () => Promise<void> } {
  let running: Promise<void> | undefined
  let stopped = false
  const tick = async () => {
    for (const id of await listDeploymentIds(db)) {
      const deployment = await getDeployment(db, id)
      if (!deployment) continue
      await runDueRounds(db, deployment, {
        at: new Date(),
        deadlineMs: 24 * 3_600_000,
        log: (line) => logger.info('round', line),
      })
      const counts = await dispatcher.dispatchDue(deployment)
      if (counts.sent + counts.failed + counts.retried > 0)
        logger.info('notifications', { deployment: id, ...counts })
    }
  }
  const timer = setInterval(() => {
    if (running || stopped) return
    running = tick()
      .catch((error: unknown) =>
        logger.error('dev worker failed', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        running = undefined
      })
  }, intervalMs)
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}

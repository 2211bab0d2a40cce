// Prometheus metrics of one percolate-cron run, pushed to a Pushgateway when the run ends (a CronJob's pod is gone
// before anything could scrape it).
//
// Pushes use POST, which replaces only the metric names a push carries within its group, and a metric is carried
// only once the run set it. So what the run did not touch keeps its last value: a run with nothing due leaves the
// last round's size and duration in place, a failed run leaves the last success time. Each deployment is its own
// group (its `deployment` label comes from the grouping key), so one deployment's round does not wipe another's.
// The counts are gauges of the last run ("what this run did"), not counters: every push replaces them, and a
// counter that starts from zero each run cannot be rated.
import { Gauge, Histogram, type Metric, Pushgateway, Registry } from 'prom-client'
import type { LogLine } from './log-lines.ts'

export const PUSHGATEWAY_JOB = 'percolate-cron'

export const roundOutcomes = [
  'completed',
  'already_done',
  'skipped',
  'nothing_due',
  'failed',
  'dry_run',
] as const
export type RoundOutcomeLabel = (typeof roundOutcomes)[number]
/** `retried`: the provider asked to try again later (the item is pending again); `failed` is final. */
export const notificationOutcomes = ['sent', 'failed', 'retried'] as const

/** A metric that joins its registry the first time it is used: unused metrics are not pushed at all. */
function lazily<T extends Metric>(registry: Registry, create: () => T): () => T {
  let metric: T | undefined
  return () => {
    if (!metric) {
      metric = create()
      registry.registerMetric(metric)
    }
    return metric
  }
}

function createDeploymentMetrics() {
  const registry = new Registry()
  return {
    registry,
    roundDuration: lazily(
      registry,
      () =>
        new Histogram({
          name: 'percolate_round_duration_seconds',
          help: 'How long the rounds of the last run that completed one took, from claim to complete',
          buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
          registers: [],
        }),
    ),
    participants: lazily(
      registry,
      () =>
        new Gauge({
          name: 'percolate_round_participants',
          help: 'Participants of the last completed round',
          registers: [],
        }),
    ),
    groups: lazily(
      registry,
      () =>
        new Gauge({
          name: 'percolate_round_groups',
          help: 'Groups of the last completed round',
          registers: [],
        }),
    ),
    leftOut: lazily(
      registry,
      () =>
        new Gauge({
          name: 'percolate_round_left_out',
          help: 'Participants the remainder policy left out of the last completed round',
          registers: [],
        }),
    ),
    completedAt: lazily(
      registry,
      () =>
        new Gauge({
          name: 'percolate_round_last_completed_timestamp_seconds',
          help: 'When a run last completed a round (Unix time): alert when it is older than the schedule allows',
          registers: [],
        }),
    ),
    rounds: lazily(
      registry,
      () =>
        new Gauge({
          name: 'percolate_rounds',
          help: `Rounds the last run handled, by outcome (${roundOutcomes.join(', ')})`,
          labelNames: ['outcome'],
          registers: [],
        }),
    ),
    notifications: lazily(
      registry,
      () =>
        new Gauge({
          name: 'percolate_notifications',
          help: `Notifications the last run dispatched, by channel and outcome (${notificationOutcomes.join(', ')})`,
          labelNames: ['channel', 'outcome'],
          registers: [],
        }),
    ),
  }
}
type DeploymentMetrics = ReturnType<typeof createDeploymentMetrics>

export type CronMetrics = ReturnType<typeof createCronMetrics>

export function createCronMetrics() {
  const runRegistry = new Registry()
  const runDuration = lazily(
    runRegistry,
    () =>
      new Gauge({
        name: 'percolate_cron_duration_seconds',
        help: 'How long the last run of this command took',
        registers: [],
      }),
  )
  const lastRun = lazily(
    runRegistry,
    () =>
      new Gauge({
        name: 'percolate_cron_last_run_timestamp_seconds',
        help: 'When the last run of this command ended (Unix time)',
        registers: [],
      }),
  )
  const lastSuccess = lazily(
    runRegistry,
    () =>
      new Gauge({
        name: 'percolate_cron_last_success_timestamp_seconds',
        help: 'When a run of this command last ended with exit code 0 (Unix time)',
        registers: [],
      }),
  )
  const failures = lazily(
    runRegistry,
    () =>
      new Gauge({
        name: 'percolate_cron_failures',
        help: 'Failures in the last run of this command: deployments whose work failed, or the run itself',
        registers: [],
      }),
  )
  const deployments = new Map<string, DeploymentMetrics>()
  const roundStarts = new Map<string, number>()
  const of = (deploymentId: string): DeploymentMetrics => {
    let metrics = deployments.get(deploymentId)
    if (!metrics) {
      metrics = createDeploymentMetrics()
      deployments.set(deploymentId, metrics)
    }
    return metrics
  }

  return {
    /**
     * Reads what the packages log: each dispatched item's channel and outcome (the dispatcher's counts have no
     * channel), and each round's claim and complete steps (its duration).
     */
    observeLine(line: LogLine, now = performance.now()): void {
      const deployment = typeof line.deployment === 'string' ? line.deployment : undefined
      if (!deployment) return
      if (line.step === 'dispatch' && typeof line.item === 'string' && typeof line.channel === 'string') {
        const outcome = line.outcome === 'pending' ? 'retried' : line.outcome
        if (outcome === 'sent' || outcome === 'failed' || outcome === 'retried')
          of(deployment).notifications().inc({ channel: line.channel, outcome })
        return
      }
      if (typeof line.round !== 'string') return
      const key = `${deployment}#${line.round}`
      if (line.step === 'claim') {
        roundStarts.set(key, now - (typeof line.durationMs === 'number' ? line.durationMs : 0))
      } else if (line.step === 'complete') {
        const started = roundStarts.get(key)
        if (started !== undefined)
          of(deployment)
            .roundDuration()
            .observe((now - started) / 1000)
        roundStarts.delete(key)
      }
    },

    /** Every outcome starts at 0 for a deployment `run` looked at, so "no failures" is a value, not a gap. */
    startRounds(deploymentId: string): void {
      const rounds = of(deploymentId).rounds()
      for (const outcome of roundOutcomes) rounds.set({ outcome }, 0)
    },

    countRounds(deploymentId: string, outcome: RoundOutcomeLabel, count = 1): void {
      of(deploymentId).rounds().inc({ outcome }, count)
    },

    recordCompletedRound(
      deploymentId: string,
      counts: { participantCount: number; groupCount: number; leftOutCount: number },
      completedAt: Date,
    ): void {
      const metrics = of(deploymentId)
      metrics.participants().set(counts.participantCount)
      metrics.groups().set(counts.groupCount)
      metrics.leftOut().set(counts.leftOutCount)
      metrics.completedAt().set(completedAt.getTime() / 1000)
    },

    /** Zeros for the deployment's channels before a dispatch, so a channel that sent nothing shows 0. */
    startDispatch(deploymentId: string, channels: readonly string[]): void {
      const notifications = of(deploymentId).notifications()
      for (const channel of channels)
        for (const outcome of notificationOutcomes) notifications.inc({ channel, outcome }, 0)
    },

    finishRun(result: { durationSeconds: number; failures: number; endedAt: Date }): void {
      runDuration().set(result.durationSeconds)
      lastRun().set(result.endedAt.getTime() / 1000)
      failures().set(result.failures)
      if (result.failures === 0) lastSuccess().set(result.endedAt.getTime() / 1000)
    },

    /** What to push: the run's own group, then one group per deployment the run touched. */
    pushGroups(): { deployment?: string; registry: Registry }[] {
      return [
        { registry: runRegistry },
        ...[...deployments].map(([deployment, metrics]) => ({ deployment, registry: metrics.registry })),
      ]
    },
  }
}

export interface PushTarget {
  url: string
  command: string
  /** The `instance` grouping label (METRICS_INSTANCE). */
  instance?: string
  timeoutMs?: number
}

/** Pushes every group (POST: see above); resolves with the failures, never rejects. */
export async function pushCronMetrics(
  metrics: CronMetrics,
  target: PushTarget,
): Promise<{ groups: number; failures: string[] }> {
  const groups = metrics.pushGroups()
  const results = await Promise.allSettled(
    groups.map(({ deployment, registry }) =>
      new Pushgateway(
        target.url,
        { timeout: target.timeoutMs ?? 10_000, headers: { 'Content-Type': registry.contentType } },
        registry,
      ).pushAdd({
        jobName: PUSHGATEWAY_JOB,
        groupings: {
          ...(target.instance ? { instance: target.instance } : {}),
          command: target.command,
          ...(deployment ? { deployment } : {}),
        },
      }),
    ),
  )
  const failures = results.flatMap((result) =>
    result.status === 'rejected'
      ? [String(result.reason instanceof Error ? result.reason.message : result.reason).slice(0, 300)]
      : [],
  )
  return { groups: groups.length, failures }
}

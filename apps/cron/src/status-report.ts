// `percolate-cron status`: each deployment's last rounds and its failed notifications, for an operator
// (`make status INSTANCE=` runs it in the cluster). Queries and GetItems only, the same access patterns as the
// admin's rounds list and failed-notifications page.
import type { Database } from '@percolate/db/database'
import { getDeployment } from '@percolate/db/deployments'
import { listOutboxByStatus } from '@percolate/db/outbox'
import { listRounds } from '@percolate/db/rounds'
import { redactPersonalData } from './log-lines.ts'

/** Failed notifications shown per deployment, newest first (the admin's page has them all). */
export const FAILED_NOTIFICATIONS_SHOWN = 20

export interface RoundStatus {
  scheduledAt: string
  state: string
  participants: number
  groups: number
  leftOut: number
  skippedReason: string | null
}

export interface FailedNotification {
  /** When it failed for good. */
  at: string
  channel: string
  kind: string
  memberId: string
  /** The round (or test message) it was about. */
  scheduledAt: string
  reason: string
}

export interface DeploymentStatus {
  deployment: string
  name: string
  timeZone: string
  rounds: RoundStatus[]
  failedNotifications: FailedNotification[]
  /** More failed notifications exist than are shown. */
  moreFailedNotifications: boolean
}

/** null when there is no such deployment. */
export async function loadDeploymentStatus(
  db: Database,
  deploymentId: string,
  roundLimit: number,
): Promise<DeploymentStatus | null> {
  const deployment = await getDeployment(db, deploymentId)
  if (!deployment) return null
  const [{ rounds }, failed] = await Promise.all([
    listRounds(db, deploymentId, { limit: roundLimit }),
    listOutboxByStatus(db, deploymentId, 'failed', { limit: FAILED_NOTIFICATIONS_SHOWN, newestFirst: true }),
  ])
  return {
    deployment: deployment.id,
    name: deployment.name,
    timeZone: deployment.timeZone,
    rounds: rounds.map((round) => ({
      scheduledAt: round.scheduledAt,
      state: round.status,
      participants: round.participantCount,
      groups: round.groupCount,
      leftOut: round.leftOutCount,
      skippedReason: round.skippedReason ?? null,
    })),
    failedNotifications: failed.items.map((item) => ({
      at: item.updatedAt,
      channel: item.channel,
      kind: item.kind,
      memberId: item.memberId,
      scheduledAt: item.scheduledAt,
      // Provider answers sometimes quote the address they refused.
      reason: redactPersonalData(item.reason ?? ''),
    })),
    moreFailedNotifications: failed.nextCursor !== null,
  }
}

/** Columns padded to their widest cell; numbers right-aligned. */
function formatTable(headers: readonly string[], rows: readonly (string | number)[][]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => String(row[column] ?? '').length)),
  )
  const line = (cells: readonly (string | number)[]) =>
    cells
      .map((cell, column) =>
        typeof cell === 'number'
          ? String(cell).padStart(widths[column]!)
          : column === cells.length - 1
            ? cell
            : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)]
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

export function formatStatusText(statuses: readonly DeploymentStatus[], roundLimit: number): string {
  if (statuses.length === 0) return 'No deployments in this table.\n'
  const blocks = statuses.map((status) => {
    const lines = [`Deployment ${status.deployment} (${status.name}, ${status.timeZone})`, '']
    lines.push(`Last ${roundLimit} rounds, newest first:`)
    if (status.rounds.length === 0) lines.push('  none yet')
    else
      lines.push(
        ...formatTable(
          ['SCHEDULED AT (UTC)', 'STATE', 'PARTICIPANTS', 'GROUPS', 'LEFT OUT', 'SKIPPED REASON'],
          status.rounds.map((round) => [
            round.scheduledAt,
            round.state,
            round.participants,
            round.groups,
            round.leftOut,
            oneLine(round.skippedReason ?? ''),
          ]),
        ).map((row) => `  ${row}`),
      )
    lines.push('')
    const shown = status.moreFailedNotifications
      ? `the newest ${status.failedNotifications.length}; the admin's notifications page lists all`
      : 'newest first'
    lines.push(`Failed notifications (${shown}):`)
    if (status.failedNotifications.length === 0) lines.push('  none')
    else
      lines.push(
        ...formatTable(
          ['FAILED AT (UTC)', 'CHANNEL', 'KIND', 'MEMBER', 'ROUND', 'REASON'],
          status.failedNotifications.map((item) => [
            item.at,
            item.channel,
            item.kind,
            item.memberId,
            item.scheduledAt,
            oneLine(item.reason),
          ]),
        ).map((row) => `  ${row}`),
      )
    return lines.join('\n')
  })
  return `${blocks.join('\n\n')}\n`
}

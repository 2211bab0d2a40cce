// "Did you meet?": some days after a round, one outbox item per (member, channel) for each match still
// "scheduled". Deterministic ids and conditional writes make it safe to run as often as the CronJob likes.
import type { Database } from '@percolate/db/database'
import { listRoundMatches } from '@percolate/db/matches'
import { listMembers } from '@percolate/db/members'
import { listOptIns } from '@percolate/db/opt-ins'
import { newOutboxItem, outboxWritesOnce } from '@percolate/db/outbox'
import { listRoundsBetween } from '@percolate/db/rounds'
import { writeEachOnce } from '@percolate/db/write-once'
import type { Deployment } from '@percolate/domain/deployment'
import { isParticipating, type Member, memberChannels } from '@percolate/domain/member'
import { nextRoundTimes } from '@percolate/domain/schedule'
import { localDate } from './due.ts'

const DAY_MS = 86_400_000
/** Rounds this much older than the check-in day are no longer asked about. */
const WINDOW_DAYS = 7

export interface CheckinOutcome {
  rounds: number
  asked: number
  written: number
  alreadyThere: number
}

export async function createCheckins(
  db: Database,
  deployment: Deployment,
  options: { at: Date; afterDays: number },
): Promise<CheckinOutcome> {
  const until = new Date(options.at.getTime() - options.afterDays * DAY_MS)
  const from = new Date(until.getTime() - WINDOW_DAYS * DAY_MS)
  const rounds = (await listRoundsBetween(db, deployment.id, from.toISOString(), until.toISOString())).filter(
    (round) => round.status === 'completed',
  )
  const outcome: CheckinOutcome = { rounds: rounds.length, asked: 0, written: 0, alreadyThere: 0 }
  if (rounds.length === 0) return outcome
  const members = new Map<string, Member>()
  let cursor: string | null = null
  do {
    const page = await listMembers(db, deployment.id, { limit: 1000, cursor })
    for (const member of page.members) members.set(member.id, member)
    cursor = page.nextCursor
  } while (cursor)
  for (const round of rounds) {
    const open = (await listRoundMatches(db, deployment.id, round.scheduledAt)).filter(
      (match) => match.status === 'scheduled',
    )
    // The items' times come from the round, so every run writes the same items.
    const at = new Date(new Date(round.scheduledAt).getTime() + options.afterDays * DAY_MS)
    const items = open.flatMap((match) => {
      const member = members.get(match.memberId)
      if (!member || member.participation.status === 'left') return []
      return memberChannels(member.channels, deployment.enabledChannels).map((channel) =>
        newOutboxItem(
          {
            deploymentId: deployment.id,
            memberId: match.memberId,
            scheduledAt: round.scheduledAt,
            kind: 'checkin',
            channel,
          },
          at,
        ),
      )
    })
    outcome.asked += open.length
    const written = await writeEachOnce(outboxWritesOnce(db, items))
    outcome.written += written.written
    outcome.alreadyThere += written.alreadyThere
  }
  return outcome
}

/**
 * Opt-in rounds: `beforeHours` before the next round, one reminder per (member, channel) to everyone who could
 * take part and has not opted in yet. Deterministic ids: once per round, however often this runs.
 */
export async function createOptInReminders(
  db: Database,
  deployment: Deployment,
  options: { at: Date; beforeHours: number },
): Promise<{ round: string | null; reminded: number; written: number; alreadyThere: number }> {
  const none = { round: null, reminded: 0, written: 0, alreadyThere: 0 }
  if (deployment.participationMode !== 'opt-in') return none
  const [next] = nextRoundTimes(deployment.schedule, deployment.timeZone, options.at, 1)
  if (!next || next.getTime() - options.at.getTime() > options.beforeHours * 3_600_000) return none
  const scheduledAt = next.toISOString()
  const optedIn = await listOptIns(db, deployment.id, scheduledAt)
  const items = []
  let reminded = 0
  for (const status of ['active', 'paused'] as const) {
    let cursor: string | null = null
    do {
      const page = await listMembers(db, deployment.id, { status, limit: 1000, cursor })
      for (const member of page.members) {
        if (!member.onboarded || optedIn.has(member.id)) continue
        if (!isParticipating(member.participation, localDate(next, member.timeZone))) continue
        reminded += 1
        for (const channel of memberChannels(member.channels, deployment.enabledChannels))
          items.push(
            newOutboxItem(
              { deploymentId: deployment.id, memberId: member.id, scheduledAt, kind: 'reminder', channel },
              new Date(next.getTime() - options.beforeHours * 3_600_000),
            ),
          )
      }
      cursor = page.nextCursor
    } while (cursor)
  }
  const written = await writeEachOnce(outboxWritesOnce(db, items))
  return { round: scheduledAt, reminded, ...written }
}

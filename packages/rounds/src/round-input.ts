// Everything a round needs from the database, loaded with Queries only: the participants (active, or paused
// until a date on or before the round's date in their own time zone; with opt-in rounds, those who opted in),
// the pair history (the committed groups of earlier rounds, with "didn't meet" reports taken out) and the plan
// the previous round left. Shared by the scheduled run (apps/cron) and the admin's preview (apps/server).
import type { Database } from '@percolate/db/database'
import { listNoMeetings } from '@percolate/db/matches'
import { listMembers } from '@percolate/db/members'
import { listOptIns } from '@percolate/db/opt-ins'
import { getRoundPlan, listGroupsBetween, listRoundsBetween } from '@percolate/db/rounds'
import type { Deployment } from '@percolate/domain/deployment'
import { isParticipating, type Member, type Participation } from '@percolate/domain/member'
import type { MatchInput, MatchParticipant, PastMeeting } from '@percolate/matching/types'
import { toUtcWorkingWindow } from '@percolate/matching/working-window'
import { localDate } from './due.ts'

const WEEK_MS = 7 * 86_400_000

export interface RoundInput {
  /** Who takes part, by id. */
  participants: Map<string, Member>
  /** Members who could have taken part but paused (or, in opt-in rounds, did not opt in). */
  optedOutCount: number
  /** The engine's input, without the seed. */
  match: Omit<MatchInput, 'seed'>
  /** Pairs in the history, "a b" with a < b: to count new connections. */
  metPairs: Set<string>
}

export const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`)

/** How far back a round reads history: four half-lives of the decay, at least a year, at most ten. */
export function historyWeeks(deployment: Pick<Deployment, 'repeatDecayWeeks'>): number {
  return Math.min(520, Math.max(52, 4 * deployment.repeatDecayWeeks))
}

async function membersWithStatus(
  db: Database,
  deploymentId: string,
  status: Participation['status'],
): Promise<Member[]> {
  const members: Member[] = []
  let cursor: string | null = null
  do {
    const page = await listMembers(db, deploymentId, { status, limit: 1000, cursor })
    members.push(...page.members)
    cursor = page.nextCursor
  } while (cursor)
  return members
}

export function toMatchParticipant(member: Member, scheduledAt: Date): MatchParticipant {
  return {
    id: member.id,
    ...(member.department ? { department: member.department } : {}),
    ...(member.location ? { location: member.location } : {}),
    workingWindowUtc: toUtcWorkingWindow(member.workingHours, member.timeZone, scheduledAt),
    preferOtherDepartments: member.preferences.preferOtherDepartments,
    locationPreference: member.preferences.location,
    minOverlapHours: member.preferences.minOverlapHours,
    blockedIds: member.preferences.avoidMemberIds,
  }
}

export async function loadRoundInput(
  db: Database,
  deployment: Deployment,
  scheduledAt: Date,
): Promise<RoundInput> {
  const at = scheduledAt.toISOString()
  const [active, paused, optIns] = await Promise.all([
    membersWithStatus(db, deployment.id, 'active'),
    membersWithStatus(db, deployment.id, 'paused'),
    deployment.participationMode === 'opt-in' ? listOptIns(db, deployment.id, at) : Promise.resolve(null),
  ])
  const participants = new Map<string, Member>()
  let optedOutCount = 0
  for (const member of [...active, ...paused]) {
    // Members who have not finished onboarding are not matched yet.
    if (!member.onboarded) continue
    const available = isParticipating(member.participation, localDate(scheduledAt, member.timeZone))
    if (available && (optIns === null || optIns.has(member.id))) participants.set(member.id, member)
    else optedOutCount += 1
  }

  const from = new Date(scheduledAt.getTime() - historyWeeks(deployment) * WEEK_MS).toISOString()
  const [rounds, groups, noMeetings] = await Promise.all([
    listRoundsBetween(db, deployment.id, from, at),
    listGroupsBetween(db, deployment.id, from, at),
    listNoMeetings(db, deployment.id, from, at),
  ])
  const committed = new Map<string, string>()
  for (const round of rounds)
    if (round.planRunId && round.scheduledAt < at) committed.set(round.scheduledAt, round.planRunId)
  const unmet = new Set(noMeetings.map((report) => `${report.scheduledAt} ${report.memberId}`))
  const history: PastMeeting[] = []
  const metPairs = new Set<string>()
  for (const group of groups) {
    if (committed.get(group.scheduledAt) !== group.runId) continue
    const ageWeeks = Math.max(0, (scheduledAt.getTime() - Date.parse(group.scheduledAt)) / WEEK_MS)
    const ids = group.memberIds.filter((id) => participants.has(id))
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = ids[i]!
        const b = ids[j]!
        const met = !unmet.has(`${group.scheduledAt} ${a}`) && !unmet.has(`${group.scheduledAt} ${b}`)
        history.push({ a, b, ageWeeks, met })
        if (met) metPairs.add(pairKey(a, b))
      }
    }
  }
  const previous = rounds.filter((round) => round.status === 'completed' && round.scheduledAt < at).at(-1)
  const plannedRounds = previous
    ? (await getRoundPlan(db, deployment.id, previous.scheduledAt)).plannedRounds
    : []

  return {
    participants,
    optedOutCount,
    metPairs,
    match: {
      participants: [...participants.values()].map((member) => toMatchParticipant(member, scheduledAt)),
      history,
      size: deployment.meetingSize,
      remainderPolicy: deployment.remainderPolicy,
      decayWeeks: deployment.repeatDecayWeeks,
      plannedRounds,
    },
  }
}

// One round, exactly once and whole, however often and however concurrently it is started, wherever it is
// killed:
//   1. claim: a conditional put of the round item (deployment + scheduled time), with the seed;
//   2. plan: load the input, run the engine with the round's seed, write the groups under this run's id, and
//      commit them with one conditional update (`planRunId`): one run's groups become the round's;
//   3. write: each member's match record and one outbox item per (member, channel), with deterministic keys,
//      in conditional transactions, so items already there (an earlier or a concurrent run) stay as they are;
//   4. complete: mark the round completed with its counts.
// A rerun resumes at the first unfinished step. Nothing is sent here: the dispatcher reads the outbox.
import type { Database } from '@percolate/db/database'
import { listRoundMatches, type Match, matchWritesOnce } from '@percolate/db/matches'
import { listMembers } from '@percolate/db/members'
import { newOutboxItem, type OutboxItem, outboxWritesOnce } from '@percolate/db/outbox'
import {
  claimRound,
  commitRoundPlan,
  completeRound,
  deleteRoundGroups,
  getRound,
  getRoundPlan,
  listRoundGroups,
  putRoundGroups,
  type Round,
  type RoundGroup,
  type RoundPlanCounts,
} from '@percolate/db/rounds'
import { writeEachOnce } from '@percolate/db/write-once'
import type { Deployment } from '@percolate/domain/deployment'
import { type Member, memberChannels } from '@percolate/domain/member'
import { createGroups } from '@percolate/matching/create-groups'
import type { MatchResult } from '@percolate/matching/types'
import { loadRoundInput, pairKey, type RoundInput } from './round-input.ts'

export type LogStep = (fields: Record<string, unknown>) => void

export interface RunRoundOptions {
  /** Identifies this run's candidate groups; a fresh UUID by default. */
  runId?: string
  /** Plan and report, write nothing. */
  dryRun?: boolean
  /** The seed when the round is new (tests); random otherwise. */
  seed?: number
  /** The matching engine's search effort (default 1); the demo seed lowers it to start fast. */
  effort?: number
  /** Write the notification outbox (default true). The demo seed's past rounds notify nobody. */
  notify?: boolean
  now?: Date
  log?: LogStep
}

export interface PlannedGroup {
  memberIds: string[]
  reason: string
}

export type RoundOutcome =
  | { outcome: 'completed'; resumed: boolean; counts: RoundPlanCounts; written: number; alreadyThere: number }
  | { outcome: 'already-done'; status: Round['status'] }
  | {
      outcome: 'dry-run'
      counts: RoundPlanCounts
      groups: PlannedGroup[]
      leftOut: { id: string; reason: string }[]
    }

const randomSeed = () => crypto.getRandomValues(new Uint32Array(1))[0]!

/** The engine's groups for an input and seed, with the round's counts. */
export function planRound(
  input: RoundInput,
  seed: number,
  effort?: number,
): { result: MatchResult; counts: RoundPlanCounts } {
  const result = createGroups({ ...input.match, seed, ...(effort !== undefined ? { effort } : {}) })
  let newPairs = 0
  let repeatedPairs = 0
  for (const group of result.groups) {
    for (let i = 0; i < group.memberIds.length; i++)
      for (let j = i + 1; j < group.memberIds.length; j++) {
        if (input.metPairs.has(pairKey(group.memberIds[i]!, group.memberIds[j]!))) repeatedPairs++
        else newPairs++
      }
  }
  return {
    result,
    counts: {
      participantCount: input.participants.size,
      groupCount: result.groups.length,
      leftOutCount: result.leftOut.length,
      optedOutCount: input.optedOutCount,
      newPairs,
      repeatedPairs,
    },
  }
}

export async function runRound(
  db: Database,
  deployment: Deployment,
  scheduledAt: Date,
  options: RunRoundOptions = {},
): Promise<RoundOutcome> {
  const log = options.log ?? (() => {})
  const now = options.now ?? new Date()
  const key = { deploymentId: deployment.id, scheduledAt: scheduledAt.toISOString() }
  const base = { deployment: deployment.id, round: key.scheduledAt }
  const timed = async <T>(
    step: string,
    work: () => Promise<T>,
    fields: (value: T) => Record<string, unknown>,
  ) => {
    const started = performance.now()
    const value = await work()
    log({ ...base, step, ...fields(value), durationMs: Math.round(performance.now() - started) })
    return value
  }

  if (options.dryRun) {
    const existing = await getRound(db, key.deploymentId, key.scheduledAt)
    const seed =
      existing && existing.status === 'running' ? Number(existing.seed) : (options.seed ?? randomSeed())
    const input = await loadRoundInput(db, deployment, scheduledAt)
    const { result, counts } = planRound(input, seed, options.effort)
    log({ ...base, step: 'dry-run', seed, ...counts, outcome: 'not written' })
    return {
      outcome: 'dry-run',
      counts,
      groups: result.groups.map(({ memberIds, reason }) => ({ memberIds, reason })),
      leftOut: result.leftOut,
    }
  }

  const claim = await timed(
    'claim',
    () => claimRound(db, { ...key, seed: String(options.seed ?? randomSeed()) }, now),
    ({ claimed, round }) => ({ outcome: claimed ? 'claimed' : `exists (${round.status})` }),
  )
  let round = claim.round
  if (round.status !== 'running') return { outcome: 'already-done', status: round.status }
  const resumed = !claim.claimed

  let planRunId = round.planRunId
  let known: ReadonlyMap<string, Member> = new Map()
  if (!planRunId) {
    const runId = options.runId ?? crypto.randomUUID()
    const input = await timed(
      'load',
      () => loadRoundInput(db, deployment, scheduledAt),
      (value) => ({
        participants: value.participants.size,
        historyMeetings: (value.match.history as unknown[]).length,
      }),
    )
    known = input.participants
    const started = performance.now()
    const { result, counts } = planRound(input, Number(round.seed), options.effort)
    log({ ...base, step: 'match', ...counts, durationMs: Math.round(performance.now() - started) })
    const groups: RoundGroup[] = result.groups.map((group, index) => ({
      ...key,
      runId,
      index,
      memberIds: group.memberIds,
      reason: group.reason,
    }))
    await timed(
      'plan',
      async () => {
        await putRoundGroups(db, groups)
        const winner = await commitRoundPlan(db, key, runId, counts, result.plannedRounds, result.leftOut)
        if (winner !== runId) await deleteRoundGroups(db, groups)
        return winner
      },
      (winner) => ({
        outcome: winner === runId ? 'committed' : 'another run committed first',
        groups: groups.length,
      }),
    )
    round = (await getRound(db, key.deploymentId, key.scheduledAt)) ?? round
    planRunId = round.planRunId
  }
  if (!planRunId) throw new Error(`round ${key.scheduledAt} of ${deployment.id} has no committed plan`)

  const { written, alreadyThere } = await timed(
    'write',
    () => writeRoundItems(db, deployment, round, planRunId, known, options.notify ?? true),
    (value) => ({ ...value }),
  )
  await timed(
    'complete',
    () => completeRound(db, key, now),
    () => ({ outcome: 'completed' }),
  )
  const counts: RoundPlanCounts = {
    participantCount: round.participantCount,
    groupCount: round.groupCount,
    leftOutCount: round.leftOutCount,
    optedOutCount: round.optedOutCount,
    newPairs: round.newPairs,
    repeatedPairs: round.repeatedPairs,
  }
  return { outcome: 'completed', resumed, counts, written, alreadyThere }
}

/** Step 3: match records and outbox items of the committed groups; candidate groups of other runs removed. */
async function writeRoundItems(
  db: Database,
  deployment: Deployment,
  round: Round,
  planRunId: string,
  known: ReadonlyMap<string, Member>,
  notify: boolean,
): Promise<{ written: number; alreadyThere: number }> {
  const all = await listRoundGroups(db, deployment.id, round.scheduledAt)
  const groups = all.filter((group) => group.runId === planRunId)
  const stale = all.filter((group) => group.runId !== planRunId)
  if (stale.length > 0) await deleteRoundGroups(db, stale)
  const { leftOut } = await getRoundPlan(db, deployment.id, round.scheduledAt)

  // Records already there (an earlier run of this round) are skipped up front; the conditions cover the rest.
  const existing = new Set(
    (await listRoundMatches(db, deployment.id, round.scheduledAt)).map((m) => m.memberId),
  )
  const members = await loadMembers(
    db,
    deployment.id,
    [...groups.flatMap((group) => group.memberIds), ...leftOut.map((member) => member.id)],
    known,
  )
  // Timestamps come from the round, so a rerun writes exactly what a clean run writes.
  const at = new Date(round.claimedAt ?? round.scheduledAt)
  const writes = []
  const outboxFor = (memberId: string, kind: OutboxItem['kind']): OutboxItem[] => {
    const member = members.get(memberId)
    if (!member || !notify) return []
    return memberChannels(member.channels, deployment.enabledChannels).map((channel) =>
      newOutboxItem(
        { deploymentId: deployment.id, memberId, scheduledAt: round.scheduledAt, kind, channel },
        at,
      ),
    )
  }
  for (const group of groups) {
    for (const memberId of group.memberIds) {
      if (existing.has(memberId)) continue
      const match: Match = {
        deploymentId: deployment.id,
        memberId,
        scheduledAt: round.scheduledAt,
        groupIndex: group.index,
        memberIds: group.memberIds,
        reason: group.reason,
        status: 'scheduled',
        updatedAt: at.toISOString(),
      }
      // A member's match and their notifications go in the same transaction.
      writes.push(...matchWritesOnce(db, [match]), ...outboxWritesOnce(db, outboxFor(memberId, 'match')))
    }
  }
  for (const member of leftOut) writes.push(...outboxWritesOnce(db, outboxFor(member.id, 'not-matched')))
  return writeEachOnce(writes)
}

/** The members named, from those already loaded, else from one paginated Query of the deployment's members. */
async function loadMembers(
  db: Database,
  deploymentId: string,
  ids: readonly string[],
  known: ReadonlyMap<string, Member>,
): Promise<ReadonlyMap<string, Member>> {
  if (ids.every((id) => known.has(id))) return known
  const members = new Map<string, Member>()
  let cursor: string | null = null
  do {
    const page = await listMembers(db, deploymentId, { limit: 1000, cursor })
    for (const member of page.members) members.set(member.id, member)
    cursor = page.nextCursor
  } while (cursor)
  return members
}

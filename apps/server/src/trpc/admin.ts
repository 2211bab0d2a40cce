import { requireDeployment } from '@percolate/db/deployments'
import { listRoundMatches } from '@percolate/db/matches'
import { getMember, listMembers, updateMember } from '@percolate/db/members'
import { listOutboxByStatus, outboxStatuses } from '@percolate/db/outbox'
import { listRounds, type Round, roundSchema } from '@percolate/db/rounds'
import { AppError } from '@percolate/domain/errors'
import { isoDateSchema, type Member, memberIdSchema, memberSchema, roles } from '@percolate/domain/member'
import { nextRoundTimes } from '@percolate/domain/schedule'
import { loadRoundInput } from '@percolate/rounds/round-input'
import { planRound } from '@percolate/rounds/run-round'
import { z } from 'zod'
import { adminProcedure, createTRPCRouter } from './init.ts'
import { notificationSchema, toNotification } from './notifications.ts'

const participationStatuses = ['active', 'paused', 'left'] as const
const cursorSchema = z.string().max(2_000, { error: 'must be a cursor from a previous page' }).nullish()

/** What an admin sees of a member: everything but sign-in identities and private preferences. */
const adminMemberSchema = memberSchema.omit({ identities: true, preferences: true, channels: true })
const forAdmin = ({ identities: _i, preferences: _p, channels: _c, ...member }: Member) => member

async function requireOwnMember(
  ctx: { db: Parameters<typeof getMember>[0]; deploymentId: string },
  id: string,
) {
  const member = await getMember(ctx.db, ctx.deploymentId, id)
  if (!member) throw new AppError('NOT_FOUND', `No member '${id}' in your workspace`)
  return member
}

async function adminCount(ctx: {
  db: Parameters<typeof listMembers>[0]
  deploymentId: string
}): Promise<number> {
  let admins = 0
  let cursor: string | null = null
  do {
    const page = await listMembers(ctx.db, ctx.deploymentId, { limit: 100, cursor })
    admins += page.members.filter((m) => m.role === 'admin').length
    cursor = page.nextCursor
  } while (cursor)
  return admins
}

const roundStatsSchema = z.object({
  scheduledAt: z.iso.datetime(),
  status: roundSchema.shape.status,
  participants: z.number().int(),
  groups: z.number().int(),
  /** Pairs meeting for the first time. */
  newConnections: z.number().int(),
  /** Pairs meeting again (only when no round without repeats existed). */
  repeats: z.number().int(),
  /** Members paused (or not opted in) when the round was planned. */
  optedOut: z.number().int(),
  /** Members the remainder policy left out. */
  leftOut: z.number().int(),
  /** Why the round did not run, for skipped rounds. */
  skippedReason: z.string().nullable(),
  /** Members who said how it went. */
  reported: z.number().int(),
  met: z.number().int(),
  didntMeet: z.number().int(),
  cancelled: z.number().int(),
  /** met / (met + didn't meet), null before anyone reported. */
  metRate: z.number().min(0).max(1).nullable(),
  averageRating: z.number().min(1).max(5).nullable(),
  /** Feedback notes, counted only: their text stays with the member, visible in aggregate. */
  notes: z.number().int(),
})
type RoundStats = z.infer<typeof roundStatsSchema>

const PREVIEW_EFFORT = 0.05
const previewPersonSchema = z.object({ id: z.string(), name: z.string(), department: z.string() })
const roundPreviewSchema = z.object({
  scheduledAt: z.iso.datetime(),
  participants: z.number().int(),
  optedOut: z.number().int(),
  newConnections: z.number().int(),
  repeats: z.number().int(),
  groups: z.array(
    z.object({ members: z.array(previewPersonSchema), reason: z.string(), repeatedPairs: z.number().int() }),
  ),
  leftOut: z.array(previewPersonSchema.extend({ reason: z.string() })),
})

async function statsOf(db: Parameters<typeof listRoundMatches>[0], round: Round): Promise<RoundStats> {
  const matches = await listRoundMatches(db, round.deploymentId, round.scheduledAt)
  const count = (status: string) => matches.filter((m) => m.status === status).length
  const met = count('met')
  const didntMeet = count('didnt-meet')
  const ratings = matches.flatMap((m) => (m.rating ? [m.rating] : []))
  return {
    scheduledAt: round.scheduledAt,
    status: round.status,
    participants: round.participantCount,
    groups: round.groupCount,
    newConnections: round.newPairs,
    repeats: round.repeatedPairs,
    optedOut: round.optedOutCount,
    leftOut: round.leftOutCount,
    skippedReason: round.skippedReason ?? null,
    reported: matches.filter((m) => m.status !== 'scheduled').length,
    met,
    didntMeet,
    cancelled: count('cancelled'),
    metRate: met + didntMeet > 0 ? met / (met + didntMeet) : null,
    averageRating: ratings.length > 0 ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
    notes: matches.filter((m) => m.note).length,
  }
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted; formulas are defused for spreadsheets. */
function toCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const field = (value: unknown) => {
    let text = value === null || value === undefined ? '' : String(value)
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return [columns.join(','), ...rows.map((row) => columns.map((c) => field(row[c])).join(','))].join('\r\n')
}

const STATS_ROUNDS = 52

export const adminRouter = createTRPCRouter({
  members: adminProcedure
    .input(
      z.object({
        status: z.enum(participationStatuses, { error: 'must be active, paused or left' }).optional(),
        /** Names starting with this; searches every status unless one is given. */
        search: z.string().trim().max(100, { error: 'must be at most 100 characters' }).optional(),
        cursor: cursorSchema,
        limit: z.number().int().min(1).max(100, { error: 'must be at most 100' }).default(25),
      }),
    )
    .output(z.object({ members: z.array(adminMemberSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      if (input.search && !input.status) {
        // One query per status, merged by name: the first `limit` matches (refine the search for more).
        const pages = await Promise.all(
          participationStatuses.map((status) =>
            listMembers(ctx.db, ctx.deploymentId, { status, namePrefix: input.search, limit: input.limit }),
          ),
        )
        const members = pages
          .flatMap((page) => page.members)
          .sort((a, b) => a.name.localeCompare(b.name))
          .slice(0, input.limit)
        return { members: members.map(forAdmin), nextCursor: null }
      }
      const page = await listMembers(ctx.db, ctx.deploymentId, {
        status: input.status,
        namePrefix: input.search,
        cursor: input.cursor,
        limit: input.limit,
      })
      return { members: page.members.map(forAdmin), nextCursor: page.nextCursor }
    }),

  setRole: adminProcedure
    .input(z.object({ memberId: memberIdSchema, role: z.enum(roles, { error: 'must be member or admin' }) }))
    .output(adminMemberSchema)
    .mutation(async ({ ctx, input }) => {
      const member = await requireOwnMember(ctx, input.memberId)
      if (member.role === 'admin' && input.role === 'member' && (await adminCount(ctx)) <= 1) {
        throw new AppError(
          'CONFLICT',
          'role: a workspace needs at least one admin; make someone else admin first',
        )
      }
      return forAdmin(await updateMember(ctx.db, member, { role: input.role }))
    }),

  /** Pauses a member (until a date, or until they resume), or resumes them. */
  setParticipation: adminProcedure
    .input(
      z.object({
        memberId: memberIdSchema,
        participation: z.discriminatedUnion(
          'status',
          [
            z.object({ status: z.literal('active') }),
            z.object({ status: z.literal('paused'), until: isoDateSchema.optional() }),
          ],
          { error: 'must be { status: "active" } or { status: "paused", until? }' },
        ),
      }),
    )
    .output(adminMemberSchema)
    .mutation(async ({ ctx, input }) => {
      const member = await requireOwnMember(ctx, input.memberId)
      return forAdmin(await updateMember(ctx.db, member, { participation: input.participation }))
    }),

  /**
   * Removes a member: their record goes with their match records, notifications, opt-ins, sessions and API tokens
   * (as when they delete their account); every session and token of theirs ends at once. Past rounds' stats lose
   * their reports (met, didn't meet, rating, note); participants, groups and pair counts stay.
   */
  remove: adminProcedure
    .input(z.object({ memberId: memberIdSchema }))
    .output(z.object({ removed: z.literal(true), sessionsEnded: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      if (input.memberId === ctx.member.id) {
        throw new AppError(
          'INVALID_INPUT',
          'memberId: you cannot remove yourself; delete your account instead',
        )
      }
      const member = await requireOwnMember(ctx, input.memberId)
      const sessionsEnded = await ctx.auth.endMembership(member, `removed by an admin (${ctx.member.id})`)
      return { removed: true as const, sessionsEnded }
    }),

  /** Per round, newest first, for charts: participants, groups, reports, met rate, ratings. */
  stats: adminProcedure
    .input(z.object({ cursor: cursorSchema, limit: z.number().int().min(1).max(STATS_ROUNDS).default(12) }))
    .output(z.object({ rounds: z.array(roundStatsSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const page = await listRounds(ctx.db, ctx.deploymentId, { cursor: input.cursor, limit: input.limit })
      return {
        rounds: await Promise.all(page.rounds.map((round) => statsOf(ctx.db, round))),
        nextCursor: page.nextCursor,
      }
    }),

  /** The last 52 rounds and their figures as CSV (for a spreadsheet). */
  exportCsv: adminProcedure
    .input(z.void())
    .output(z.object({ filename: z.string(), csv: z.string() }))
    .query(async ({ ctx }) => {
      const page = await listRounds(ctx.db, ctx.deploymentId, { limit: STATS_ROUNDS })
      const rows = await Promise.all(page.rounds.map((round) => statsOf(ctx.db, round)))
      const columns = Object.keys(roundStatsSchema.shape)
      return { filename: `percolate-${ctx.deploymentId}-rounds.csv`, csv: toCsv(rows, columns) }
    }),

  /**
   * The groups the next round would get if it ran now: the same loading and matching as the CronJob, with a
   * fresh seed, nothing saved. Names and departments only, for the admin's check.
   */
  previewRound: adminProcedure
    .input(z.void())
    .output(roundPreviewSchema)
    .query(async ({ ctx }) => {
      const deployment = await requireDeployment(ctx.db, ctx.deploymentId)
      const [next] = nextRoundTimes(deployment.schedule, deployment.timeZone, new Date(), 1)
      if (!next) throw new AppError('NOT_FOUND', 'The schedule has no next round; change it under settings')
      const input = await loadRoundInput(ctx.db, deployment, next)
      // A quick look: a twentieth of the round's search effort (the schedule planning of small groups can take
      // the CronJob tens of seconds; an admin waits for this page).
      const { result, counts } = planRound(
        input,
        crypto.getRandomValues(new Uint32Array(1))[0]!,
        PREVIEW_EFFORT,
      )
      const person = (id: string) => {
        const member = input.participants.get(id)
        return { id, name: member?.name ?? id, department: member?.department ?? '' }
      }
      return {
        scheduledAt: next.toISOString(),
        participants: counts.participantCount,
        optedOut: counts.optedOutCount,
        newConnections: counts.newPairs,
        repeats: counts.repeatedPairs,
        groups: result.groups.map((group) => ({
          members: group.memberIds.map(person),
          reason: group.reason,
          repeatedPairs: group.repeatedPairs,
        })),
        leftOut: result.leftOut.map((left) => ({ ...person(left.id), reason: left.reason })),
      }
    }),

  /** Notifications by status (failed by default), newest first, with the provider's reason. */
  notifications: adminProcedure
    .input(
      z.object({
        status: z
          .enum(outboxStatuses, { error: `must be one of ${outboxStatuses.join(', ')}` })
          .default('failed'),
        cursor: cursorSchema,
        limit: z.number().int().min(1).max(100).default(50),
      }),
    )
    .output(z.object({ notifications: z.array(notificationSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const page = await listOutboxByStatus(ctx.db, ctx.deploymentId, input.status, {
        cursor: input.cursor,
        limit: input.limit,
        newestFirst: true,
      })
      const ids = [...new Set(page.items.map((item) => item.memberId))]
      const members = await Promise.all(ids.map((id) => getMember(ctx.db, ctx.deploymentId, id)))
      const names = new Map(ids.map((id, i) => [id, members[i]?.name ?? 'Former member']))
      return {
        notifications: page.items.map((item) => toNotification(item, names.get(item.memberId)!)),
        nextCursor: page.nextCursor,
      }
    }),

  rounds: adminProcedure
    .input(z.object({ cursor: cursorSchema, limit: z.number().int().min(1).max(100).default(20) }))
    .output(z.object({ rounds: z.array(roundSchema), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) =>
      listRounds(ctx.db, ctx.deploymentId, { cursor: input.cursor, limit: input.limit }),
    ),
})

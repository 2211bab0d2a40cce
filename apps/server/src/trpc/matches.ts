// matches.*: the member's current group, their history, and what they report about a meeting. A member sees
// only their own matches and their groups' members' profile snippets.

import type { Database } from '@percolate/db/database'
import { requireDeployment } from '@percolate/db/deployments'
import {
  getMatch,
  latestMatch,
  listMatches,
  type Match,
  matchStatuses,
  reportMatch,
} from '@percolate/db/matches'
import { getMember } from '@percolate/db/members'
import { isOptedIn, setOptIn } from '@percolate/db/opt-ins'
import { AppError } from '@percolate/domain/errors'
import { suggestMeetingTimes } from '@percolate/domain/meeting-times'
import { memberIdSchema } from '@percolate/domain/member'
import { nextRoundTimes } from '@percolate/domain/schedule'
import { z } from 'zod'
import { createTRPCRouter, memberProcedure } from './init.ts'

const personSchema = z.object({
  id: z.string(),
  name: z.string(),
  department: z.string(),
  timeZone: z.string(),
  /** Their local time when this was read, "14:05". */
  localTime: z.string(),
  bio: z.string(),
})

const matchViewSchema = z.object({
  scheduledAt: z.iso.datetime(),
  status: z.enum(matchStatuses),
  reason: z.string(),
  rating: z.number().int().min(1).max(5).nullable(),
  /** My own feedback note (only admins see notes, and only counted). */
  note: z.string().nullable(),
  /** The others in the group (a deleted member shows as "Former member"). */
  people: z.array(personSchema),
})

const currentSchema = matchViewSchema.extend({
  /** Meeting starts inside everyone's working hours (UTC instants; shown in each viewer's own zone). */
  suggestedTimes: z.array(z.iso.datetime()),
})

const localTime = (timeZone: string, now: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    now,
  )

async function view(db: Database, match: Match, viewerId: string, now: Date) {
  const others = match.memberIds.filter((id) => id !== viewerId)
  const members = await Promise.all(others.map((id) => getMember(db, match.deploymentId, id)))
  const people = others.map((id, i) => {
    const member = members[i]
    return member
      ? {
          id,
          name: member.name,
          department: member.department,
          timeZone: member.timeZone,
          localTime: localTime(member.timeZone, now),
          bio: member.bio,
        }
      : {
          id,
          name: 'Former member',
          department: '',
          timeZone: 'UTC',
          localTime: localTime('UTC', now),
          bio: '',
        }
  })
  return {
    view: {
      scheduledAt: match.scheduledAt,
      status: match.status,
      reason: match.reason,
      rating: match.rating ?? null,
      note: match.note ?? null,
      people,
    },
    members: members.filter((m) => m !== null),
  }
}

const roundTimeSchema = z.iso.datetime({
  error: 'must be a round time in ISO 8601, such as 2026-03-02T08:00:00.000Z',
})

export const matchesRouter = createTRPCRouter({
  /** When the next round is, by the workspace's schedule: the instant, and the member's own local time of it. */
  nextRound: memberProcedure
    .input(z.void())
    .output(
      z
        .object({
          at: z.iso.datetime(),
          local: z.string(),
          timeZone: z.string(),
          /** With opt-in rounds: whether I said "count me in" for this one; null when everyone takes part. */
          optedIn: z.boolean().nullable(),
        })
        .nullable(),
    )
    .query(async ({ ctx }) => {
      const deployment = await requireDeployment(ctx.db, ctx.deploymentId)
      const [next] = nextRoundTimes(deployment.schedule, deployment.timeZone, new Date(), 1)
      if (!next) return null
      const optedIn =
        deployment.participationMode === 'opt-in'
          ? await isOptedIn(ctx.db, {
              deploymentId: ctx.deploymentId,
              scheduledAt: next.toISOString(),
              memberId: ctx.member.id,
            })
          : null
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: ctx.member.timeZone,
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next)
      return { at: next.toISOString(), local, timeZone: ctx.member.timeZone, optedIn }
    }),

  /** Opt-in rounds: count me in (or out again) for the next round. */
  setOptIn: memberProcedure
    .input(z.object({ join: z.boolean({ error: 'must be true or false' }) }))
    .output(z.object({ at: z.iso.datetime(), optedIn: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const deployment = await requireDeployment(ctx.db, ctx.deploymentId)
      if (deployment.participationMode !== 'opt-in') {
        throw new AppError(
          'INVALID_INPUT',
          'join: this workspace matches every active member automatically; pause or resume instead',
        )
      }
      const [next] = nextRoundTimes(deployment.schedule, deployment.timeZone, new Date(), 1)
      if (!next) throw new AppError('NOT_FOUND', 'There is no next round in the schedule')
      const key = { deploymentId: ctx.deploymentId, scheduledAt: next.toISOString(), memberId: ctx.member.id }
      await setOptIn(ctx.db, key, input.join)
      return { at: key.scheduledAt, optedIn: input.join }
    }),

  /** The latest round's group, or null before the first round. */
  current: memberProcedure
    .input(z.void())
    .output(currentSchema.nullable())
    .query(async ({ ctx }) => {
      const match = await latestMatch(ctx.db, ctx.deploymentId, ctx.member.id)
      if (!match) return null
      const now = new Date()
      const { view: current, members } = await view(ctx.db, match, ctx.member.id, now)
      const everyone = [ctx.member, ...members]
      const suggestedTimes = suggestMeetingTimes(
        everyone,
        new Date(Math.max(now.getTime(), Date.parse(match.scheduledAt))),
      )
      return { ...current, suggestedTimes: suggestedTimes.map((t) => t.toISOString()) }
    }),

  history: memberProcedure
    .input(
      z.object({
        cursor: z.string().max(2_000, { error: 'must be a cursor from a previous page' }).nullish(),
        limit: z.number().int().min(1).max(50, { error: 'must be at most 50' }).default(20),
        from: roundTimeSchema.optional(),
        to: roundTimeSchema.optional(),
        status: z.enum(matchStatuses, { error: `must be one of ${matchStatuses.join(', ')}` }).optional(),
        personId: memberIdSchema.optional(),
      }),
    )
    .output(z.object({ matches: z.array(matchViewSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      if (input.from && input.to && input.from > input.to) {
        throw new AppError('INVALID_INPUT', 'from: must not be after to')
      }
      const page = await listMatches(ctx.db, ctx.deploymentId, ctx.member.id, {
        cursor: input.cursor,
        limit: input.limit,
        from: input.from,
        to: input.to,
        status: input.status,
        withMemberId: input.personId,
      })
      const now = new Date()
      const views = await Promise.all(page.matches.map((m) => view(ctx.db, m, ctx.member.id, now)))
      return { matches: views.map((v) => v.view), nextCursor: page.nextCursor }
    }),

  /** Met / didn't meet / cancelled, with an optional rating and a note only admins see, in aggregate. */
  report: memberProcedure
    .input(
      z.object({
        scheduledAt: roundTimeSchema,
        status: z.enum(matchStatuses, { error: `must be one of ${matchStatuses.join(', ')}` }),
        rating: z
          .number({ error: 'must be a whole number from 1 to 5' })
          .int({ error: 'must be a whole number from 1 to 5' })
          .min(1, { error: 'must be at least 1' })
          .max(5, { error: 'must be at most 5' })
          .optional(),
        note: z.string().trim().max(1_000, { error: 'must be at most 1000 characters' }).optional(),
      }),
    )
    .output(matchViewSchema)
    .mutation(async ({ ctx, input }) => {
      const key = { deploymentId: ctx.deploymentId, memberId: ctx.member.id, scheduledAt: input.scheduledAt }
      if (!(await getMatch(ctx.db, key.deploymentId, key.memberId, key.scheduledAt))) {
        throw new AppError('NOT_FOUND', `You have no match in the round of ${input.scheduledAt}`)
      }
      const updated = await reportMatch(ctx.db, key, input)
      if (!updated) throw new AppError('NOT_FOUND', `You have no match in the round of ${input.scheduledAt}`)
      return (await view(ctx.db, updated, ctx.member.id, new Date())).view
    }),
})

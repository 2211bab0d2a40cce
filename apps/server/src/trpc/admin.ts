// admin.*: an admin's view of their own workspace: members (search, filter, page; pause, make admin, remove)
// and rounds. The workspace is the session's; a member id from elsewhere names nobody here.
import { isApiTokenActive, listApiTokens, revokeApiToken } from '@percolate/db/api-tokens'
import { deleteMember, getMember, listMembers, updateMember } from '@percolate/db/members'
import { listRounds, roundSchema } from '@percolate/db/rounds'
import { revokeMemberSessions } from '@percolate/db/sessions'
import { AppError } from '@percolate/domain/errors'
import { isoDateSchema, type Member, memberIdSchema, memberSchema, roles } from '@percolate/domain/member'
import { z } from 'zod'
import { adminProcedure, createTRPCRouter } from './init.ts'

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

  /** Removes a member: their record goes and every session and API token of theirs ends at once. */
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
      await deleteMember(ctx.db, member)
      const sessionsEnded = await revokeMemberSessions(
        ctx.db,
        ctx.deploymentId,
        member.id,
        'removed by an admin',
      )
      for (const token of await listApiTokens(ctx.db, ctx.deploymentId, member.id)) {
        if (isApiTokenActive(token)) await revokeApiToken(ctx.db, ctx.deploymentId, member.id, token.id)
      }
      ctx.logger.info('member removed', {
        deploymentId: ctx.deploymentId,
        memberId: member.id,
        by: ctx.member.id,
      })
      return { removed: true as const, sessionsEnded }
    }),

  rounds: adminProcedure
    .input(z.object({ cursor: cursorSchema, limit: z.number().int().min(1).max(100).default(20) }))
    .output(z.object({ rounds: z.array(roundSchema), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) =>
      listRounds(ctx.db, ctx.deploymentId, { cursor: input.cursor, limit: input.limit }),
    ),
})

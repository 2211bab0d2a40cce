// me.*: a member's own profile, preferences, participation and channels; their data export; deleting their
// account. Every change names the version it was made on, so a save from a stale tab gets a clear conflict.
import { isApiTokenActive, listApiTokens } from '@percolate/db/api-tokens'
import { requireDeployment } from '@percolate/db/deployments'
import { listAllMemberMatches, matchStatuses } from '@percolate/db/matches'
import { getMember, listMembers, updateMember } from '@percolate/db/members'
import {
  listAllMemberOutbox,
  listMemberOutbox,
  newOutboxItem,
  outboxKinds,
  outboxStatuses,
  outboxWritesOnce,
} from '@percolate/db/outbox'
import { listMemberSessions } from '@percolate/db/sessions'
import { writeEachOnce } from '@percolate/db/write-once'
import { channelKindSchema, participationModes } from '@percolate/domain/deployment'
import { AppError } from '@percolate/domain/errors'
import {
  channelAddressesSchema,
  isoDateSchema,
  type Member,
  memberChannels,
  memberIdSchema,
  memberSchema,
  preferencesSchema,
  profileSchema,
} from '@percolate/domain/member'
import { z } from 'zod'
import { createTRPCRouter, memberProcedure, sessionProcedure } from './init.ts'
import { notificationSchema, toNotification } from './notifications.ts'

const versionSchema = z
  .number({ error: 'must be the version you loaded' })
  .int({ error: 'must be the version you loaded' })
  .min(1, { error: 'must be the version you loaded' })

/** What a member sees of themselves: everything but the sign-in identities. */
export const ownMemberSchema = memberSchema.omit({ identities: true })
export type OwnMember = z.infer<typeof ownMemberSchema>
const own = ({ identities: _identities, ...member }: Member): OwnMember => member

function checkVersion(current: Member, version: number): void {
  if (current.version !== version) {
    throw new AppError(
      'CONFLICT',
      `Your profile was changed elsewhere since you loaded it (version ${version}, now ${current.version}); reload and apply your change again`,
    )
  }
}

const participationInputSchema = z.discriminatedUnion(
  'status',
  [
    z.object({ status: z.literal('active') }),
    z.object({ status: z.literal('paused'), until: isoDateSchema.optional() }),
    z.object({ status: z.literal('left') }),
  ],
  { error: 'must be { status: "active" }, { status: "paused", until? } or { status: "left" }' },
)

/** What `exportData` returns. */
export const exportSchema = z.object({
  exportedAt: z.iso.datetime(),
  member: memberSchema,
  sessions: z.array(z.object({ createdAt: z.string(), lastUsedAt: z.string(), active: z.boolean() })),
  apiTokens: z.array(z.object({ name: z.string(), createdAt: z.string(), active: z.boolean() })),
  /** Every round the member was grouped in, oldest first. */
  matches: z.array(
    z.object({
      scheduledAt: z.iso.datetime(),
      /** The group, the member included; `name` is null for someone no longer a member. */
      group: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
      reason: z.string(),
      status: z.enum(matchStatuses),
      rating: z.number().int().min(1).max(5).nullable(),
      note: z.string().nullable(),
      updatedAt: z.iso.datetime(),
    }),
  ),
  /** Every notification sent or queued for the member, oldest first. */
  notifications: z.array(
    z.object({
      scheduledAt: z.iso.datetime(),
      kind: z.enum(outboxKinds),
      channel: channelKindSchema,
      status: z.enum(outboxStatuses),
      attempts: z.number().int(),
      reason: z.string().nullable(),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    }),
  ),
})

/** Current names of the given members; those who are no longer members are absent. */
async function namesOf(
  ctx: { db: Parameters<typeof getMember>[0]; deploymentId: string },
  self: Member,
  ids: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const others = [...ids].filter((id) => id !== self.id)
  const found = await Promise.all(others.map((id) => getMember(ctx.db, ctx.deploymentId, id)))
  return new Map([[self.id, self.name], ...found.flatMap((m) => (m ? [[m.id, m.name] as const] : []))])
}

export const meRouter = createTRPCRouter({
  get: memberProcedure
    .input(z.void())
    .output(ownMemberSchema)
    .query(({ ctx }) => own(ctx.member)),

  /** What every member may know of their workspace: its name, time zone, channels, size and participation mode. */
  workspace: memberProcedure
    .input(z.void())
    .output(
      z.object({
        id: z.string(),
        name: z.string(),
        timeZone: z.string(),
        meetingSize: z.number().int(),
        participationMode: z.enum(participationModes),
        enabledChannels: z.array(channelKindSchema),
      }),
    )
    .query(async ({ ctx }) => {
      const deployment = await requireDeployment(ctx.db, ctx.deploymentId)
      return {
        id: deployment.id,
        name: deployment.name,
        timeZone: deployment.timeZone,
        meetingSize: deployment.meetingSize,
        participationMode: deployment.participationMode,
        enabledChannels: deployment.enabledChannels,
      }
    }),

  updateProfile: memberProcedure
    .input(profileSchema.extend({ version: versionSchema }))
    .output(ownMemberSchema)
    .mutation(async ({ ctx, input: { version, ...profile } }) => {
      checkVersion(ctx.member, version)
      return own(await updateMember(ctx.db, ctx.member, profile))
    }),

  updatePreferences: memberProcedure
    .input(preferencesSchema.extend({ version: versionSchema }))
    .output(ownMemberSchema)
    .mutation(async ({ ctx, input: { version, ...preferences } }) => {
      checkVersion(ctx.member, version)
      const avoid = [...new Set(preferences.avoidMemberIds)]
      if (avoid.includes(ctx.member.id)) {
        throw new AppError('INVALID_INPUT', 'avoidMemberIds: must not list yourself')
      }
      const found = await Promise.all(avoid.map((id) => getMember(ctx.db, ctx.deploymentId, id)))
      const unknown = avoid.filter((_, i) => !found[i])
      if (unknown.length > 0) {
        throw new AppError(
          'INVALID_INPUT',
          `avoidMemberIds: no member ${unknown.join(', ')} in your workspace`,
        )
      }
      return own(
        await updateMember(ctx.db, ctx.member, { preferences: { ...preferences, avoidMemberIds: avoid } }),
      )
    }),

  /** Pause now (until a date, or until resumed), resume, or leave the rounds. */
  setParticipation: memberProcedure
    .input(z.object({ version: versionSchema, participation: participationInputSchema }))
    .output(ownMemberSchema)
    .mutation(async ({ ctx, input }) => {
      checkVersion(ctx.member, input.version)
      const { participation } = input
      if (participation.status === 'paused' && participation.until) {
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.member.timeZone }).format(new Date())
        if (participation.until <= today) {
          throw new AppError('INVALID_INPUT', `participation.until: must be a date after today (${today})`)
        }
      }
      return own(
        await updateMember(ctx.db, ctx.member, {
          participation:
            participation.status === 'left'
              ? { status: 'left', since: new Date().toISOString() }
              : participation,
        }),
      )
    }),

  updateChannels: memberProcedure
    .input(channelAddressesSchema.extend({ version: versionSchema }))
    .output(ownMemberSchema)
    .mutation(async ({ ctx, input: { version, ...channels } }) => {
      checkVersion(ctx.member, version)
      const deployment = await requireDeployment(ctx.db, ctx.deploymentId)
      for (const kind of ['slack', 'telegram', 'signal'] as const) {
        if (channels[kind] && !deployment.enabledChannels.includes(kind)) {
          throw new AppError('INVALID_INPUT', `${kind}: is not enabled in this workspace`)
        }
      }
      if (channels.email.enabled && !deployment.enabledChannels.includes('email')) {
        throw new AppError('INVALID_INPUT', 'email: is not enabled in this workspace')
      }
      return own(await updateMember(ctx.db, ctx.member, { channels }))
    }),

  /** The last step of onboarding. */
  completeOnboarding: memberProcedure
    .input(z.object({ version: versionSchema }))
    .output(ownMemberSchema)
    .mutation(async ({ ctx, input }) => {
      checkVersion(ctx.member, input.version)
      return own(await updateMember(ctx.db, ctx.member, { onboarded: true }))
    }),

  /** Names to pick "people I'd rather not meet" from: other members' id, name and department only. */
  directory: memberProcedure
    .input(
      z.object({
        cursor: z.string().max(2_000, { error: 'must be a cursor from a previous page' }).nullish(),
        limit: z.number().int().min(1).max(100, { error: 'must be at most 100' }).default(100),
      }),
    )
    .output(
      z.object({
        people: z.array(z.object({ id: memberIdSchema, name: z.string(), department: z.string() })),
        nextCursor: z.string().nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const page = await listMembers(ctx.db, ctx.deploymentId, { cursor: input.cursor, limit: input.limit })
      return {
        people: page.members
          .filter((m) => m.id !== ctx.member.id && m.participation.status !== 'left')
          .map((m) => ({ id: m.id, name: m.name, department: m.department })),
        nextCursor: page.nextCursor,
      }
    }),

  /** My notifications, newest first: on which channel, and whether each was sent or why it failed. */
  notifications: memberProcedure
    .input(z.void())
    .output(z.array(notificationSchema))
    .query(async ({ ctx }) =>
      (await listMemberOutbox(ctx.db, ctx.deploymentId, ctx.member.id, { limit: 50 })).map((item) =>
        toNotification(item, ctx.member.name),
      ),
    ),

  /**
   * "Send me a test message" on one of my channels: queued for the dispatcher like any notification, at most one
   * per channel and minute. Its outcome shows in `notifications`.
   */
  sendTestMessage: memberProcedure
    .input(z.object({ channel: channelKindSchema }))
    .output(z.object({ queued: z.literal(true), channel: channelKindSchema, at: z.iso.datetime() }))
    .mutation(async ({ ctx, input }) => {
      const deployment = await requireDeployment(ctx.db, ctx.deploymentId)
      if (!memberChannels(ctx.member.channels, deployment.enabledChannels).includes(input.channel)) {
        throw new AppError(
          'INVALID_INPUT',
          `channel: ${input.channel} is not set up for you here; set it up under notification channels first`,
        )
      }
      const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000)
      const item = newOutboxItem(
        {
          deploymentId: ctx.deploymentId,
          memberId: ctx.member.id,
          scheduledAt: minute.toISOString(),
          kind: 'test',
          channel: input.channel,
        },
        new Date(),
      )
      const { written } = await writeEachOnce(outboxWritesOnce(ctx.db, [item]))
      if (written === 0) {
        throw new AppError(
          'CONFLICT',
          `channel: a test message to ${input.channel} is already on its way; try again in a minute`,
        )
      }
      return { queued: true as const, channel: input.channel, at: item.createdAt }
    }),

  /**
   * Everything Percolate holds about the member, as JSON: their record, sessions and API tokens, every match record
   * of theirs (group, reason, what they reported, rating and note) and every notification sent or queued for them.
   */
  exportData: memberProcedure
    .input(z.void())
    .output(exportSchema)
    .query(async ({ ctx }) => {
      const now = new Date()
      const [sessions, tokens, matches, notifications] = await Promise.all([
        listMemberSessions(ctx.db, ctx.deploymentId, ctx.member.id),
        listApiTokens(ctx.db, ctx.deploymentId, ctx.member.id),
        listAllMemberMatches(ctx.db, ctx.deploymentId, ctx.member.id),
        listAllMemberOutbox(ctx.db, ctx.deploymentId, ctx.member.id),
      ])
      const names = await namesOf(ctx, ctx.member, new Set(matches.flatMap((m) => m.memberIds)))
      return {
        exportedAt: now.toISOString(),
        member: ctx.member,
        sessions: sessions.map((s) => ({
          createdAt: s.createdAt,
          lastUsedAt: s.lastUsedAt,
          active: !s.revokedAt && now.toISOString() < s.idleExpiresAt,
        })),
        apiTokens: tokens.map((t) => ({
          name: t.name,
          createdAt: t.createdAt,
          active: isApiTokenActive(t, now),
        })),
        matches: matches.map((m) => ({
          scheduledAt: m.scheduledAt,
          group: m.memberIds.map((id) => ({ id, name: names.get(id) ?? null })),
          reason: m.reason,
          status: m.status,
          rating: m.rating ?? null,
          note: m.note ?? null,
          updatedAt: m.updatedAt,
        })),
        notifications: notifications.map((n) => ({
          scheduledAt: n.scheduledAt,
          kind: n.kind,
          channel: n.channel,
          status: n.status,
          attempts: n.attempts,
          reason: n.reason ?? null,
          createdAt: n.createdAt,
          updatedAt: n.updatedAt,
        })),
      }
    }),

  /**
   * Deletes the account: the member record and its claims go, and so do their match records (with reports,
   * ratings and notes), notifications, opt-ins, sessions and API tokens. Rounds keep their counts and groups, and
   * other members keep their own records of those groups, under an id that no longer names anyone. Only from a
   * browser session, confirmed with the email.
   */
  deleteAccount: sessionProcedure
    .input(z.object({ confirmEmail: z.string({ error: 'is required' }).trim().toLowerCase() }))
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      if (input.confirmEmail !== ctx.member.email) {
        throw new AppError(
          'INVALID_INPUT',
          `confirmEmail: type your email address (${ctx.member.email}) to confirm`,
        )
      }
      await ctx.auth.endMembership(ctx.member, 'account deleted')
      return { deleted: true as const }
    }),
})

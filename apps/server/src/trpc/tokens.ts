// tokens.*: personal API tokens for developers' typed clients. Managed only from a browser session.
import { isApiTokenActive, listApiTokens, revokeApiToken } from '@percolate/db/api-tokens'
import { AppError } from '@percolate/domain/errors'
import { z } from 'zod'
import { createTRPCRouter, sessionProcedure } from './init.ts'

const tokenSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
})

export const tokenExpiryDays = [30, 90, 365] as const

export const tokensRouter = createTRPCRouter({
  list: sessionProcedure
    .input(z.void())
    .output(z.array(tokenSummarySchema))
    .query(async ({ ctx }) => {
      const tokens = await listApiTokens(ctx.db, ctx.deploymentId, ctx.member.id)
      return tokens.map((token) => ({
        id: token.id,
        name: token.name,
        createdAt: token.createdAt,
        expiresAt: token.expiresAt ?? null,
        lastUsedAt: token.lastUsedAt ?? null,
        status: token.revokedAt ? 'revoked' : isApiTokenActive(token) ? 'active' : 'expired',
      }))
    }),

  /** Creates a token; its secret is in this response only. */
  create: sessionProcedure
    .input(
      z.object({
        name: z
          .string({ error: 'is required' })
          .trim()
          .min(1, { error: 'is required' })
          .max(60, { error: 'must be at most 60 characters' }),
        expiresInDays: z
          .union([z.literal(30), z.literal(90), z.literal(365), z.null()], {
            error: 'must be 30, 90 or 365 days, or null for no expiry',
          })
          .default(90),
      }),
    )
    .output(z.object({ id: z.uuid(), token: z.string(), expiresAt: z.iso.datetime().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const { token, record } = await ctx.auth.createApiToken(ctx.member, input)
      return { id: record.id, token, expiresAt: record.expiresAt ?? null }
    }),

  revoke: sessionProcedure
    .input(z.object({ id: z.uuid({ error: 'must be a token id' }) }))
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await revokeApiToken(ctx.db, ctx.deploymentId, ctx.member.id, input.id))) {
        throw new AppError('NOT_FOUND', 'You have no active API token with that id')
      }
      return { revoked: true as const }
    }),
})

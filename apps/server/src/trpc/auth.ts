// auth.*: who is signed in, and how to sign in. Sign-in itself happens on /auth/* (redirects, cookies).
import { deploymentIdSchema, identityProviderKinds } from '@percolate/domain/deployment'
import { memberIdSchema, roles } from '@percolate/domain/member'
import { z } from 'zod'
import { createTRPCRouter, memberProcedure, publicProcedure } from './init.ts'

const signInOptionsSchema = z.array(
  z.object({
    id: deploymentIdSchema,
    name: z.string(),
    providers: z.array(z.object({ key: z.string(), kind: z.enum(identityProviderKinds), label: z.string() })),
  }),
)

const meSchema = z.object({
  id: memberIdSchema,
  deploymentId: deploymentIdSchema,
  name: z.string(),
  email: z.string(),
  role: z.enum(roles),
  onboarded: z.boolean(),
  /** How this request is authenticated. */
  via: z.enum(['session', 'token']),
  /** When the browser session ends unless used again; null for an API token. */
  sessionExpiresAt: z.iso.datetime().nullable(),
})

export const authRouter = createTRPCRouter({
  /** The workspaces served here and their sign-in buttons. */
  signInOptions: publicProcedure
    .input(z.void())
    .output(signInOptionsSchema)
    .query(({ ctx }) => ctx.auth.signInOptions()),

  /** The signed-in member, from the session alone. */
  me: memberProcedure
    .input(z.void())
    .output(meSchema)
    .query(({ ctx }) => ({
      id: ctx.member.id,
      deploymentId: ctx.deploymentId,
      name: ctx.member.name,
      email: ctx.member.email,
      role: ctx.member.role,
      onboarded: ctx.member.onboarded,
      via: ctx.principal.via,
      sessionExpiresAt: ctx.session?.idleExpiresAt ?? null,
    })),
})

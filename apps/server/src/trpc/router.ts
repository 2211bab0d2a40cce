// The router map. The web app imports only `type AppRouter` from here.
import { adminRouter } from './admin.ts'
import { authRouter } from './auth.ts'
import { configRouter } from './config.ts'
import { healthQuery } from './health.ts'
import { createTRPCRouter } from './init.ts'
import { matchesRouter } from './matches.ts'
import { meRouter } from './me.ts'
import { tokensRouter } from './tokens.ts'

export const appRouter = createTRPCRouter({
  health: healthQuery,
  auth: authRouter,
  tokens: tokensRouter,
  me: meRouter,
  config: configRouter,
  matches: matchesRouter,
  admin: adminRouter,
})

export type AppRouter = typeof appRouter

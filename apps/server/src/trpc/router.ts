// The router map. The web app imports only `type AppRouter` from here.
import { healthQuery } from './health.ts'
import { createTRPCRouter } from './init.ts'

export const appRouter = createTRPCRouter({
  health: healthQuery,
})

export type AppRouter = typeof appRouter

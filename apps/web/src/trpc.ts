// The typed API client: only the *type* of the server's router crosses into the browser bundle.
import type { AppRouter } from '@percolate/server/router'
import { createTRPCReact, httpBatchLink } from '@trpc/react-query'
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'
import { sessionFetch } from './session.ts'

export const trpc = createTRPCReact<AppRouter>()
export type RouterOutputs = inferRouterOutputs<AppRouter>
export type RouterInputs = inferRouterInputs<AppRouter>
export type TrpcClient = ReturnType<typeof trpc.createClient>

export function createTrpcClient(): TrpcClient {
  return trpc.createClient({ links: [httpBatchLink({ url: '/trpc', fetch: sessionFetch })] })
}

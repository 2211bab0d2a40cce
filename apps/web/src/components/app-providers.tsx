// The providers every screen needs: the typed API client, the query cache and the Flashbar's messages.
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import type { TrpcClient } from '../trpc.ts'
import { trpc } from '../trpc.ts'
import { FlashProvider } from './flash.tsx'

export function AppProviders({
  trpcClient,
  queryClient,
  children,
}: {
  trpcClient: TrpcClient
  queryClient: QueryClient
  children: ReactNode
}) {
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <FlashProvider>{children}</FlashProvider>
      </QueryClientProvider>
    </trpc.Provider>
  )
}

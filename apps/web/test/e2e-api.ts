// The API as a signed-in browser reaches it, without the page: tRPC over HTTP on the web origin with that browser
// context's session cookies (and, for mutations, the same-origin evidence the app's client sends). Typed by the
// server's router, like the app's own client.
import type { AppRouter } from '@percolate/server/router'
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client'
import type { BrowserContext } from 'playwright-core'

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>

/** A client that sends the cookies `context` holds for `origin` (read once per request: they rotate). */
export function apiFor(context: BrowserContext, origin: string): ApiClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${origin}/trpc`,
        headers: async () => {
          const cookies = await context.cookies(origin)
          return {
            cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
            'x-percolate-csrf': '1',
            origin,
          }
        },
      }),
    ],
  })
}

/** The tRPC error code a call was refused with ("NOT_FOUND", "FORBIDDEN"…), or "resolved" when it was not. */
export async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call
    return 'resolved'
  } catch (error) {
    if (error instanceof TRPCClientError) return String((error.data as { code?: string } | undefined)?.code)
    throw error
  }
}

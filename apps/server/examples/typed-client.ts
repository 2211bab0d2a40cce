// A developer's typed client: the server's router type, a personal API token, and every call checked by
// TypeScript. Create the token in the web app (API tokens), then:
//   PERCOLATE_URL=http://localhost:5173 PERCOLATE_TOKEN=pct.demo.… bun apps/server/examples/typed-client.ts
import { createTRPCClient, httpBatchLink } from '@trpc/client'
import type { AppRouter } from '../src/trpc/router.ts'

const url = process.env.PERCOLATE_URL ?? 'http://localhost:5173'
const token = process.env.PERCOLATE_TOKEN
if (!token) {
  console.error('Set PERCOLATE_TOKEN to a personal API token (web app → API tokens → Create token).')
  process.exit(2)
}

const percolate = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
})

const me = await percolate.auth.me.query()
console.log(
  `Signed in as ${me.name} <${me.email}> (${me.role}) in workspace "${me.deploymentId}", via ${me.via}`,
)

// The real API process as an operator runs it in local mode (apps/server/src/main.ts: the demo data, the local
// identity provider), on a free port; apps are not imported into each other. Used by home.e2e.test.ts and by
// bench/web.ts.
import { join } from 'node:path'
import { findFreePort } from '@percolate/db/local-dynamodb'

const serverMain = join(import.meta.dir, '../../server/src/main.ts')

export interface LocalApi {
  url: string
  stop: () => Promise<void>
}

export async function startLocalApi({
  dynamoEndpoint,
  tableName,
  publicUrl,
  readyWithinMs = 60_000,
}: {
  dynamoEndpoint: string
  tableName: string
  /** The web origin a person opens (the API builds its sign-in redirects from it). */
  publicUrl: string
  readyWithinMs?: number
}): Promise<LocalApi> {
  const port = await findFreePort()
  const child = Bun.spawn(['bun', serverMain], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PERCOLATE_MODE: 'local',
      HOST: '127.0.0.1',
      PORT: String(port),
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      DYNAMODB_TABLE: tableName,
      LOCAL_OIDC_PORT: '0',
      PUBLIC_URL: publicUrl,
      LOG_LEVEL: 'warn',
    },
    stdout: 'inherit',
    stderr: 'inherit',
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    child.kill()
    await child.exited
  }
  // Up to a minute by default: on a busy 2-core machine the server (and its local identity provider) can take a
  // while.
  const deadline = Date.now() + readyWithinMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`)
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the API did not answer /readyz at ${url} within ${readyWithinMs / 1000} s`)
    }
    await Bun.sleep(100)
  }
  return { url, stop }
}

// The stack `make dev` runs, started by a test: the real dev entry (apps/server/src/local/dev.ts: the API in local
// mode, the local identity provider, the demo seed, the local SES inbox and chat servers, and the worker that runs
// due rounds and sends notifications every 5 s) on the test's DynamoDB Local, a table of its own and free ports, with
// the built web app in front of it on one origin (serve-web.ts, as the Ingress does). By default it seeds Demo Co
// only and runs the dev worker; the two-deployment test asks for both deployments and no worker (percolate-cron
// runs the rounds, as in a cluster).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFreePort, isPortFree } from '@percolate/db/local-dynamodb'
import { serveWeb } from './serve-web.ts'

const devEntry = join(import.meta.dir, '../../server/src/local/dev.ts')

export interface DevStack {
  /** The web app and the API, one origin (what a person opens). */
  webOrigin: string
  /** The local SES: `GET {sesUrl}/store` lists every email sent. */
  sesUrl: string
  /** `GET {chatUrl}` lists what the local Slack, Telegram and Signal servers received. */
  chatUrl: string
  /** The environment `percolate-cron` needs to work on this stack (dev.ts's DEV_CRON_ENV_FILE), key excluded. */
  cronEnv: Record<string, string>
  stop: () => Promise<void>
}

/** `count` consecutive free ports: dev.ts puts the local SES and the chat servers on SES_LOCAL_PORT and the 4 after. */
async function findFreePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 40_000)
    const ports = Array.from({ length: count }, (_, i) => first + i)
    if ((await Promise.all(ports.map((port) => isPortFree(port)))).every(Boolean)) return first
  }
  throw new Error(`found no ${count} consecutive free ports for the local notification servers`)
}

export async function startDevStack({
  distDir,
  dynamoEndpoint,
  tableName,
  readyWithinMs = 90_000,
  deployments = ['demo'],
  worker = true,
  signingKey,
}: {
  distDir: string
  dynamoEndpoint: string
  tableName: string
  readyWithinMs?: number
  /** The demo deployments to seed (dev.ts's DEMO_DEPLOYMENTS). */
  deployments?: ('demo' | 'globex')[]
  /** false: no dev worker (DEV_WORKER=off); rounds and notifications wait for `percolate-cron`. */
  worker?: boolean
  /** The P-256 key (PKCS#8 PEM) the API signs with; give the same one to `percolate-cron`. Default: a fresh one. */
  signingKey?: string
}): Promise<DevStack> {
  let apiUrl = ''
  // The API needs the web origin (PUBLIC_URL) before it starts; the web server needs the API's URL per request.
  const web = serveWeb(distDir, () => apiUrl)
  const webOrigin = `http://127.0.0.1:${web.port}`
  const port = await findFreePort()
  const sesPort = await findFreePortBlock(5)
  const scratch = mkdtempSync(join(tmpdir(), 'percolate-dev-stack-'))
  const cronEnvFile = join(scratch, 'cron-env.json')
  const child = Bun.spawn(['bun', devEntry], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      // 0: the identity provider takes any free port (its issuer URL says which).
      LOCAL_OIDC_PORT: '0',
      SES_LOCAL_PORT: String(sesPort),
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      DYNAMODB_TABLE: tableName,
      PUBLIC_URL: webOrigin,
      LOG_LEVEL: 'warn',
      DEMO_DEPLOYMENTS: deployments.join(','),
      DEV_CRON_ENV_FILE: cronEnvFile,
      ...(worker ? {} : { DEV_WORKER: 'off' }),
      ...(signingKey ? { SESSION_SIGNING_KEY: signingKey } : {}),
    },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  // What dev.ts prints, for the failure message when it does not come up.
  let output = ''
  const collect = async (stream: ReadableStream<Uint8Array>, echo: boolean) => {
    const decoder = new TextDecoder()
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true })
      output = (output + text).slice(-4_000)
      if (echo) process.stderr.write(text)
    }
  }
  // Its warnings and errors show as they happen; its banner only if it fails to start.
  void collect(child.stdout, false)
  void collect(child.stderr, true)

  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    child.kill()
    await child.exited
    web.stop(true)
    rmSync(scratch, { recursive: true, force: true })
  }
  const deadline = Date.now() + readyWithinMs
  for (;;) {
    if (child.exitCode !== null) {
      web.stop(true)
      rmSync(scratch, { recursive: true, force: true })
      throw new Error(`make dev's API (${devEntry}) exited with code ${child.exitCode}:\n${output}`)
    }
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(
        `make dev's API did not answer ${url}/readyz within ${readyWithinMs / 1000} s (seeding the demo on a busy machine?):\n${output}`,
      )
    }
    await Bun.sleep(200)
  }
  apiUrl = url
  return {
    webOrigin,
    sesUrl: `http://127.0.0.1:${sesPort}`,
    chatUrl: `http://127.0.0.1:${sesPort + 4}`,
    cronEnv: JSON.parse(readFileSync(cronEnvFile, 'utf8')) as Record<string, string>,
    stop,
  }
}

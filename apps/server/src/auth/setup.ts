// Builds the auth service for a server; in local mode also starts the embedded OpenID Provider with the demo
// accounts, so local sign-in takes the same authorization-code path as production.
import type { LocalAccount, LocalIdentityProvider } from '@percolate/auth/local-identity-provider'
import type { Database } from '@percolate/db/database'
import type { ServerEnv } from '../env.ts'
import { demoMembers } from '../local/demo-seed.ts'
import { globexMembers } from '../local/globex-seed.ts'
import type { Logger } from '../log.ts'
import type { ServerMetrics } from '../metrics.ts'
import { createAuthService, LOCAL_CLIENT_ID } from './service.ts'

/** The password of every local demo account (local mode only; shown in the README). */
export const DEMO_PASSWORD = 'percolate-demo'

/**
 * The members of both demo deployments (Demo Co and Globex), plus a newcomer (registers on first sign-in) and an
 * outsider (domain not allowed).
 */
export function demoAccounts(): LocalAccount[] {
  return [
    ...[...demoMembers(), ...globexMembers()].map((member) => ({
      id: member.id,
      email: member.email,
      name: member.name,
      password: DEMO_PASSWORD,
    })),
    { id: 'newcomer', email: 'new.joiner@democo.example', name: 'New Joiner', password: DEMO_PASSWORD },
    { id: 'outsider', email: 'olga@elsewhere.example', name: 'Olga Outsider', password: DEMO_PASSWORD },
  ]
}

export async function setUpAuth({
  db,
  env,
  logger,
  metrics,
}: {
  db: Database
  env: ServerEnv
  logger: Logger
  metrics?: ServerMetrics
}) {
  let provider: LocalIdentityProvider | undefined
  if (env.PERCOLATE_MODE === 'local') {
    // Loaded only here: production never loads the provider (it also warns about the runtime on import).
    const { startLocalIdentityProvider } = await import('@percolate/auth/local-identity-provider')
    provider = await startLocalIdentityProvider({
      accounts: demoAccounts(),
      clients: [
        {
          clientId: LOCAL_CLIENT_ID,
          redirectUris: [`${new URL(env.PUBLIC_URL).origin}/auth/callback/local`],
        },
      ],
      port: env.LOCAL_OIDC_PORT,
    })
  }
  try {
    const auth = await createAuthService({ db, env, logger, metrics, localIssuer: provider?.issuer })
    return { auth, localIssuer: provider?.issuer, stop: async () => provider?.stop() }
  } catch (error) {
    await provider?.stop()
    throw error
  }
}

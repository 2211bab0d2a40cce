// The dispatcher the cron binary and the Lambda handler use, built from the environment.
import { importPrivateSigningKey } from '@percolate/auth/access-token'
import { createActionTokens } from '@percolate/auth/action-token'
import type { Database } from '@percolate/db/database'
import { createChannels, emailAddressOf } from '@percolate/dispatch/channels-config'
import { createDispatcher, type Dispatcher } from '@percolate/dispatch/dispatcher'
import { signedLinks } from '@percolate/dispatch/signed-links'
import type { CronEnv } from './config.ts'

export class DispatchConfigError extends Error {}

export async function createDispatcherFromEnv(
  env: CronEnv,
  db: Database,
  log: (line: Record<string, unknown>) => void,
): Promise<Dispatcher> {
  if (!env.PUBLIC_URL || !env.SESSION_SIGNING_KEY) {
    throw new DispatchConfigError(
      'sending notifications needs PUBLIC_URL (where the links point) and SESSION_SIGNING_KEY (the key the server signs with)',
    )
  }
  const keys = await importPrivateSigningKey(env.SESSION_SIGNING_KEY)
  const actionTokens = createActionTokens({ keys, issuer: new URL(env.PUBLIC_URL).origin })
  return createDispatcher({
    db,
    channels: createChannels(env, env.AWS_REGION),
    links: signedLinks(actionTokens, env.PUBLIC_URL),
    ...(env.SES_FROM
      ? {
          invite: {
            organizer: { name: 'Percolate', email: emailAddressOf(env.SES_FROM) },
            uidDomain: new URL(env.PUBLIC_URL).hostname,
          },
        }
      : {}),
    log,
  })
}

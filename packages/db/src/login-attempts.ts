// A sign-in in progress, between the redirect to the identity provider and its callback. Keyed by a hash of the
// `state`; holds the PKCE verifier, nonce and expected issuer, and a hash of a secret kept in the browser's
// cookie, so the callback works once, within minutes, and only in the browser that started it.

import { Entity } from 'dynamodb-toolbox/entity'
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { item } from 'dynamodb-toolbox/schema/item'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { z } from 'zod'
import type { Database } from './database.ts'
import { deploymentPartition, type PercolateTable } from './table.ts'

export const loginAttemptSchema = z.object({
  deploymentId: z.string(),
  stateHash: z.string(),
  /** Which configured provider (its index key, e.g. "google", "local"). */
  provider: z.string(),
  issuer: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  /** SHA-256 of the secret in the browser's login cookie. */
  browserHash: z.string(),
  returnTo: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.number().int(),
})
export type LoginAttempt = z.infer<typeof loginAttemptSchema>

export function createLoginAttemptEntity(table: PercolateTable) {
  return new Entity({
    name: 'LoginAttempt',
    table,
    timestamps: false,
    schema: item({
      deploymentId: string().key(),
      stateHash: string().key(),
      provider: string(),
      issuer: string(),
      nonce: string(),
      codeVerifier: string(),
      browserHash: string(),
      returnTo: string(),
      createdAt: string(),
      /** Epoch seconds: past it the attempt is refused, and DynamoDB's TTL removes it later. */
      expiresAt: number(),
    }),
    computeKey: ({ deploymentId, stateHash }) => ({
      pk: deploymentPartition(deploymentId),
      sk: `LOGIN#${stateHash}`,
    }),
  })
}

export async function saveLoginAttempt(db: Database, attempt: LoginAttempt): Promise<void> {
  await db.loginAttempts
    .build(PutItemCommand)
    .item(loginAttemptSchema.parse(attempt))
    .options({ condition: { attr: 'stateHash', exists: false } })
    .send()
}

/**
 * Takes the attempt out (a conditional delete): of two callbacks with the same state only one gets it. Returns null
 * when there is none, or it has expired.
 */
export async function consumeLoginAttempt(
  db: Database,
  deploymentId: string,
  stateHash: string,
  now = new Date(),
): Promise<LoginAttempt | null> {
  try {
    const { Attributes } = await db.loginAttempts
      .build(DeleteItemCommand)
      .key({ deploymentId, stateHash })
      .options({ condition: { attr: 'stateHash', exists: true }, returnValues: 'ALL_OLD' })
      .send()
    if (!Attributes) return null
    const attempt = loginAttemptSchema.parse(Attributes)
    return attempt.expiresAt * 1000 > now.getTime() ? attempt : null
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return null
    throw error
  }
}

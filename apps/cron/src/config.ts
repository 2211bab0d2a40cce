// The cron binary's configuration: read from the environment once, validated, never echoed.
import { dynamoEnvSchema } from '@percolate/db/env'
import { channelsEnvSchema } from '@percolate/dispatch/channels-config'
import { describeIssues } from '@percolate/domain/validation'
import { z } from 'zod'

export const cronEnvSchema = channelsEnvSchema.extend({
  ...dynamoEnvSchema.shape,
  /** How late a round may still start; later, it is recorded as skipped. */
  ROUND_DEADLINE_HOURS: z.coerce
    .number({ error: 'must be a number of hours from 1 to 168' })
    .min(1, { error: 'must be at least 1 hour' })
    .max(168, { error: 'must be at most 168 hours (a week)' })
    .default(24),
  /** Where people reach the web app: the links in notifications point there. */
  PUBLIC_URL: z
    .url({ error: 'must be the URL people open, such as https://percolate.example.com' })
    .optional(),
  /**
   * The same P-256 private key (PKCS#8 PEM) the server signs with: notification links (pause, we met) are signed
   * with it. Needed to send notifications; never printed.
   */
  SESSION_SIGNING_KEY: z
    .string()
    .optional()
    .refine((value) => !value || value.includes('-----BEGIN PRIVATE KEY-----'), {
      error: 'must be a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----…")',
    }),
  /** Opt-in rounds: hours before the round when members who have not opted in are reminded. */
  REMINDER_BEFORE_HOURS: z.coerce
    .number({ error: 'must be a number of hours from 1 to 168' })
    .min(1, { error: 'must be at least 1 hour' })
    .max(168, { error: 'must be at most 168 hours (a week)' })
    .default(24),
  /** Days after a round when members who have not said whether they met are asked. */
  CHECKIN_AFTER_DAYS: z.coerce
    .number({ error: 'must be a whole number of days from 1 to 14' })
    .int({ error: 'must be a whole number of days from 1 to 14' })
    .min(1, { error: 'must be at least 1 day' })
    .max(14, { error: 'must be at most 14 days' })
    .default(3),
  /**
   * A Prometheus Pushgateway: a CronJob's pod is gone before anything could scrape it, so each run pushes its
   * metrics there at the end. Not set: nothing is pushed.
   */
  METRICS_PUSHGATEWAY_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be the Pushgateway URL, such as http://pushgateway.monitoring:9091',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The `instance` label of the pushed metrics: the deployment's instance name (its namespace is percolate-NAME). */
  METRICS_INSTANCE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
      error: 'must be an instance name such as "acme": letters, digits, ".", "_" or "-", at most 63',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
})
export type CronEnv = z.infer<typeof cronEnvSchema>

export function readCronEnv(source: Record<string, string | undefined>): CronEnv {
  const parsed = cronEnvSchema.safeParse(source)
  if (!parsed.success) throw new Error(`configuration: ${describeIssues(parsed.error).join('; ')}`)
  return parsed.data
}

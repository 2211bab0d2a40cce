// The server's configuration: read from the environment once, at start, and validated.
// Nothing else in the server reads process.env.
import { dynamoEnvSchema, optionalUrlSchema } from '@percolate/db/env'
import { describeIssues } from '@percolate/domain/validation'
import { z } from 'zod'

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number from 1 to 65535' })
    .int({ error: 'must be a port number from 1 to 65535' })
    .min(0, { error: 'must be a port number from 1 to 65535 (0 picks a free one)' })
    .max(65535, { error: 'must be a port number from 1 to 65535' })
    .default(fallback)

const optionalUrl = optionalUrlSchema

const METRICS_PORT_RULE = 'must be a port number from 1 to 65535 (0 picks a free one) or "off"'

export const envSchema = dynamoEnvSchema.extend({
  /** "local" turns on the embedded defaults (local sign-in, plain-http cookies); "production" everywhere else. */
  PERCOLATE_MODE: z
    .enum(['local', 'production'], { error: 'must be "local" or "production"' })
    .default('production'),
  HOST: z.string().min(1, { error: 'must be a host name or address' }).default('0.0.0.0'),
  PORT: port(3000),
  /** Where people reach the web app; links in emails and OIDC redirects are built from it. */
  PUBLIC_URL: z
    .url({ error: 'must be the URL people open, such as https://percolate.example.com' })
    .default('http://localhost:5173'),
  /** The local SES (aws-ses-v2-local) or another endpoint; leave empty in AWS. */
  SES_ENDPOINT: optionalUrl,
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
    .default('info'),
  /**
   * The P-256 private key (PKCS#8 PEM) that signs access tokens. Required outside local mode; local mode makes a
   * fresh one at each start. `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`.
   */
  SESSION_SIGNING_KEY: z
    .string()
    .default('')
    .refine((value) => value === '' || value.includes('-----BEGIN PRIVATE KEY-----'), {
      error: 'must be a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----…")',
    }),
  /**
   * Client secrets of confidential OIDC clients, as JSON: {"<deployment id>/<provider>": "<secret>"}, provider
   * being google, cognito or oidc-<label>. Public clients (PKCE only) need none.
   */
  OIDC_CLIENT_SECRETS: z
    .string()
    .default('{}')
    .refine(
      (value) => {
        try {
          const parsed = JSON.parse(value) as unknown
          return (
            typeof parsed === 'object' &&
            parsed !== null &&
            !Array.isArray(parsed) &&
            Object.values(parsed).every((secret) => typeof secret === 'string')
          )
        } catch {
          return false
        }
      },
      { error: 'must be a JSON object of "<deployment id>/<provider>": "<secret>" (the value is not shown)' },
    ),
  /** Local mode only: the port of the embedded OpenID Provider (its issuer is http://localhost:PORT). */
  LOCAL_OIDC_PORT: port(3001),
  /**
   * Port of the Prometheus /metrics listener, apart from the API's port so that the Ingress never exposes it;
   * "off" serves no metrics.
   */
  METRICS_PORT: z
    .union(
      [
        z.literal('off'),
        z.coerce
          .number({ error: METRICS_PORT_RULE })
          .int({ error: METRICS_PORT_RULE })
          .min(0, { error: METRICS_PORT_RULE })
          .max(65535, { error: METRICS_PORT_RULE }),
      ],
      { error: METRICS_PORT_RULE },
    )
    .default(9464),
  /** Behind a proxy that sets X-Forwarded-For (an Ingress): take the client address from it for rate limits. */
  TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
})
export type ServerEnv = z.infer<typeof envSchema>

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** Parses the environment; a ConfigError lists each wrong or missing variable with what is allowed. */
export function readEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const result = envSchema.safeParse(source)
  if (result.success) return result.data
  const lines = describeIssues(result.error).map((line) => {
    const name = line.slice(0, line.indexOf(':'))
    const given = source[name]
    const secret = name === 'SESSION_SIGNING_KEY' || name === 'OIDC_CLIENT_SECRETS'
    return given === undefined || secret ? line : `${line} (got "${given}")`
  })
  throw new ConfigError(`Invalid configuration (see .env.example): ${lines.join('; ')}`)
}

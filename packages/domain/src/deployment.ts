// A deployment is one company, office or community: its own members, schedule and channels.
import { z } from 'zod'
import { scheduleSchema } from './schedule.ts'
import { timeZoneSchema } from './time-zone.ts'

export const deploymentIdSchema = z
  .string({ error: 'must be a deployment id' })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, {
    error: 'must be 1–40 lowercase letters, digits or dashes, starting and ending with a letter or digit',
  })
export type DeploymentId = z.infer<typeof deploymentIdSchema>

export const channelKinds = ['email', 'slack', 'telegram', 'signal'] as const
export type ChannelKind = (typeof channelKinds)[number]
export const channelKindSchema = z.enum(channelKinds, { error: `must be one of ${channelKinds.join(', ')}` })

export const remainderPolicies = ['larger-groups', 'smaller-groups', 'leave-out'] as const
export const participationModes = ['automatic', 'opt-in'] as const

const domainNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: (issue) => `"${String(issue.input)}" is not a domain name such as "example.com"`,
  })

const httpsUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

export const identityProviderKinds = ['google', 'cognito', 'oidc', 'local'] as const

export const identityProviderSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('google'), clientId: z.string().min(1, { error: 'is required' }) }),
    z.object({
      kind: z.literal('cognito'),
      issuer: httpsUrlSchema,
      clientId: z.string().min(1, { error: 'is required' }),
      domain: httpsUrlSchema,
    }),
    z.object({
      kind: z.literal('oidc'),
      label: z
        .string()
        .trim()
        .min(1, { error: 'is required' })
        .max(60, { error: 'must be at most 60 characters' }),
      issuer: httpsUrlSchema,
      clientId: z.string().min(1, { error: 'is required' }),
    }),
    z.object({ kind: z.literal('local') }),
  ],
  { error: 'must be an identity provider of kind google, cognito, oidc or local' },
)
export type IdentityProvider = z.infer<typeof identityProviderSchema>

/** What an admin may set. The server adds id, version and timestamps. */
export const deploymentSettingsSchema = z.object({
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(1, { error: 'is required' })
    .max(100, { error: 'must be at most 100 characters' }),
  timeZone: timeZoneSchema,
  schedule: scheduleSchema,
  meetingSize: z
    .number({ error: 'must be a whole number from 2 to 6' })
    .int({ error: 'must be a whole number from 2 to 6' })
    .min(2, { error: 'must be at least 2' })
    .max(6, { error: 'must be at most 6' }),
  remainderPolicy: z
    .enum(remainderPolicies, { error: `must be one of ${remainderPolicies.join(', ')}` })
    .default('larger-groups'),
  participationMode: z
    .enum(participationModes, { error: `must be one of ${participationModes.join(', ')}` })
    .default('automatic'),
  /** Half-life, in weeks, of a past meeting's weight when avoiding repeats. */
  repeatDecayWeeks: z
    .number({ error: 'must be a number of weeks from 1 to 520' })
    .int({ error: 'must be a whole number of weeks' })
    .min(1, { error: 'must be at least 1 week' })
    .max(520, { error: 'must be at most 520 weeks' })
    .default(26),
  allowedEmailDomains: z
    .array(domainNameSchema)
    .min(1, { error: 'must list at least one email domain' })
    .max(50, { error: 'must list at most 50 domains' }),
  enabledChannels: z
    .array(channelKindSchema)
    .min(1, { error: 'must enable at least one channel' })
    .refine((kinds) => new Set(kinds).size === kinds.length, { error: 'must not list a channel twice' }),
  identityProviders: z
    .array(identityProviderSchema)
    .min(1, { error: 'must configure at least one identity provider' }),
})
export type DeploymentSettings = z.infer<typeof deploymentSettingsSchema>
export type DeploymentSettingsInput = z.input<typeof deploymentSettingsSchema>

export const deploymentSchema = deploymentSettingsSchema.extend({
  id: deploymentIdSchema,
  version: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type Deployment = z.infer<typeof deploymentSchema>

export function isEmailDomainAllowed(
  deployment: Pick<Deployment, 'allowedEmailDomains'>,
  email: string,
): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase()
  return deployment.allowedEmailDomains.includes(domain)
}

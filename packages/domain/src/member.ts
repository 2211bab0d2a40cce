// A member is one person in one deployment: profile, preferences, participation, role and channel addresses.
import { z } from 'zod'
import { deploymentIdSchema } from './deployment.ts'
import { clockTimeSchema, minutesOfDay, timeZoneSchema } from './time-zone.ts'

export const memberIdSchema = z
  .string({ error: 'must be a member id' })
  .regex(/^[A-Za-z0-9_-]{6,64}$/, { error: 'must be 6–64 letters, digits, "_" or "-"' })
export type MemberId = z.infer<typeof memberIdSchema>

export const roles = ['member', 'admin'] as const
export type Role = (typeof roles)[number]

const shortText = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(max, { error: `must be at most ${max} characters` })

export const emailSchema = z
  .email({ error: (issue) => `"${String(issue.input)}" is not an email address` })
  .max(254, { error: 'must be at most 254 characters' })
  .transform((email) => email.toLowerCase())

/** Calendar date "YYYY-MM-DD", read in the member's own time zone. */
export const isoDateSchema = z.iso.date({ error: 'must be a date "YYYY-MM-DD"' })

export const workingHoursSchema = z
  .object({ start: clockTimeSchema, end: clockTimeSchema })
  .refine(({ start, end }) => minutesOfDay(start) < minutesOfDay(end), {
    error: 'start must be before end',
    path: ['end'],
  })

export const locationPreferences = ['same', 'remote-ok'] as const

export const preferencesSchema = z.object({
  preferOtherDepartments: z.boolean({ error: 'must be true or false' }).default(true),
  /** "same": prefer people at my location; "remote-ok": anywhere is fine (video calls). */
  location: z
    .enum(locationPreferences, { error: `must be one of ${locationPreferences.join(', ')}` })
    .default('remote-ok'),
  /** Minimum shared working hours with everyone in my group; 0 disables the preference. */
  minOverlapHours: z
    .number({ error: 'must be a number of hours from 0 to 8' })
    .min(0, { error: 'must be at least 0' })
    .max(8, { error: 'must be at most 8 hours' })
    .default(1),
  /** People never to be grouped with; never shown to them. */
  avoidMemberIds: z.array(memberIdSchema).max(200, { error: 'must list at most 200 people' }).default([]),
})
export type Preferences = z.infer<typeof preferencesSchema>

export const participationSchema = z.discriminatedUnion(
  'status',
  [
    z.object({ status: z.literal('active') }),
    /** Paused indefinitely when `until` is absent; active again from `until` on. */
    z.object({ status: z.literal('paused'), until: isoDateSchema.optional() }),
    z.object({ status: z.literal('left'), since: z.iso.datetime() }),
  ],
  { error: 'must be { status: "active" }, { status: "paused", until? } or { status: "left", since }' },
)
export type Participation = z.infer<typeof participationSchema>

export const channelAddressesSchema = z.object({
  email: z.object({ enabled: z.boolean({ error: 'must be true or false' }) }).default({ enabled: true }),
  slack: z
    .object({
      memberId: z
        .string()
        .regex(/^[UW][A-Z0-9]{6,20}$/, { error: 'must be a Slack member id such as "U024BE7LH"' }),
    })
    .optional(),
  telegram: z
    .object({
      chatId: z
        .string()
        .regex(/^-?\d{1,20}$/, { error: 'must be a numeric Telegram chat id such as "123456789"' }),
    })
    .optional(),
  signal: z
    .object({
      number: z.string().regex(/^\+[1-9]\d{6,14}$/, {
        error: 'must be a phone number in international format such as "+491701234567"',
      }),
    })
    .optional(),
})
export type ChannelAddresses = z.infer<typeof channelAddressesSchema>

export const identitySchema = z.object({
  issuer: z.string().min(1),
  subject: z.string().min(1).max(255),
})
export type Identity = z.infer<typeof identitySchema>

/** What a member may edit about themselves. */
export const profileSchema = z.object({
  name: shortText(100).min(1, { error: 'is required' }),
  department: shortText(60).default(''),
  location: shortText(60).default(''),
  timeZone: timeZoneSchema,
  workingHours: workingHoursSchema.default({ start: '09:00', end: '17:00' }),
  bio: shortText(500).default(''),
  interests: z
    .array(shortText(40).min(1, { error: 'must not be empty' }))
    .max(20, { error: 'must list at most 20 interests' })
    .default([]),
})
export type Profile = z.infer<typeof profileSchema>

export const memberSchema = profileSchema.extend({
  id: memberIdSchema,
  deploymentId: deploymentIdSchema,
  email: emailSchema,
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
  preferences: preferencesSchema,
  participation: participationSchema,
  channels: channelAddressesSchema,
  identities: z.array(identitySchema).max(5),
  onboarded: z.boolean(),
  version: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type Member = z.infer<typeof memberSchema>

/** Whether a member takes part in a round held on `roundDate` ("YYYY-MM-DD" in the member's time zone). */
export function isParticipating(participation: Participation, roundDate: string): boolean {
  if (participation.status === 'active') return true
  if (participation.status === 'left') return false
  return participation.until !== undefined && participation.until <= roundDate
}

/**
 * The channels a member is notified on: those they set up, among those the deployment enabled, in the order the
 * deployment lists them (its fallback order).
 */
export function memberChannels(
  channels: ChannelAddresses,
  enabledChannels: readonly ('email' | 'slack' | 'telegram' | 'signal')[],
): ('email' | 'slack' | 'telegram' | 'signal')[] {
  return enabledChannels.filter((kind) =>
    kind === 'email' ? channels.email.enabled : channels[kind] !== undefined,
  )
}

// How a notification (an outbox item) is shown: to its member, and to admins when it failed.
import { type OutboxItem, outboxKinds, outboxStatuses } from '@percolate/db/outbox'
import { channelKinds } from '@percolate/domain/deployment'
import { z } from 'zod'

export const notificationSchema = z.object({
  memberId: z.string(),
  /** The member's name (admins' list; "Former member" once deleted). */
  memberName: z.string(),
  /** The round it is about (or when a test message was asked for). */
  scheduledAt: z.iso.datetime(),
  kind: z.enum(outboxKinds),
  channel: z.enum(channelKinds),
  status: z.enum(outboxStatuses),
  attempts: z.number().int(),
  updatedAt: z.iso.datetime(),
  /** Why it failed, or why the last attempt did. */
  reason: z.string().nullable(),
})
export type Notification = z.infer<typeof notificationSchema>

export const toNotification = (item: OutboxItem, memberName: string): Notification => ({
  memberId: item.memberId,
  memberName,
  scheduledAt: item.scheduledAt,
  kind: item.kind,
  channel: item.channel,
  status: item.status,
  attempts: item.attempts,
  updatedAt: item.updatedAt,
  reason: item.reason ?? null,
})

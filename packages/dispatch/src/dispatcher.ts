// Sends what the outbox holds. The same code runs in `percolate-cron dispatch` (and after each round) and in the
// Lambda handler for the table's stream. Per item: claim it (pending → sending, with a lease: one dispatcher
// only), render it for its channel, send, and record the outcome: sent (with the provider's id), retried later
// (exponential backoff with jitter, never sooner than the provider's Retry-After), or failed for good (with
// the reason), in which case email takes over when the member has it. A dispatcher that dies mid-send leaves a
// claim whose lease runs out; the item is sent again then (at least once: none of these APIs takes an
// idempotency key).
import type { Database } from '@percolate/db/database'
import { getMatch } from '@percolate/db/matches'
import { getMember } from '@percolate/db/members'
import {
  claimOutboxItem,
  finishOutboxItem,
  getOutboxItem,
  listOutboxByStatus,
  newOutboxItem,
  type OutboxItem,
  type OutboxOutcome,
  outboxId,
  outboxWritesOnce,
} from '@percolate/db/outbox'
import { getRoundPlan } from '@percolate/db/rounds'
import { writeEachOnce } from '@percolate/db/write-once'
import type { ChannelKind, Deployment } from '@percolate/domain/deployment'
import { suggestMeetingTimes } from '@percolate/domain/meeting-times'
import type { Member } from '@percolate/domain/member'
import { nextRoundTimes } from '@percolate/domain/schedule'
import type {
  Channel,
  EmailAddress,
  SendResult,
  SignalAddress,
  SlackAddress,
  TelegramAddress,
} from '@percolate/notify/channel'
import { type RenderedMessage, toOutgoingMessage } from '@percolate/notify/render/render-message'
import { defaultRetryPolicy, nextRetryDelayMs, type RetryPolicy } from '@percolate/notify/retry-policy'
import { renderCheckIn } from '@percolate/notify/templates/check-in'
import type { MemberProfile } from '@percolate/notify/templates/inputs'
import { renderMatchNotification } from '@percolate/notify/templates/match-notification'
import { renderNotMatched } from '@percolate/notify/templates/not-matched'
import { renderOptInReminder } from '@percolate/notify/templates/opt-in-reminder'
import { renderTestMessage } from '@percolate/notify/templates/test-message'

export interface DispatchChannels {
  email?: Channel<EmailAddress>
  slack?: Channel<SlackAddress>
  telegram?: Channel<TelegramAddress>
  signal?: Channel<SignalAddress>
}

export interface MessageLinks {
  /** The web app (a member's dashboard). */
  app: string
  /** GET: a confirmation page for pausing; changes nothing. */
  pause: string
  /** One-click POST endpoint for List-Unsubscribe (RFC 8058). */
  unsubscribe: string
  met: string
  didNotMeet: string
}

export interface DispatcherConfig {
  db: Database
  channels: DispatchChannels
  /** Signed links for one member (and round) in a message. */
  links: (claims: { deploymentId: string; memberId: string; scheduledAt: string }) => Promise<MessageLinks>
  /** The sender as calendar organizer and the invite UIDs' domain; without it, emails carry no invite. */
  invite?: { organizer: { name: string; email: string }; uidDomain: string }
  /** How long a claim lasts before another dispatcher may take the item over (default 120 s). */
  leaseSeconds?: number
  retryPolicy?: RetryPolicy
  /** In [0, 1), for the backoff's jitter (default Math.random). */
  random?: () => number
  /** Items sent at once (default 8); each channel's rate limiter paces them. */
  concurrency?: number
  log?: (line: Record<string, unknown>) => void
}

export interface DispatchCounts {
  sent: number
  failed: number
  retried: number
  /** Claimed by another dispatcher first. */
  skipped: number
}

export type ItemOutcome = 'sent' | 'failed' | 'retried' | 'skipped'

const channelNames: Record<ChannelKind, string> = {
  email: 'Email',
  slack: 'Slack',
  telegram: 'Telegram',
  signal: 'Signal',
}
const configHints: Record<ChannelKind, string> = {
  email: 'SES_FROM',
  slack: 'SLACK_BOT_TOKEN',
  telegram: 'TELEGRAM_BOT_TOKEN',
  signal: 'SIGNAL_API_URL and SIGNAL_NUMBER',
}

class PermanentFailure extends Error {}

export function createDispatcher(config: DispatcherConfig) {
  const { db } = config
  const leaseSeconds = config.leaseSeconds ?? 120
  const policy = config.retryPolicy ?? defaultRetryPolicy
  const random = config.random ?? Math.random
  const log = config.log ?? (() => {})

  function addressOf(member: Member, channel: ChannelKind): unknown {
    switch (channel) {
      case 'email':
        return member.channels.email.enabled ? { email: member.email } : undefined
      case 'slack':
        return member.channels.slack
      case 'telegram':
        return member.channels.telegram
      case 'signal':
        return member.channels.signal
    }
  }

  async function profiles(deploymentId: string, ids: readonly string[]): Promise<Member[]> {
    const members = await Promise.all(ids.map((id) => getMember(db, deploymentId, id)))
    return members.filter((member): member is Member => member !== null)
  }

  async function render(
    deployment: Deployment,
    item: OutboxItem,
    member: Member,
    now: Date,
  ): Promise<RenderedMessage> {
    const links = await config.links({
      deploymentId: deployment.id,
      memberId: member.id,
      scheduledAt: item.scheduledAt,
    })
    const recipient = { name: member.name, timeZone: member.timeZone }
    const common = { deploymentName: deployment.name, recipient }
    switch (item.kind) {
      case 'match':
      case 'checkin': {
        const match = await getMatch(db, deployment.id, member.id, item.scheduledAt)
        if (!match) throw new PermanentFailure('the match this message is about no longer exists')
        const others = await profiles(
          deployment.id,
          match.memberIds.filter((id) => id !== member.id),
        )
        const footer = {
          pause: links.pause,
          unsubscribe: links.unsubscribe,
          met: links.met,
          didNotMeet: links.didNotMeet,
        }
        if (item.kind === 'checkin')
          return renderCheckIn({ ...common, others, roundAt: new Date(item.scheduledAt), links: footer })
        const roundAt = new Date(item.scheduledAt)
        const suggestedTimes = suggestMeetingTimes([member, ...others], now > roundAt ? now : roundAt)
        const profile = (person: Member): MemberProfile => ({
          name: person.name,
          timeZone: person.timeZone,
          department: person.department,
          location: person.location,
          bio: person.bio,
          interests: person.interests,
          email: person.email,
        })
        const start = suggestedTimes[0]
        return renderMatchNotification({
          ...common,
          others: others.map(profile),
          reason: match.reason,
          suggestedTimes,
          now,
          links: footer,
          ...(config.invite && start && item.channel === 'email'
            ? {
                invite: {
                  round: { deploymentId: deployment.id, scheduledAt: item.scheduledAt },
                  groupIndex: match.groupIndex,
                  uidDomain: config.invite.uidDomain,
                  start,
                  durationMinutes: 30,
                  summary: `${deployment.name}: ${[member, ...others].map((p) => p.name.split(' ')[0]).join(', ')}`,
                  description: `Percolate grouped you: ${match.reason}. ${links.app}`,
                  organizer: config.invite.organizer,
                  attendees: [member, ...others].map((p) => ({ name: p.name, email: p.email })),
                  url: links.app,
                  stamp: roundAt,
                },
              }
            : {}),
        })
      }
      case 'not-matched': {
        const { leftOut } = await getRoundPlan(db, deployment.id, item.scheduledAt)
        const reason =
          leftOut.find((left) => left.id === member.id)?.reason ?? 'the round could not place you'
        const [next] = nextRoundTimes(deployment.schedule, deployment.timeZone, now, 1)
        return renderNotMatched({
          ...common,
          reason,
          ...(next ? { nextRoundAt: next } : {}),
          links: { pause: links.pause, unsubscribe: links.unsubscribe },
        })
      }
      case 'test':
        return renderTestMessage({
          ...common,
          channelName: channelNames[item.channel],
          links: { pause: links.pause, unsubscribe: links.unsubscribe },
        })
      case 'reminder':
        return renderOptInReminder({
          ...common,
          roundAt: new Date(item.scheduledAt),
          links: { pause: links.pause, unsubscribe: links.unsubscribe, optIn: links.app },
        })
    }
  }

  async function send(deployment: Deployment, item: OutboxItem, now: Date): Promise<SendResult> {
    const member = await getMember(db, deployment.id, item.memberId)
    if (!member) return { outcome: 'failed', reason: 'the member no longer exists' }
    const address = addressOf(member, item.channel)
    if (!address) return { outcome: 'failed', reason: `no ${channelNames[item.channel]} address is set up` }
    const channel = config.channels[item.channel] as Channel<unknown> | undefined
    if (!channel)
      return {
        outcome: 'failed',
        reason: `${channelNames[item.channel]} is not configured (${configHints[item.channel]})`,
      }
    let rendered: RenderedMessage
    try {
      rendered = await render(deployment, item, member, now)
    } catch (error) {
      if (error instanceof PermanentFailure) return { outcome: 'failed', reason: error.message }
      throw error
    }
    return channel.send(address, toOutgoingMessage(rendered, outboxId(item)))
  }

  /** After a permanent failure on a chat channel, email takes over (once) when the member has it. */
  async function fallBack(deployment: Deployment, item: OutboxItem, now: Date): Promise<void> {
    if (item.channel === 'email' || !deployment.enabledChannels.includes('email')) return
    const member = await getMember(db, deployment.id, item.memberId)
    if (!member?.channels.email.enabled) return
    const key = { ...item, channel: 'email' as const }
    if (await getOutboxItem(db, key)) return
    await writeEachOnce(outboxWritesOnce(db, [newOutboxItem(key, now)]))
  }

  async function dispatchItem(
    deployment: Deployment,
    item: OutboxItem,
    now = new Date(),
  ): Promise<ItemOutcome> {
    const claimed = await claimOutboxItem(db, item, leaseSeconds, now)
    if (!claimed) return 'skipped'
    let result: SendResult
    try {
      result = await send(deployment, claimed, now)
    } catch (error) {
      // Our own trouble (a database hiccup, a bug): tried again later like a provider's 5xx.
      result = {
        outcome: 'retry',
        reason: `dispatcher error: ${error instanceof Error ? error.message : String(error)}`,
      }
    }
    let outcome: OutboxOutcome
    if (result.outcome === 'sent') outcome = { status: 'sent', providerMessageId: result.providerMessageId }
    else if (result.outcome === 'failed') outcome = { status: 'failed', reason: result.reason }
    else {
      const delay = nextRetryDelayMs(claimed.attempts, random(), result.retryAfterSeconds, policy)
      outcome =
        delay === null
          ? { status: 'failed', reason: `gave up after ${claimed.attempts} attempts: ${result.reason}` }
          : { status: 'pending', reason: result.reason, nextAttemptAt: new Date(now.getTime() + delay) }
    }
    const recorded = await finishOutboxItem(db, claimed, outcome, new Date())
    log({
      deployment: deployment.id,
      step: 'dispatch',
      item: outboxId(claimed),
      kind: claimed.kind,
      channel: claimed.channel,
      attempt: claimed.attempts,
      outcome: outcome.status,
      ...(outcome.status !== 'sent' ? { reason: outcome.reason } : {}),
      ...(recorded ? {} : { note: 'the claim had run out; another dispatcher owns the item' }),
    })
    if (outcome.status === 'failed') await fallBack(deployment, claimed, now)
    return outcome.status === 'sent' ? 'sent' : outcome.status === 'failed' ? 'failed' : 'retried'
  }

  /** Every item due now: pending ones whose time has come and claims whose lease ran out. */
  async function dispatchDue(
    deployment: Deployment,
    options: { now?: Date; limit?: number } = {},
  ): Promise<DispatchCounts> {
    const now = options.now ?? new Date()
    const limit = options.limit ?? 10_000
    const counts: DispatchCounts = { sent: 0, failed: 0, retried: 0, skipped: 0 }
    const due: OutboxItem[] = []
    for (const status of ['sending', 'pending'] as const) {
      let cursor: string | null = null
      do {
        const page = await listOutboxByStatus(db, deployment.id, status, {
          until: now.toISOString(),
          limit: Math.min(500, limit - due.length),
          cursor,
        })
        due.push(...page.items)
        cursor = due.length < limit ? page.nextCursor : null
      } while (cursor)
    }
    let next = 0
    const worker = async () => {
      while (next < due.length) {
        const item = due[next++]!
        counts[await dispatchItem(deployment, item, now)] += 1
      }
    }
    await Promise.all(Array.from({ length: Math.min(config.concurrency ?? 8, due.length) }, worker))
    return counts
  }

  return { dispatchItem, dispatchDue }
}
export type Dispatcher = ReturnType<typeof createDispatcher>

// Words for the API's enumerations, in one place.
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator'
import type { RouterOutputs } from '../trpc.ts'

type Notification = RouterOutputs['me']['notifications'][number]
export type ChannelKind = Notification['channel']
export type MatchStatus = RouterOutputs['matches']['history']['matches'][number]['status']
export type ParticipationMode = RouterOutputs['me']['workspace']['participationMode']

export const channelKinds: readonly ChannelKind[] = ['email', 'slack', 'telegram', 'signal']

export const channelLabels: Record<ChannelKind, string> = {
  email: 'Email',
  slack: 'Slack',
  telegram: 'Telegram',
  signal: 'Signal',
}

export const notificationKindLabels: Record<Notification['kind'], string> = {
  match: 'Your new group',
  'not-matched': 'No group this round',
  checkin: 'Did you meet?',
  reminder: 'Reminder',
  test: 'Test message',
}

export const notificationStatus: Record<
  Notification['status'],
  { type: StatusIndicatorProps.Type; label: string }
> = {
  pending: { type: 'pending', label: 'Waiting to be sent' },
  sending: { type: 'in-progress', label: 'Sending' },
  sent: { type: 'success', label: 'Sent' },
  failed: { type: 'error', label: 'Failed' },
}

export const matchStatus: Record<MatchStatus, { type: StatusIndicatorProps.Type; label: string }> = {
  scheduled: { type: 'pending', label: 'Not reported yet' },
  met: { type: 'success', label: 'Met' },
  'didnt-meet': { type: 'stopped', label: "Didn't meet" },
  cancelled: { type: 'stopped', label: 'Cancelled' },
}

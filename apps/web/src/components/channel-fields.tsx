// Where a member is told about their groups: email, Slack, Telegram, Signal. One field per channel, shared by the
// onboarding wizard and the channels page; checked with the shared schema before it is sent. Only the channels the
// workspace offers (me.workspace) are shown and sent: the server refuses an address on any other.
import FormField from '@cloudscape-design/components/form-field'
import Input from '@cloudscape-design/components/input'
import Toggle from '@cloudscape-design/components/toggle'
import { channelAddressesSchema } from '@percolate/domain/member'
import { describeIssues } from '@percolate/domain/validation'
import { type FieldErrors, fieldError, toFieldErrors } from '../lib/errors.ts'
import { type ChannelKind, channelKinds, channelLabels } from '../lib/labels.ts'
import type { OwnMember } from './member-updates.ts'

export interface ChannelsDraft {
  email: boolean
  slack: string
  telegram: string
  signal: string
}

export function channelsDraftOf(channels: OwnMember['channels']): ChannelsDraft {
  return {
    email: channels.email.enabled,
    slack: channels.slack?.memberId ?? '',
    telegram: channels.telegram?.chatId ?? '',
    signal: channels.signal?.number ?? '',
  }
}

/** The channels the workspace offers, in the app's usual order. */
export function offeredChannels(enabled: readonly ChannelKind[]): ChannelKind[] {
  return channelKinds.filter((kind) => enabled.includes(kind))
}

/** The draft without the channels the workspace does not offer (as if they were not set up). */
export function offeredDraft(draft: ChannelsDraft, enabled: readonly ChannelKind[]): ChannelsDraft {
  return {
    email: enabled.includes('email') && draft.email,
    slack: enabled.includes('slack') ? draft.slack : '',
    telegram: enabled.includes('telegram') ? draft.telegram : '',
    signal: enabled.includes('signal') ? draft.signal : '',
  }
}

/** Channels the member set up that the workspace no longer offers (an admin turned them off since). */
export function channelsNoLongerOffered(
  channels: OwnMember['channels'],
  enabled: readonly ChannelKind[],
): ChannelKind[] {
  const draft = channelsDraftOf(channels)
  return channelKinds.filter(
    (kind) => !enabled.includes(kind) && (kind === 'email' ? draft.email : draft[kind]),
  )
}

/** The API's shape: a chat channel without an address is not set up. */
export function channelsInputOf(draft: ChannelsDraft): OwnMember['channels'] {
  const slack = draft.slack.trim()
  const telegram = draft.telegram.trim()
  const signal = draft.signal.replace(/[\s()-]/g, '')
  return {
    email: { enabled: draft.email },
    ...(slack ? { slack: { memberId: slack } } : {}),
    ...(telegram ? { telegram: { chatId: telegram } } : {}),
    ...(signal ? { signal: { number: signal } } : {}),
  }
}

export function checkChannels(draft: ChannelsDraft): FieldErrors {
  const parsed = channelAddressesSchema.safeParse(channelsInputOf(draft))
  return toFieldErrors(parsed.success ? [] : describeIssues(parsed.error))
}

const addressFields = {
  slack: {
    label: 'Slack member id',
    description: 'In Slack: your profile → ⋮ → Copy member ID. Such as U024BE7LH.',
    placeholder: 'U024BE7LH',
    path: 'slack.memberId',
  },
  telegram: {
    label: 'Telegram chat id',
    description:
      'Your numeric Telegram chat id (a bot such as @userinfobot tells it). Start a chat with the workspace’s Percolate bot first, so it may write to you.',
    placeholder: '123456789',
    path: 'telegram.chatId',
  },
  signal: {
    label: 'Signal phone number',
    description: 'In international format, such as +491701234567.',
    placeholder: '+491701234567',
    path: 'signal.number',
  },
} as const

export function ChannelField({
  kind,
  value,
  onChange,
  errors,
}: {
  kind: ChannelKind
  value: ChannelsDraft
  onChange: (next: ChannelsDraft) => void
  errors: FieldErrors
}) {
  if (kind === 'email') {
    return (
      <FormField label="Email" errorText={fieldError(errors, 'email.enabled', 'email')}>
        <Toggle
          checked={value.email}
          onChange={({ detail }) => onChange({ ...value, email: detail.checked })}
          description="To the address you sign in with."
        >
          Email me
        </Toggle>
      </FormField>
    )
  }
  const field = addressFields[kind]
  return (
    <FormField
      label={field.label}
      description={field.description}
      errorText={fieldError(errors, field.path, kind)}
      constraintText={`Leave empty to not use ${channelLabels[kind]}.`}
    >
      <Input
        value={value[kind]}
        onChange={({ detail }) => onChange({ ...value, [kind]: detail.value })}
        placeholder={field.placeholder}
      />
    </FormField>
  )
}

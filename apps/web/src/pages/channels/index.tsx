// Notification channels: per channel the workspace offers (me.workspace), its address, whether its last message got
// through (me.notifications), and "send me a test". A test is queued for the dispatcher; the page polls until its
// outcome is known.
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Form from '@cloudscape-design/components/form'
import Header from '@cloudscape-design/components/header'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Spinner from '@cloudscape-design/components/spinner'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import { useState } from 'react'
import {
  ChannelField,
  type ChannelsDraft,
  channelsDraftOf,
  channelsInputOf,
  channelsNoLongerOffered,
  checkChannels,
  offeredChannels,
  offeredDraft,
} from '../../components/channel-fields.tsx'
import { useFlash } from '../../components/flash.tsx'
import { type OwnMember, useMemberUpdates } from '../../components/member-updates.ts'
import { hasFieldErrors, useInlineCheck } from '../../components/use-inline-check.ts'
import { formLevelErrors, messageOf, serverFieldErrors } from '../../lib/errors.ts'
import {
  type ChannelKind,
  channelLabels,
  notificationKindLabels,
  notificationStatus,
} from '../../lib/labels.ts'
import { formatDateTime } from '../../lib/time.ts'
import { type RouterOutputs, trpc } from '../../trpc.ts'

type Notification = RouterOutputs['me']['notifications'][number]

function isSetUp(channels: OwnMember['channels'], kind: ChannelKind): boolean {
  return kind === 'email' ? channels.email.enabled : channels[kind] !== undefined
}

function LastMessage({ latest, timeZone }: { latest: Notification | undefined; timeZone: string }) {
  if (!latest) return <StatusIndicator type="info">No messages on this channel yet</StatusIndicator>
  const status = notificationStatus[latest.status]
  return (
    <SpaceBetween size="xxs">
      <StatusIndicator type={status.type}>
        Last message ({notificationKindLabels[latest.kind]}): {status.label}
      </StatusIndicator>
      {latest.status === 'failed' && latest.reason && <Box color="text-status-error">{latest.reason}</Box>}
      <Box variant="small">{formatDateTime(latest.updatedAt, timeZone)}</Box>
    </SpaceBetween>
  )
}

function ChannelPanel({
  kind,
  member,
  enabled,
  latest,
  onTestQueued,
}: {
  kind: ChannelKind
  member: OwnMember
  /** The channels the workspace offers: the others are not sent (the server would refuse them). */
  enabled: readonly ChannelKind[]
  latest: Notification | undefined
  onTestQueued: () => void
}) {
  const flash = useFlash()
  const updates = useMemberUpdates()
  const [draft, setDraft] = useState<ChannelsDraft>(() => channelsDraftOf(member.channels))
  // What would be sent: this channel as typed, the others as saved (those the workspace still offers).
  const sent = (typed: ChannelsDraft) =>
    offeredDraft({ ...channelsDraftOf(member.channels), [kind]: typed[kind] }, enabled)
  const inline = useInlineCheck(draft, (typed) => checkChannels(sent(typed)))
  const label = channelLabels[kind]
  const save = trpc.me.updateChannels.useMutation({
    onSuccess: (saved) => {
      updates.saved(saved)
      setDraft(channelsDraftOf(saved.channels))
      inline.reset()
      flash.show({
        id: `channel-${kind}`,
        type: 'success',
        content: isSetUp(saved.channels, kind) ? `${label} is set up.` : `${label} is off.`,
      })
    },
    onError: (error) => updates.failed(error, `channel-${kind}`, `save ${label}`),
  })
  const test = trpc.me.sendTestMessage.useMutation({
    onSuccess: () => {
      flash.show({
        id: `test-${kind}`,
        type: 'info',
        content: `A test message to ${label} is on its way. Whether it arrived shows here in a moment.`,
      })
      onTestQueued()
    },
    onError: (error) =>
      flash.show({
        id: `test-${kind}`,
        type: 'error',
        header: `Could not send a test to ${label}`,
        content: messageOf(error),
      }),
  })
  const errors = hasFieldErrors(inline.errors) ? inline.errors : serverFieldErrors(save.error)
  const setUp = isSetUp(member.channels, kind)

  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            <Button
              iconName="send"
              disabled={!setUp}
              disabledReason={`Set up ${label} first`}
              loading={test.isPending}
              onClick={() => test.mutate({ channel: kind })}
              ariaLabel={`Send me a test on ${label}`}
            >
              Send me a test
            </Button>
          }
        >
          {label}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {setUp ? (
          <LastMessage latest={latest} timeZone={member.timeZone} />
        ) : (
          <StatusIndicator type="stopped">Not set up</StatusIndicator>
        )}
        <form
          aria-label={label}
          onSubmit={(event) => {
            event.preventDefault()
            if (inline.tryToSave()) save.mutate({ version: member.version, ...channelsInputOf(sent(draft)) })
          }}
        >
          <Form
            errorText={formLevelErrors(errors, [kind])}
            actions={
              <Button variant="primary" loading={save.isPending} ariaLabel={`Save ${label}`}>
                Save
              </Button>
            }
          >
            <ChannelField kind={kind} value={draft} onChange={setDraft} errors={errors} />
          </Form>
        </form>
      </SpaceBetween>
    </Container>
  )
}

/** A channel the member set up that an admin has turned off since: it is dropped at the next save. */
function NoLongerOffered({ member, enabled }: { member: OwnMember; enabled: readonly ChannelKind[] }) {
  const gone = channelsNoLongerOffered(member.channels, enabled)
  if (gone.length === 0) return null
  const names = gone.map((kind) => channelLabels[kind]).join(', ')
  return (
    <Alert type="info" header={`Your workspace no longer offers ${names}`}>
      Percolate does not use {gone.length === 1 ? 'it' : 'them'} for you any more; saving a channel below
      removes what you had set up there.
    </Alert>
  )
}

export default function ChannelsPage() {
  const me = trpc.me.get.useQuery()
  const workspace = trpc.me.workspace.useQuery()
  const [polling, setPolling] = useState(false)
  const notifications = trpc.me.notifications.useQuery(undefined, {
    // After a test, until every message has an outcome.
    refetchInterval: (query) =>
      polling && (query.state.data ?? []).some((n) => n.status === 'pending' || n.status === 'sending')
        ? 3_000
        : false,
  })
  const utils = trpc.useUtils()
  const latestBy = (kind: ChannelKind) => notifications.data?.find((n) => n.channel === kind)

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Where Percolate tells you about your group. Your workspace decides which channels it offers."
        >
          Notification channels
        </Header>
      }
    >
      {me.isPending || workspace.isPending ? (
        <Spinner size="large" />
      ) : me.isError || workspace.isError ? (
        <Alert type="error" header="Could not load your channels">
          {messageOf(me.error ?? workspace.error)}
        </Alert>
      ) : (
        <SpaceBetween size="l">
          {notifications.isError && (
            <Alert type="warning" header="Could not load your latest messages">
              {messageOf(notifications.error)}
            </Alert>
          )}
          <NoLongerOffered member={me.data} enabled={workspace.data.enabledChannels} />
          {offeredChannels(workspace.data.enabledChannels).map((kind) => (
            <ChannelPanel
              key={kind}
              kind={kind}
              member={me.data}
              enabled={workspace.data.enabledChannels}
              latest={latestBy(kind)}
              onTestQueued={() => {
                setPolling(true)
                void utils.me.notifications.invalidate()
              }}
            />
          ))}
        </SpaceBetween>
      )}
    </ContentLayout>
  )
}

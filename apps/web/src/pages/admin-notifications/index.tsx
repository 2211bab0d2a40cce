// Notifications (admins): messages by status, failed ones first, each with the provider's reason.
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Header from '@cloudscape-design/components/header'
import SegmentedControl from '@cloudscape-design/components/segmented-control'
import SpaceBetween from '@cloudscape-design/components/space-between'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import Table from '@cloudscape-design/components/table'
import { useState } from 'react'
import { LoadError, NotLoaded } from '../../components/load-error.tsx'
import { channelLabels, notificationKindLabels, notificationStatus } from '../../lib/labels.ts'
import { formatDateTime } from '../../lib/time.ts'
import { type RouterInputs, trpc } from '../../trpc.ts'

type Status = NonNullable<RouterInputs['admin']['notifications']['status']>
const statuses: Status[] = ['failed', 'pending', 'sending', 'sent']

export default function AdminNotificationsPage() {
  const me = trpc.me.get.useQuery()
  const timeZone = me.data?.timeZone ?? 'UTC'
  const [status, setStatus] = useState<Status>('failed')
  const notifications = trpc.admin.notifications.useInfiniteQuery(
    { status, limit: 50 },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  )
  const items = notifications.data?.pages.flatMap((page) => page.notifications) ?? []

  return (
    <SpaceBetween size="l">
      {notifications.isError && (
        <LoadError
          header="Could not load the notifications"
          error={notifications.error}
          onRetry={() => void notifications.refetch()}
        />
      )}
      <Table
        items={items}
        variant="full-page"
        loading={notifications.isPending}
        loadingText="Loading notifications"
        trackBy={(n) => `${n.memberId}-${n.scheduledAt}-${n.channel}-${n.kind}`}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={
              notifications.data ? `(${items.length}${notifications.hasNextPage ? '+' : ''})` : undefined
            }
            description="Messages to members about their rounds. A failed one says why; most need the member's address fixed."
          >
            Notifications
          </Header>
        }
        filter={
          <SegmentedControl
            label="Status"
            selectedId={status}
            onChange={({ detail }) => setStatus(detail.selectedId as Status)}
            options={statuses.map((s) => ({ id: s, text: notificationStatus[s].label }))}
          />
        }
        columnDefinitions={[
          {
            id: 'updatedAt',
            header: 'Last attempt',
            cell: (n) => formatDateTime(n.updatedAt, timeZone),
            isRowHeader: true,
          },
          { id: 'member', header: 'Member', cell: (n) => n.memberName },
          { id: 'channel', header: 'Channel', cell: (n) => channelLabels[n.channel] },
          { id: 'kind', header: 'Message', cell: (n) => notificationKindLabels[n.kind] },
          {
            id: 'status',
            header: 'Status',
            cell: (n) => (
              <StatusIndicator type={notificationStatus[n.status].type}>
                {notificationStatus[n.status].label}
              </StatusIndicator>
            ),
          },
          { id: 'attempts', header: 'Attempts', cell: (n) => n.attempts },
          { id: 'reason', header: 'Reason', cell: (n) => n.reason ?? '—' },
        ]}
        wrapLines
        footer={
          notifications.hasNextPage && (
            <Box textAlign="center">
              <Button
                loading={notifications.isFetchingNextPage}
                onClick={() => void notifications.fetchNextPage()}
              >
                Load more
              </Button>
            </Box>
          )
        }
        empty={
          notifications.isError ? (
            <NotLoaded>The notifications did not load</NotLoaded>
          ) : (
            <Box textAlign="center">
              <b>
                {status === 'failed'
                  ? 'No failed notifications'
                  : `No ${notificationStatus[status].label.toLowerCase()} notifications`}
              </b>
              <Box variant="p">
                {status === 'failed' ? 'Every message so far got through or is still on its way.' : ''}
              </Box>
            </Box>
          )
        }
      />
    </SpaceBetween>
  )
}

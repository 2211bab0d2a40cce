// Rounds (admins): past rounds with their figures, and "preview next round": the groups the next round would get if
// it ran now (same matching as the CronJob, fresh seed, nothing saved).
import { useCollection } from '@cloudscape-design/collection-hooks'
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Cards from '@cloudscape-design/components/cards'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Header from '@cloudscape-design/components/header'
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs'
import Pagination from '@cloudscape-design/components/pagination'
import SpaceBetween from '@cloudscape-design/components/space-between'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import Table, { type TableProps } from '@cloudscape-design/components/table'
import { useMemo, useState } from 'react'
import { LoadError, NotLoaded } from '../../components/load-error.tsx'
import { paginationLabels } from '../../lib/aria.ts'
import { messageOf } from '../../lib/errors.ts'
import { formatDateTime } from '../../lib/time.ts'
import { useAllPages } from '../../lib/use-all-pages.ts'
import { type RouterOutputs, trpc } from '../../trpc.ts'

type Round = RouterOutputs['admin']['rounds']['rounds'][number]
type Preview = RouterOutputs['admin']['previewRound']

const roundStatus: Record<Round['status'], { type: 'success' | 'in-progress' | 'stopped'; label: string }> = {
  completed: { type: 'success', label: 'Completed' },
  running: { type: 'in-progress', label: 'Running' },
  skipped: { type: 'stopped', label: 'Skipped' },
}

function columnsFor(timeZone: string): TableProps.ColumnDefinition<Round>[] {
  return [
    {
      id: 'scheduledAt',
      header: 'Round',
      cell: (r) => formatDateTime(r.scheduledAt, timeZone),
      sortingField: 'scheduledAt',
      isRowHeader: true,
    },
    {
      id: 'status',
      header: 'Status',
      cell: (r) => (
        <StatusIndicator type={roundStatus[r.status].type}>
          {roundStatus[r.status].label}
          {r.skippedReason ? `: ${r.skippedReason}` : ''}
        </StatusIndicator>
      ),
    },
    {
      id: 'participants',
      header: 'Participants',
      cell: (r) => r.participantCount,
      sortingField: 'participantCount',
    },
    { id: 'groups', header: 'Groups', cell: (r) => r.groupCount },
    { id: 'newPairs', header: 'New connections', cell: (r) => r.newPairs, sortingField: 'newPairs' },
    { id: 'repeats', header: 'Repeats', cell: (r) => r.repeatedPairs },
    { id: 'optedOut', header: 'Paused or not in', cell: (r) => r.optedOutCount },
    { id: 'leftOut', header: 'Left out', cell: (r) => r.leftOutCount },
  ]
}

function RoundPreview({ preview, timeZone }: { preview: Preview; timeZone: string }) {
  return (
    <SpaceBetween size="l">
      <KeyValuePairs
        columns={4}
        items={[
          { label: 'Round', value: formatDateTime(preview.scheduledAt, timeZone) },
          { label: 'Participants', value: preview.participants },
          { label: 'New connections', value: preview.newConnections },
          { label: 'Repeats', value: preview.repeats },
          { label: 'Paused or not in', value: preview.optedOut },
          { label: 'Groups', value: preview.groups.length },
        ]}
      />
      <Cards
        header={<Header variant="h3">Groups</Header>}
        items={preview.groups.map((group, index) => ({ ...group, index }))}
        trackBy="index"
        cardsPerRow={[{ cards: 1 }, { minWidth: 600, cards: 2 }, { minWidth: 1000, cards: 3 }]}
        cardDefinition={{
          header: (group) => `Group ${group.index + 1}`,
          sections: [
            {
              id: 'members',
              header: 'Members',
              content: (group) => (
                <ul
                  aria-label={`Members of group ${group.index + 1}`}
                  style={{ margin: 0, paddingInlineStart: 18 }}
                >
                  {group.members.map((m) => (
                    <li key={m.id}>
                      {m.name}
                      {m.department ? ` (${m.department})` : ''}
                    </li>
                  ))}
                </ul>
              ),
            },
            { id: 'reason', header: 'Why', content: (group) => group.reason },
            {
              id: 'repeats',
              header: 'Repeated pairs',
              content: (group) =>
                group.repeatedPairs === 0 ? (
                  'None'
                ) : (
                  <StatusIndicator type="warning">{group.repeatedPairs}</StatusIndicator>
                ),
            },
          ],
        }}
        empty={<Box textAlign="center">Not enough people are taking part to form a group.</Box>}
      />
      {preview.leftOut.length > 0 && (
        <Alert type="info" header={`${preview.leftOut.length} would be left out`}>
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {preview.leftOut.map((m) => (
              <li key={m.id}>
                {m.name}: {m.reason}
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </SpaceBetween>
  )
}

export default function AdminRoundsPage() {
  const me = trpc.me.get.useQuery()
  const timeZone = me.data?.timeZone ?? 'UTC'
  const rounds = trpc.admin.rounds.useInfiniteQuery(
    { limit: 50 },
    { getNextPageParam: (p) => p.nextCursor ?? undefined },
  )
  useAllPages(rounds)
  const [previewing, setPreviewing] = useState(false)
  const preview = trpc.admin.previewRound.useQuery(undefined, {
    enabled: previewing,
    staleTime: 0,
    gcTime: 0,
  })
  const columns = useMemo(() => columnsFor(timeZone), [timeZone])
  const all = rounds.data?.pages.flatMap((page) => page.rounds) ?? []
  const { items, collectionProps, paginationProps } = useCollection(all, {
    pagination: { pageSize: 10 },
    sorting: { defaultState: { sortingColumn: columns[0]!, isDescending: true } },
  })

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Every round so far, and a preview of the groups the next one would form."
          actions={
            <Button
              variant="primary"
              loading={preview.isFetching}
              onClick={() => (previewing ? void preview.refetch() : setPreviewing(true))}
            >
              {previewing ? 'Preview again' : 'Preview next round'}
            </Button>
          }
        >
          Rounds
        </Header>
      }
    >
      <SpaceBetween size="l">
        {previewing && (
          <Container
            header={
              <Header variant="h2" description="Nothing is saved; each preview uses a new random seed.">
                Next round preview
              </Header>
            }
          >
            {preview.isError ? (
              <Alert type="error" header="Could not preview the next round">
                {messageOf(preview.error)}
              </Alert>
            ) : preview.data ? (
              <RoundPreview preview={preview.data} timeZone={timeZone} />
            ) : (
              <StatusIndicator type="loading">Matching…</StatusIndicator>
            )}
          </Container>
        )}
        {rounds.isError && (
          <LoadError
            header="Could not load the rounds"
            error={rounds.error}
            onRetry={() => void rounds.refetch()}
          />
        )}
        <Table
          {...collectionProps}
          items={items}
          columnDefinitions={columns}
          trackBy="scheduledAt"
          loading={rounds.isPending}
          loadingText="Loading rounds"
          header={<Header counter={rounds.data ? `(${all.length})` : undefined}>Past rounds</Header>}
          pagination={<Pagination {...paginationProps} ariaLabels={paginationLabels} />}
          empty={
            rounds.isError ? (
              <NotLoaded>The rounds did not load</NotLoaded>
            ) : (
              <Box textAlign="center">
                <b>No rounds yet</b>
                <Box variant="p">The first round runs at the next scheduled time.</Box>
              </Box>
            )
          }
        />
      </SpaceBetween>
    </ContentLayout>
  )
}

// History: every round I was in, with whom, and whether we met. A Table with text filter, sorting, pagination and
// column preferences (useCollection), and feedback per meeting in a Modal.

import { useCollection } from '@cloudscape-design/collection-hooks'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import CollectionPreferences, {
  type CollectionPreferencesProps,
} from '@cloudscape-design/components/collection-preferences'
import Header from '@cloudscape-design/components/header'
import Pagination from '@cloudscape-design/components/pagination'
import Table from '@cloudscape-design/components/table'
import TextFilter from '@cloudscape-design/components/text-filter'
import { type ReactNode, useMemo, useState } from 'react'
import { LoadError, NotLoaded } from '../../components/load-error.tsx'
import { paginationLabels } from '../../lib/aria.ts'
import { useAllPages } from '../../lib/use-all-pages.ts'
import { trpc } from '../../trpc.ts'
import { FeedbackModal } from './feedback-modal.tsx'
import {
  columnDefinitions,
  columnLabels,
  defaultPreferences,
  matchesText,
  type PastMatch,
} from './history-config.tsx'

function EmptyState({ title, subtitle, action }: { title: string; subtitle: string; action?: ReactNode }) {
  return (
    <Box textAlign="center" color="inherit">
      <b>{title}</b>
      <Box variant="p" color="inherit">
        {subtitle}
      </Box>
      {action}
    </Box>
  )
}

/** Every page of my history (a few dozen rounds a year), so filtering and sorting see all of it. */
function useAllHistory() {
  const history = trpc.matches.history.useInfiniteQuery(
    { limit: 50 },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  )
  useAllPages(history)
  return history
}

export default function HistoryPage() {
  const me = trpc.me.get.useQuery()
  const history = useAllHistory()
  const timeZone = me.data?.timeZone ?? 'UTC'
  const [preferences, setPreferences] = useState<CollectionPreferencesProps.Preferences>(defaultPreferences)
  const [feedbackOn, setFeedbackOn] = useState<PastMatch | null>(null)
  // One instance per time zone: the table recognises its sorting column (and comparator) by identity.
  const columns = useMemo(() => columnDefinitions(timeZone, setFeedbackOn), [timeZone])
  const all = history.data?.pages.flatMap((page) => page.matches) ?? []

  const { items, actions, filteredItemsCount, collectionProps, filterProps, paginationProps } = useCollection(
    all,
    {
      filtering: {
        filteringFunction: matchesText,
        empty: (
          <EmptyState title="No rounds yet" subtitle="Your groups show here once the first round has run." />
        ),
        noMatch: (
          <EmptyState
            title="No matches"
            subtitle="No round matches that filter."
            action={<Button onClick={() => actions.setFiltering('')}>Clear filter</Button>}
          />
        ),
      },
      pagination: { pageSize: preferences.pageSize },
      sorting: { defaultState: { sortingColumn: columns[0]!, isDescending: true } },
    },
  )

  return (
    <>
      {history.isError && (
        <Box margin={{ bottom: 'l' }}>
          <LoadError
            header="Could not load your history"
            error={history.error}
            onRetry={() => void history.refetch()}
          />
        </Box>
      )}
      <Table
        {...collectionProps}
        empty={history.isError ? <NotLoaded>Your history did not load</NotLoaded> : collectionProps.empty}
        items={items}
        columnDefinitions={columns}
        columnDisplay={preferences.contentDisplay}
        wrapLines={preferences.wrapLines}
        trackBy="scheduledAt"
        variant="full-page"
        loading={history.isPending}
        loadingText="Loading your history"
        stickyHeader
        resizableColumns
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={history.data ? `(${all.length})` : undefined}
            description="Every group you were in, and whether you met."
          >
            History
          </Header>
        }
        filter={
          <TextFilter
            {...filterProps}
            filteringPlaceholder="Find by name, department or status"
            filteringAriaLabel="Filter rounds"
            countText={`${filteredItemsCount ?? 0} ${filteredItemsCount === 1 ? 'match' : 'matches'}`}
          />
        }
        pagination={<Pagination {...paginationProps} ariaLabels={paginationLabels} />}
        preferences={
          <CollectionPreferences
            title="Preferences"
            confirmLabel="Confirm"
            cancelLabel="Cancel"
            preferences={preferences}
            onConfirm={({ detail }) => setPreferences(detail)}
            pageSizePreference={{
              title: 'Page size',
              options: [
                { value: 10, label: '10 rounds' },
                { value: 20, label: '20 rounds' },
                { value: 50, label: '50 rounds' },
              ],
            }}
            wrapLinesPreference={{ label: 'Wrap lines', description: 'Show whole reasons and names' }}
            contentDisplayPreference={{
              title: 'Columns',
              options: Object.entries(columnLabels).map(([id, label]) => ({
                id,
                label,
                alwaysVisible: id === 'scheduledAt',
              })),
            }}
          />
        }
      />
      {feedbackOn && (
        <FeedbackModal match={feedbackOn} timeZone={timeZone} onClose={() => setFeedbackOn(null)} />
      )}
    </>
  )
}

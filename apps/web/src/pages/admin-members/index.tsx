// Members (admins): everyone in the workspace in a Table (filter, sort, pages, columns), with actions on the
// selected member: pause or resume, make admin or member, remove (confirmed in a Modal).
import { useCollection } from '@cloudscape-design/collection-hooks'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import CollectionPreferences, {
  type CollectionPreferencesProps,
} from '@cloudscape-design/components/collection-preferences'
import Header from '@cloudscape-design/components/header'
import Modal from '@cloudscape-design/components/modal'
import Pagination from '@cloudscape-design/components/pagination'
import SpaceBetween from '@cloudscape-design/components/space-between'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import Table, { type TableProps } from '@cloudscape-design/components/table'
import TextFilter from '@cloudscape-design/components/text-filter'
import { useState } from 'react'
import { DialogFooter } from '../../components/dialog-footer.tsx'
import { useFlash } from '../../components/flash.tsx'
import { LoadError, NotLoaded } from '../../components/load-error.tsx'
import { useSession } from '../../components/session-gate.tsx'
import { modalCloseLabel, paginationLabels } from '../../lib/aria.ts'
import { messageOf } from '../../lib/errors.ts'
import { formatCalendarDate, formatDate } from '../../lib/time.ts'
import { useAllPages } from '../../lib/use-all-pages.ts'
import { type RouterOutputs, trpc } from '../../trpc.ts'

type Member = RouterOutputs['admin']['members']['members'][number]

function participationOf(member: Member) {
  const p = member.participation
  if (p.status === 'active') return <StatusIndicator type="success">Active</StatusIndicator>
  if (p.status === 'left') return <StatusIndicator type="stopped">Left</StatusIndicator>
  return (
    <StatusIndicator type="pending">
      {p.until ? `Paused until ${formatCalendarDate(p.until)}` : 'Paused'}
    </StatusIndicator>
  )
}

const columns: TableProps.ColumnDefinition<Member>[] = [
  { id: 'name', header: 'Name', cell: (m) => m.name, sortingField: 'name', isRowHeader: true },
  { id: 'email', header: 'Email', cell: (m) => m.email, sortingField: 'email' },
  { id: 'department', header: 'Department', cell: (m) => m.department || '—', sortingField: 'department' },
  { id: 'location', header: 'Location', cell: (m) => m.location || '—', sortingField: 'location' },
  {
    id: 'role',
    header: 'Role',
    cell: (m) => (m.role === 'admin' ? 'Admin' : 'Member'),
    sortingField: 'role',
  },
  {
    id: 'participation',
    header: 'Taking part',
    cell: participationOf,
    sortingComparator: (a, b) => a.participation.status.localeCompare(b.participation.status),
  },
  { id: 'joined', header: 'Joined', cell: (m) => formatDate(m.createdAt, 'UTC'), sortingField: 'createdAt' },
]

const defaultPreferences: CollectionPreferencesProps.Preferences = {
  pageSize: 20,
  contentDisplay: columns.map((c) => ({ id: c.id!, visible: c.id !== 'location' })),
}

export default function AdminMembersPage() {
  const { me } = useSession()
  const flash = useFlash()
  const utils = trpc.useUtils()
  const members = trpc.admin.members.useInfiniteQuery(
    { limit: 100 },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  )
  useAllPages(members)
  const [preferences, setPreferences] = useState(defaultPreferences)
  const [removing, setRemoving] = useState<Member | null>(null)
  const all = members.data?.pages.flatMap((page) => page.members) ?? []

  const { items, actions, filteredItemsCount, collectionProps, filterProps, paginationProps } = useCollection(
    all,
    {
      filtering: {
        fields: ['name', 'email', 'department', 'location'],
        empty: <Box textAlign="center">No members yet.</Box>,
        noMatch: (
          <Box textAlign="center">
            <b>No matches</b>
            <Box variant="p">No member matches that filter.</Box>
            <Button onClick={() => actions.setFiltering('')}>Clear filter</Button>
          </Box>
        ),
      },
      pagination: { pageSize: preferences.pageSize },
      sorting: { defaultState: { sortingColumn: columns[0]! } },
      selection: { trackBy: 'id' },
    },
  )
  const selected = collectionProps.selectedItems?.[0]

  const done = (id: string, content: string) => {
    flash.show({ id, type: 'success', content })
    void utils.admin.members.invalidate()
  }
  const failed = (id: string, header: string) => (error: unknown) =>
    flash.show({ id, type: 'error', header, content: messageOf(error) })
  const setParticipation = trpc.admin.setParticipation.useMutation({
    onSuccess: (m) =>
      done(
        'member-participation',
        `${m.name} is ${m.participation.status === 'active' ? 'back in the rounds' : 'paused'}.`,
      ),
    onError: failed('member-participation', 'Could not change that'),
  })
  const setRole = trpc.admin.setRole.useMutation({
    onSuccess: (m) =>
      done('member-role', `${m.name} is now ${m.role === 'admin' ? 'an admin' : 'a member'}.`),
    onError: failed('member-role', 'Could not change the role'),
  })
  const remove = trpc.admin.remove.useMutation({
    onSuccess: () => {
      done('member-remove', `${removing?.name} was removed and signed out everywhere.`)
      actions.setSelectedItems([])
      setRemoving(null)
    },
    onError: (error) => {
      failed('member-remove', 'Could not remove the member')(error)
      setRemoving(null)
    },
  })
  const busy = setParticipation.isPending || setRole.isPending

  return (
    <>
      {members.isError && (
        <Box margin={{ bottom: 'l' }}>
          <LoadError
            header="Could not load the members"
            error={members.error}
            onRetry={() => void members.refetch()}
          />
        </Box>
      )}
      <Table
        {...collectionProps}
        empty={members.isError ? <NotLoaded>The members did not load</NotLoaded> : collectionProps.empty}
        items={items}
        columnDefinitions={columns}
        columnDisplay={preferences.contentDisplay}
        selectionType="single"
        ariaLabels={{
          selectionGroupLabel: 'Members',
          itemSelectionLabel: (_, m) => `Select ${m.name}`,
        }}
        trackBy="id"
        variant="full-page"
        stickyHeader
        loading={members.isPending}
        loadingText="Loading members"
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={members.data ? `(${all.length})` : undefined}
            description="Select a member to pause them, change their role, or remove them."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  disabled={!selected || selected.participation.status === 'left' || busy}
                  onClick={() =>
                    selected &&
                    setParticipation.mutate({
                      memberId: selected.id,
                      participation: {
                        status: selected.participation.status === 'active' ? 'paused' : 'active',
                      },
                    })
                  }
                >
                  {selected && selected.participation.status !== 'active' ? 'Resume' : 'Pause'}
                </Button>
                <Button
                  disabled={!selected || busy}
                  onClick={() =>
                    selected &&
                    setRole.mutate({
                      memberId: selected.id,
                      role: selected.role === 'admin' ? 'member' : 'admin',
                    })
                  }
                >
                  {selected?.role === 'admin' ? 'Make member' : 'Make admin'}
                </Button>
                <Button
                  disabled={!selected || selected.id === me.id}
                  disabledReason={
                    selected?.id === me.id ? 'Delete your own account under Profile instead' : undefined
                  }
                  onClick={() => selected && setRemoving(selected)}
                >
                  Remove
                </Button>
              </SpaceBetween>
            }
          >
            Members
          </Header>
        }
        filter={
          <TextFilter
            {...filterProps}
            filteringPlaceholder="Find by name, email, department or location"
            filteringAriaLabel="Filter members"
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
                { value: 20, label: '20 members' },
                { value: 50, label: '50 members' },
                { value: 100, label: '100 members' },
              ],
            }}
            contentDisplayPreference={{
              title: 'Columns',
              options: columns.map((c) => ({
                id: c.id!,
                label: String(c.header),
                alwaysVisible: c.id === 'name',
              })),
            }}
          />
        }
      />
      {removing && (
        <Modal
          visible
          closeAriaLabel={modalCloseLabel}
          onDismiss={() => setRemoving(null)}
          header={`Remove ${removing.name}?`}
          footer={
            <DialogFooter onCancel={() => setRemoving(null)}>
              <Button
                variant="primary"
                loading={remove.isPending}
                onClick={() => remove.mutate({ memberId: removing.id })}
              >
                Remove
              </Button>
            </DialogFooter>
          }
        >
          {removing.name} ({removing.email}) leaves the workspace: their profile, their match records (with
          what they reported) and their notifications go, and every session and API token of theirs ends at
          once. Past rounds keep their counts; others see them as a former member. They can join again by
          signing in.
        </Modal>
      )}
    </>
  )
}

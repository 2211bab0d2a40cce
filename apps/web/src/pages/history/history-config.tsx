// The history table's columns and default preferences (the Cloudscape demos' *-config.tsx).
import Button from '@cloudscape-design/components/button'
import type { CollectionPreferencesProps } from '@cloudscape-design/components/collection-preferences'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import type { TableProps } from '@cloudscape-design/components/table'
import { matchStatus } from '../../lib/labels.ts'
import { formatDateTime } from '../../lib/time.ts'
import type { RouterOutputs } from '../../trpc.ts'

export type PastMatch = RouterOutputs['matches']['history']['matches'][number]

export function columnDefinitions(
  timeZone: string,
  onFeedback: (match: PastMatch) => void,
): TableProps.ColumnDefinition<PastMatch>[] {
  return [
    {
      id: 'scheduledAt',
      header: 'Round',
      cell: (m) => formatDateTime(m.scheduledAt, timeZone),
      sortingField: 'scheduledAt',
      isRowHeader: true,
    },
    { id: 'people', header: 'People', cell: (m) => m.people.map((p) => p.name).join(', ') || '—' },
    {
      id: 'departments',
      header: 'Departments',
      cell: (m) => [...new Set(m.people.map((p) => p.department).filter(Boolean))].join(', ') || '—',
    },
    { id: 'reason', header: 'Why you were grouped', cell: (m) => m.reason },
    {
      id: 'status',
      header: 'Did you meet?',
      cell: (m) => (
        <StatusIndicator type={matchStatus[m.status].type}>{matchStatus[m.status].label}</StatusIndicator>
      ),
      sortingField: 'status',
    },
    {
      id: 'rating',
      header: 'Rating',
      cell: (m) => (m.rating ? `${'★'.repeat(m.rating)}${'☆'.repeat(5 - m.rating)}` : '—'),
      sortingComparator: (a, b) => (a.rating ?? 0) - (b.rating ?? 0),
    },
    {
      id: 'actions',
      header: 'Feedback',
      cell: (m) => (
        <Button
          variant="inline-link"
          onClick={() => onFeedback(m)}
          ariaLabel={`Give feedback on the round of ${formatDateTime(m.scheduledAt, timeZone)}`}
        >
          Give feedback
        </Button>
      ),
    },
  ]
}

export const defaultPreferences: CollectionPreferencesProps.Preferences = {
  pageSize: 10,
  wrapLines: true,
  contentDisplay: [
    { id: 'scheduledAt', visible: true },
    { id: 'people', visible: true },
    { id: 'departments', visible: false },
    { id: 'reason', visible: true },
    { id: 'status', visible: true },
    { id: 'rating', visible: true },
    { id: 'actions', visible: true },
  ],
}

export const columnLabels: Record<string, string> = {
  scheduledAt: 'Round',
  people: 'People',
  departments: 'Departments',
  reason: 'Why you were grouped',
  status: 'Did you meet?',
  rating: 'Rating',
  actions: 'Feedback',
}

/** What the text filter searches: names, departments, the reason and the status. */
export function matchesText(match: PastMatch, text: string): boolean {
  const haystack = [
    ...match.people.map((p) => `${p.name} ${p.department}`),
    match.reason,
    matchStatus[match.status].label,
  ]
    .join(' ')
    .toLowerCase()
  return haystack.includes(text.trim().toLowerCase())
}

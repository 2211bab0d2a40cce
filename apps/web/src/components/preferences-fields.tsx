// How a member wants to be grouped: other departments, location, shared working hours, and the people they would
// rather not meet (picked from the workspace directory; never shown to those people).
import Autosuggest from '@cloudscape-design/components/autosuggest'
import Checkbox from '@cloudscape-design/components/checkbox'
import FormField from '@cloudscape-design/components/form-field'
import RadioGroup from '@cloudscape-design/components/radio-group'
import Select from '@cloudscape-design/components/select'
import SpaceBetween from '@cloudscape-design/components/space-between'
import TokenGroup from '@cloudscape-design/components/token-group'
import { useState } from 'react'
import { type FieldErrors, fieldError, messageOf } from '../lib/errors.ts'
import { useAllPages } from '../lib/use-all-pages.ts'
import { trpc } from '../trpc.ts'
import type { OwnMember } from './member-updates.ts'

export type PreferencesDraft = OwnMember['preferences']

const overlapOptions = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((hours) => ({
  value: String(hours),
  label: hours === 0 ? 'No preference' : `At least ${hours} hour${hours === 1 ? '' : 's'}`,
}))

/** Everyone in the directory: every page, so a name typed into the search is found wherever it sits. */
function useDirectory() {
  const directory = trpc.me.directory.useInfiniteQuery(
    { limit: 100 },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  )
  useAllPages(directory)
  return {
    people: directory.data?.pages.flatMap((page) => page.people) ?? [],
    loading: directory.isPending || directory.hasNextPage,
    error: directory.error,
  }
}

/** The fields PreferencesFields shows. */
export const preferenceFieldNames = [
  'preferOtherDepartments',
  'location',
  'minOverlapHours',
  'avoidMemberIds',
]

export function PreferencesFields({
  value,
  onChange,
  errors,
}: {
  value: PreferencesDraft
  onChange: (next: PreferencesDraft) => void
  errors: FieldErrors
}) {
  const directory = useDirectory()
  const [query, setQuery] = useState('')
  const set = (patch: Partial<PreferencesDraft>) => onChange({ ...value, ...patch })
  const byId = new Map(directory.people.map((person) => [person.id, person]))
  const avoided = new Set(value.avoidMemberIds)
  const avoidError =
    fieldError(errors, 'avoidMemberIds') ??
    Object.entries(errors.fields).find(([path]) => path.startsWith('avoidMemberIds'))?.[1]

  return (
    <SpaceBetween size="l">
      <FormField label="Departments" errorText={fieldError(errors, 'preferOtherDepartments')}>
        <Checkbox
          checked={value.preferOtherDepartments}
          onChange={({ detail }) => set({ preferOtherDepartments: detail.checked })}
          description="Percolate is at its best across teams."
        >
          Prefer people from other departments
        </Checkbox>
      </FormField>
      <FormField label="Location" errorText={fieldError(errors, 'location')}>
        <RadioGroup
          value={value.location}
          onChange={({ detail }) => set({ location: detail.value as PreferencesDraft['location'] })}
          items={[
            { value: 'remote-ok', label: 'Anywhere', description: 'Happy to meet by video call.' },
            { value: 'same', label: 'My location', description: 'Prefer people I can meet in person.' },
          ]}
        />
      </FormField>
      <FormField
        label="Shared working hours"
        description="With everyone in my group, so a meeting fits inside all our days."
        errorText={fieldError(errors, 'minOverlapHours')}
      >
        <Select
          selectedOption={
            overlapOptions.find((o) => o.value === String(value.minOverlapHours)) ?? {
              value: String(value.minOverlapHours),
              label: `At least ${value.minOverlapHours} hours`,
            }
          }
          onChange={({ detail }) => set({ minOverlapHours: Number(detail.selectedOption.value) })}
          options={overlapOptions}
        />
      </FormField>
      <FormField
        label="People I'd rather not meet"
        description="Never grouped with you. They are not told."
        errorText={avoidError ?? (directory.error ? messageOf(directory.error) : undefined)}
      >
        <SpaceBetween size="xs">
          <Autosuggest
            value={query}
            onChange={({ detail }) => setQuery(detail.value)}
            onSelect={({ detail }) => {
              if (byId.has(detail.value) && !avoided.has(detail.value)) {
                set({ avoidMemberIds: [...value.avoidMemberIds, detail.value] })
              }
              setQuery('')
            }}
            options={directory.people
              .filter((person) => !avoided.has(person.id))
              .map((person) => ({ value: person.id, label: person.name, description: person.department }))}
            filteringType="auto"
            statusType={directory.loading ? 'loading' : directory.error ? 'error' : 'finished'}
            loadingText="Loading your colleagues"
            errorText="Could not load your colleagues"
            empty="No one by that name"
            placeholder="Start typing a name"
            ariaLabel="Find a person you would rather not meet"
            enteredTextLabel={(text) => `Find “${text}”`}
            hideEnteredTextOption
          />
          <TokenGroup
            items={value.avoidMemberIds.map((id) => {
              const person = byId.get(id)
              const name = person?.name ?? (directory.loading ? 'Loading…' : 'Former member')
              return { label: name, description: person?.department, dismissLabel: `Remove ${name}` }
            })}
            onDismiss={({ detail }) =>
              set({ avoidMemberIds: value.avoidMemberIds.filter((_, i) => i !== detail.itemIndex) })
            }
          />
        </SpaceBetween>
      </FormField>
    </SpaceBetween>
  )
}

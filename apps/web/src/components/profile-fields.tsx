// The profile a member shows their colleagues: used by the onboarding wizard and the profile page. Checked with the
// shared schema before it is sent, so most mistakes show at once, worded as the server would word them.
import FormField from '@cloudscape-design/components/form-field'
import Input from '@cloudscape-design/components/input'
import Select from '@cloudscape-design/components/select'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Textarea from '@cloudscape-design/components/textarea'
import TimeInput from '@cloudscape-design/components/time-input'
import { profileSchema } from '@percolate/domain/member'
import { describeIssues } from '@percolate/domain/validation'
import { useMemo } from 'react'
import { type FieldErrors, fieldError, toFieldErrors } from '../lib/errors.ts'
import { timeZoneOptions } from '../lib/time.ts'
import type { OwnMember } from './member-updates.ts'

export interface ProfileDraft {
  name: string
  department: string
  location: string
  timeZone: string
  start: string
  end: string
  bio: string
  /** Comma-separated, as typed. */
  interests: string
}

export function profileDraftOf(member: OwnMember): ProfileDraft {
  return {
    name: member.name,
    department: member.department,
    location: member.location,
    timeZone: member.timeZone,
    start: member.workingHours.start,
    end: member.workingHours.end,
    bio: member.bio,
    interests: member.interests.join(', '),
  }
}

export function profileInputOf(draft: ProfileDraft) {
  return {
    name: draft.name,
    department: draft.department,
    location: draft.location,
    timeZone: draft.timeZone,
    workingHours: { start: draft.start, end: draft.end },
    bio: draft.bio,
    interests: draft.interests
      .split(',')
      .map((interest) => interest.trim())
      .filter(Boolean),
  }
}

/** What the shared schema says about a draft; no fields when it is fine. */
/** The fields ProfileFields shows. */
export const profileFieldNames = [
  'name',
  'department',
  'location',
  'timeZone',
  'workingHours',
  'bio',
  'interests',
]

export function checkProfile(draft: ProfileDraft): FieldErrors {
  const parsed = profileSchema.safeParse(profileInputOf(draft))
  return toFieldErrors(parsed.success ? [] : describeIssues(parsed.error))
}

export function ProfileFields({
  value,
  onChange,
  errors,
}: {
  value: ProfileDraft
  onChange: (next: ProfileDraft) => void
  errors: FieldErrors
}) {
  const zones = useMemo(timeZoneOptions, [])
  const set = (patch: Partial<ProfileDraft>) => onChange({ ...value, ...patch })
  const interestsError = Object.entries(errors.fields).find(([path]) => path.startsWith('interests'))?.[1]
  return (
    <SpaceBetween size="l">
      <FormField label="Name" errorText={fieldError(errors, 'name')}>
        <Input value={value.name} onChange={({ detail }) => set({ name: detail.value })} />
      </FormField>
      <FormField label="Department" errorText={fieldError(errors, 'department')}>
        <Input
          value={value.department}
          onChange={({ detail }) => set({ department: detail.value })}
          placeholder="Engineering"
        />
      </FormField>
      <FormField
        label="Location"
        description="Your office or city."
        errorText={fieldError(errors, 'location')}
      >
        <Input
          value={value.location}
          onChange={({ detail }) => set({ location: detail.value })}
          placeholder="Berlin"
        />
      </FormField>
      <FormField
        label="Time zone"
        description="Meeting times are suggested and shown in this zone."
        errorText={fieldError(errors, 'timeZone')}
      >
        <Select
          selectedOption={{ value: value.timeZone, label: value.timeZone }}
          onChange={({ detail }) => set({ timeZone: detail.selectedOption.value ?? value.timeZone })}
          options={zones}
          filteringType="auto"
          filteringPlaceholder="Find a time zone"
          virtualScroll
        />
      </FormField>
      <FormField
        label="Working hours"
        description="When you can meet, in your time zone (24-hour clock)."
        errorText={fieldError(errors, 'workingHours.start', 'workingHours.end', 'workingHours')}
      >
        <SpaceBetween direction="horizontal" size="xs" alignItems="center">
          <TimeInput
            value={value.start}
            onChange={({ detail }) => set({ start: detail.value })}
            format="hh:mm"
            placeholder="09:00"
            ariaLabel="Working hours start"
          />
          <span>to</span>
          <TimeInput
            value={value.end}
            onChange={({ detail }) => set({ end: detail.value })}
            format="hh:mm"
            placeholder="17:00"
            ariaLabel="Working hours end"
          />
        </SpaceBetween>
      </FormField>
      <FormField
        label="About you"
        description="A line or two your group sees: what you work on, what you like to talk about."
        errorText={fieldError(errors, 'bio')}
      >
        <Textarea value={value.bio} onChange={({ detail }) => set({ bio: detail.value })} rows={3} />
      </FormField>
      <FormField
        label="Interests"
        description="Separated by commas, such as “climbing, jazz”."
        errorText={interestsError}
      >
        <Input value={value.interests} onChange={({ detail }) => set({ interests: detail.value })} />
      </FormField>
    </SpaceBetween>
  )
}

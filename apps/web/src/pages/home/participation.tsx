// "Taking part": a Toggle to pause or resume, and a "pause until" date after which rounds include me again.
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Container from '@cloudscape-design/components/container'
import DatePicker from '@cloudscape-design/components/date-picker'
import FormField from '@cloudscape-design/components/form-field'
import Header from '@cloudscape-design/components/header'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Toggle from '@cloudscape-design/components/toggle'
import { useState } from 'react'
import { useFlash } from '../../components/flash.tsx'
import { type OwnMember, useMemberUpdates } from '../../components/member-updates.ts'
import { datePickerStrings } from '../../lib/aria.ts'
import { formLevelErrors, serverFieldErrors } from '../../lib/errors.ts'
import type { ParticipationMode } from '../../lib/labels.ts'
import { calendarDateOf, formatCalendarDate, todayIn } from '../../lib/time.ts'
import { trpc } from '../../trpc.ts'

function describe(participation: OwnMember['participation'], mode: ParticipationMode | undefined): string {
  if (participation.status === 'active') {
    return mode === 'opt-in'
      ? 'You can join rounds: say you are in for each one under Next round.'
      : 'You are in the next rounds.'
  }
  if (participation.status === 'left') return 'You left the rounds. Turn this on to take part again.'
  return participation.until
    ? `Paused: you are back in the rounds from ${formatCalendarDate(participation.until)}.`
    : 'Paused until you turn this back on.'
}

export function ParticipationPanel({
  member,
  mode,
}: {
  member: OwnMember
  /** How the workspace groups people (undefined while it loads). */
  mode: ParticipationMode | undefined
}) {
  const flash = useFlash()
  const updates = useMemberUpdates()
  const [until, setUntil] = useState(
    member.participation.status === 'paused' ? (member.participation.until ?? '') : '',
  )
  const today = todayIn(member.timeZone)
  const setParticipation = trpc.me.setParticipation.useMutation({
    onSuccess: (saved) => {
      updates.saved(saved)
      const p = saved.participation
      flash.show({
        id: 'participation',
        type: 'success',
        content:
          p.status === 'active'
            ? 'You are back in the rounds.'
            : p.status === 'paused' && p.until
              ? `Paused until ${formatCalendarDate(p.until)}.`
              : 'Paused until you resume.',
      })
    },
    onError: (error) => updates.failed(error, 'participation', 'change your participation'),
  })
  const errors = serverFieldErrors(setParticipation.error, 'participation.')
  const untilError = errors.fields.until ?? formLevelErrors(errors, ['until'])
  const active = member.participation.status === 'active'
  const pause = (date: string) =>
    setParticipation.mutate({
      version: member.version,
      participation: date ? { status: 'paused', until: date } : { status: 'paused' },
    })

  return (
    <Container header={<Header variant="h2">Taking part</Header>} fitHeight>
      <SpaceBetween size="m">
        <Toggle
          checked={active}
          disabled={setParticipation.isPending}
          onChange={({ detail }) =>
            detail.checked
              ? setParticipation.mutate({ version: member.version, participation: { status: 'active' } })
              : pause('')
          }
          description={describe(member.participation, mode)}
        >
          Take part in rounds
        </Toggle>
        <FormField
          label="Pause until"
          description="Skip rounds until this date; you take part again from that day on."
          errorText={untilError}
        >
          <SpaceBetween direction="horizontal" size="xs">
            <DatePicker
              value={until}
              onChange={({ detail }) => setUntil(detail.value)}
              isDateEnabled={(date) => calendarDateOf(date) > today}
              placeholder="YYYY/MM/DD"
              i18nStrings={datePickerStrings}
              ariaLabel="Pause until"
            />
            <Button onClick={() => pause(until)} disabled={!until} loading={setParticipation.isPending}>
              Pause until this date
            </Button>
          </SpaceBetween>
        </FormField>
        {member.participation.status === 'paused' && (
          <Box variant="small">
            While paused you are left out of new rounds and get no reminders. A group made before you paused
            still stands, so its messages still reach you.
          </Box>
        )}
      </SpaceBetween>
    </Container>
  )
}

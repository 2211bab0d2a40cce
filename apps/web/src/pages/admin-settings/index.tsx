// Workspace settings (admins): schedule (weekday + time, or cron) with the next five rounds previewed live, time
// zone, meeting size and policies, domains and channels. Saves name the version they were made on: when another
// admin saved first, the page says so and offers their version.
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Checkbox from '@cloudscape-design/components/checkbox'
import ColumnLayout from '@cloudscape-design/components/column-layout'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Form from '@cloudscape-design/components/form'
import FormField from '@cloudscape-design/components/form-field'
import Header from '@cloudscape-design/components/header'
import Input from '@cloudscape-design/components/input'
import RadioGroup from '@cloudscape-design/components/radio-group'
import SegmentedControl from '@cloudscape-design/components/segmented-control'
import Select from '@cloudscape-design/components/select'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Spinner from '@cloudscape-design/components/spinner'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import Textarea from '@cloudscape-design/components/textarea'
import TimeInput from '@cloudscape-design/components/time-input'
import { weekdays } from '@percolate/domain/schedule'
import { type FormEvent, useEffect, useMemo, useState } from 'react'
import { useFlash } from '../../components/flash.tsx'
import { hasFieldErrors, useInlineCheck } from '../../components/use-inline-check.ts'
import { errorCode, fieldError, formLevelErrors, messageOf, serverFieldErrors } from '../../lib/errors.ts'
import { channelKinds, channelLabels } from '../../lib/labels.ts'
import { timeZoneOptions } from '../../lib/time.ts'
import { type RouterOutputs, trpc } from '../../trpc.ts'
import {
  checkSettings,
  draftOf,
  isSchedulePreviewable,
  type SettingsDraft,
  scheduleOf,
  settingsOf,
} from './settings-draft.ts'

type Config = RouterOutputs['config']['get']
const settingsFieldNames = [
  'name',
  'timeZone',
  'schedule',
  'meetingSize',
  'remainderPolicy',
  'participationMode',
  'repeatDecayWeeks',
  'allowedEmailDomains',
  'enabledChannels',
]
const capitalized = (word: string) => word[0]!.toUpperCase() + word.slice(1)

/** `value`, once it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

function SchedulePreview({ draft, saved }: { draft: SettingsDraft; saved: Config['nextRounds'] }) {
  const input = useSettled(
    useMemo(() => ({ schedule: scheduleOf(draft), timeZone: draft.timeZone }), [draft]),
  )
  const previewable = isSchedulePreviewable(draft)
  const preview = trpc.config.previewSchedule.useQuery(input, {
    enabled: previewable,
    placeholderData: saved,
  })
  return (
    <FormField label="Next five rounds" description={`In the workspace's time zone, ${draft.timeZone}.`}>
      {!previewable ? (
        <StatusIndicator type="warning">Complete the schedule to see its rounds</StatusIndicator>
      ) : preview.isError ? (
        <StatusIndicator type="error">{messageOf(preview.error)}</StatusIndicator>
      ) : (
        <ol aria-label="Next five rounds" style={{ margin: 0, paddingInlineStart: 20 }}>
          {(preview.data ?? []).map((round) => (
            <li key={round.at}>{round.local}</li>
          ))}
        </ol>
      )}
    </FormField>
  )
}

function SettingsForm({ config }: { config: Config }) {
  const flash = useFlash()
  const utils = trpc.useUtils()
  const zones = useMemo(timeZoneOptions, [])
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(config.deployment))
  const [version, setVersion] = useState(config.deployment.version)
  const inline = useInlineCheck(draft, checkSettings)
  const set = (patch: Partial<SettingsDraft>) => setDraft((current) => ({ ...current, ...patch }))
  const save = trpc.config.update.useMutation({
    onSuccess: (saved) => {
      utils.config.get.setData(undefined, saved)
      setVersion(saved.deployment.version)
      setDraft(draftOf(saved.deployment))
      inline.reset()
      void utils.matches.nextRound.invalidate()
      flash.show({
        id: 'settings',
        type: 'success',
        content: `Settings saved. Next round: ${saved.nextRounds[0]?.local ?? 'none scheduled'}.`,
      })
    },
    onError: (error) => {
      if (errorCode(error) === 'BAD_REQUEST') return
      flash.show({
        id: 'settings',
        type: 'error',
        header:
          errorCode(error) === 'CONFLICT'
            ? 'Another admin saved the settings first'
            : 'Could not save the settings',
        content: messageOf(error),
      })
    },
  })
  const conflict = errorCode(save.error) === 'CONFLICT'
  const errors = hasFieldErrors(inline.errors) ? inline.errors : serverFieldErrors(save.error, 'settings.')
  const err = (...paths: string[]) => fieldError(errors, ...paths)

  const loadTheirs = async () => {
    const fresh = await utils.config.get.fetch(undefined, { staleTime: 0 })
    setDraft(draftOf(fresh.deployment))
    setVersion(fresh.deployment.version)
    save.reset()
    inline.reset()
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (inline.tryToSave()) save.mutate({ version, settings: settingsOf(draft) })
  }

  return (
    <form onSubmit={submit} aria-label="Workspace settings">
      <Form
        errorText={formLevelErrors(errors, settingsFieldNames)}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button
              formAction="none"
              variant="link"
              onClick={() => {
                setDraft(draftOf(config.deployment))
                inline.reset()
              }}
            >
              Undo changes
            </Button>
            <Button variant="primary" loading={save.isPending}>
              Save settings
            </Button>
          </SpaceBetween>
        }
      >
        <SpaceBetween size="l">
          {conflict && (
            <Alert
              type="error"
              header="Another admin saved the settings while you were editing"
              action={<Button onClick={() => void loadTheirs()}>Load their version</Button>}
            >
              Your changes were not saved, so nothing of theirs was overwritten. Load their version, make your
              changes again, and save. (You edited version {version}.)
            </Alert>
          )}
          <Container header={<Header variant="h2">Schedule</Header>}>
            <ColumnLayout columns={2}>
              <SpaceBetween size="l">
                <FormField label="Workspace name" errorText={err('name')}>
                  <Input value={draft.name} onChange={({ detail }) => set({ name: detail.value })} />
                </FormField>
                <FormField
                  label="Time zone"
                  description="Rounds are scheduled in this zone."
                  errorText={err('timeZone')}
                >
                  <Select
                    selectedOption={{ value: draft.timeZone, label: draft.timeZone }}
                    onChange={({ detail }) =>
                      set({ timeZone: detail.selectedOption.value ?? draft.timeZone })
                    }
                    options={zones}
                    filteringType="auto"
                    filteringPlaceholder="Find a time zone"
                    virtualScroll
                  />
                </FormField>
                <FormField label="Rounds happen" errorText={err('schedule')}>
                  <SegmentedControl
                    label="Schedule kind"
                    selectedId={draft.scheduleKind}
                    onChange={({ detail }) =>
                      set({ scheduleKind: detail.selectedId as SettingsDraft['scheduleKind'] })
                    }
                    options={[
                      { id: 'weekly', text: 'Every week' },
                      { id: 'cron', text: 'Cron expression' },
                    ]}
                  />
                </FormField>
                {draft.scheduleKind === 'weekly' ? (
                  <SpaceBetween direction="horizontal" size="s">
                    <FormField label="Weekday" errorText={err('schedule.weekday')}>
                      <Select
                        selectedOption={{ value: draft.weekday, label: capitalized(draft.weekday) }}
                        onChange={({ detail }) =>
                          set({
                            weekday: (detail.selectedOption.value ??
                              draft.weekday) as SettingsDraft['weekday'],
                          })
                        }
                        options={weekdays.map((day) => ({ value: day, label: capitalized(day) }))}
                      />
                    </FormField>
                    <FormField label="Time" errorText={err('schedule.time')}>
                      <TimeInput
                        value={draft.time}
                        onChange={({ detail }) => set({ time: detail.value })}
                        format="hh:mm"
                        placeholder="09:00"
                      />
                    </FormField>
                  </SpaceBetween>
                ) : (
                  <FormField
                    label="Cron expression"
                    description="Five fields: minute hour day-of-month month day-of-week. “0 9 * * 1” is Mondays at 09:00."
                    errorText={err('schedule.expression')}
                  >
                    <Input
                      value={draft.expression}
                      onChange={({ detail }) => set({ expression: detail.value })}
                      placeholder="0 9 * * 1"
                    />
                  </FormField>
                )}
              </SpaceBetween>
              <SchedulePreview draft={draft} saved={config.nextRounds} />
            </ColumnLayout>
          </Container>
          <Container header={<Header variant="h2">Groups</Header>}>
            <SpaceBetween size="l">
              <FormField
                label="Meeting size"
                description="People per group, 2 to 6."
                errorText={err('meetingSize')}
              >
                <Input
                  type="number"
                  inputMode="numeric"
                  value={draft.meetingSize}
                  onChange={({ detail }) => set({ meetingSize: detail.value })}
                />
              </FormField>
              <FormField label="When the numbers do not divide evenly" errorText={err('remainderPolicy')}>
                <RadioGroup
                  value={draft.remainderPolicy}
                  onChange={({ detail }) =>
                    set({ remainderPolicy: detail.value as SettingsDraft['remainderPolicy'] })
                  }
                  items={[
                    {
                      value: 'larger-groups',
                      label: 'Make some groups larger',
                      description: 'Nobody is left out.',
                    },
                    {
                      value: 'smaller-groups',
                      label: 'Make some groups smaller',
                      description: 'Nobody is left out.',
                    },
                    {
                      value: 'leave-out',
                      label: 'Leave the remainder out',
                      description: 'They are told why; who sits out is drawn by lot each round.',
                    },
                  ]}
                />
              </FormField>
              <FormField label="Who takes part" errorText={err('participationMode')}>
                <RadioGroup
                  value={draft.participationMode}
                  onChange={({ detail }) =>
                    set({ participationMode: detail.value as SettingsDraft['participationMode'] })
                  }
                  items={[
                    {
                      value: 'automatic',
                      label: 'Everyone active',
                      description: 'Members pause when they need to.',
                    },
                    {
                      value: 'opt-in',
                      label: 'Opt-in',
                      description: 'Members say “count me in” each round.',
                    },
                  ]}
                />
              </FormField>
              <FormField
                label="Repeat decay (weeks)"
                description="How fast a past meeting stops counting against meeting again: its weight halves every this many weeks."
                errorText={err('repeatDecayWeeks')}
              >
                <Input
                  type="number"
                  inputMode="numeric"
                  value={draft.repeatDecayWeeks}
                  onChange={({ detail }) => set({ repeatDecayWeeks: detail.value })}
                />
              </FormField>
            </SpaceBetween>
          </Container>
          <Container header={<Header variant="h2">Access and channels</Header>}>
            <SpaceBetween size="l">
              <FormField
                label="Email domains"
                description="Accounts of these domains can join. One a line."
                errorText={
                  err('allowedEmailDomains') ??
                  Object.entries(errors.fields).find(([path]) => path.startsWith('allowedEmailDomains'))?.[1]
                }
              >
                <Textarea
                  value={draft.domains}
                  onChange={({ detail }) => set({ domains: detail.value })}
                  rows={3}
                />
              </FormField>
              <FormField
                label="Channels"
                description="Where members can be notified."
                errorText={err('enabledChannels')}
              >
                <SpaceBetween size="xxs">
                  {channelKinds.map((kind) => (
                    <Checkbox
                      key={kind}
                      checked={draft.enabledChannels.includes(kind)}
                      onChange={({ detail }) =>
                        set({
                          enabledChannels: detail.checked
                            ? channelKinds.filter((k) => k === kind || draft.enabledChannels.includes(k))
                            : draft.enabledChannels.filter((k) => k !== kind),
                        })
                      }
                    >
                      {channelLabels[kind]}
                    </Checkbox>
                  ))}
                </SpaceBetween>
              </FormField>
              <Box variant="small">
                Sign-in providers ({draft.identityProviders.map((p) => p.kind).join(', ')}) are set by the
                operator in the deployment's configuration.
              </Box>
            </SpaceBetween>
          </Container>
        </SpaceBetween>
      </Form>
    </form>
  )
}

export default function AdminSettingsPage() {
  const config = trpc.config.get.useQuery()
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="When rounds happen and how groups are formed, for everyone here.">
          Workspace settings
        </Header>
      }
    >
      {config.isPending ? (
        <Spinner size="large" />
      ) : config.isError ? (
        <Alert type="error" header="Could not load the settings">
          {messageOf(config.error)}
        </Alert>
      ) : (
        <SettingsForm config={config.data} />
      )}
    </ContentLayout>
  )
}

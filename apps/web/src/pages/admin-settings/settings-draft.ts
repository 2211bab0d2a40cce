// The settings form's state and its translation to and from the API's deployment settings.
import {
  type Deployment,
  type DeploymentSettings,
  deploymentSettingsSchema,
} from '@percolate/domain/deployment'
import type { Weekday } from '@percolate/domain/schedule'
import { describeIssues } from '@percolate/domain/validation'
import { type FieldErrors, toFieldErrors } from '../../lib/errors.ts'
import type { ChannelKind } from '../../lib/labels.ts'

export interface SettingsDraft {
  name: string
  timeZone: string
  scheduleKind: 'weekly' | 'cron'
  weekday: Weekday
  time: string
  expression: string
  meetingSize: string
  remainderPolicy: DeploymentSettings['remainderPolicy']
  participationMode: DeploymentSettings['participationMode']
  repeatDecayWeeks: string
  /** One domain a line (commas work too). */
  domains: string
  enabledChannels: ChannelKind[]
  /** Not edited here: kept as they are. */
  identityProviders: DeploymentSettings['identityProviders']
}

export function draftOf(deployment: Deployment): SettingsDraft {
  const { schedule } = deployment
  return {
    name: deployment.name,
    timeZone: deployment.timeZone,
    scheduleKind: schedule.kind,
    weekday: schedule.kind === 'weekly' ? schedule.weekday : 'monday',
    time: schedule.kind === 'weekly' ? schedule.time : '09:00',
    expression: schedule.kind === 'cron' ? schedule.expression : '0 9 * * 1',
    meetingSize: String(deployment.meetingSize),
    remainderPolicy: deployment.remainderPolicy,
    participationMode: deployment.participationMode,
    repeatDecayWeeks: String(deployment.repeatDecayWeeks),
    domains: deployment.allowedEmailDomains.join('\n'),
    enabledChannels: [...deployment.enabledChannels],
    identityProviders: deployment.identityProviders,
  }
}

export function scheduleOf(draft: SettingsDraft): DeploymentSettings['schedule'] {
  return draft.scheduleKind === 'weekly'
    ? { kind: 'weekly', weekday: draft.weekday, time: draft.time }
    : { kind: 'cron', expression: draft.expression.trim() }
}

const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text))

export function settingsOf(draft: SettingsDraft): DeploymentSettings {
  return {
    name: draft.name,
    timeZone: draft.timeZone,
    schedule: scheduleOf(draft),
    meetingSize: numberOf(draft.meetingSize),
    remainderPolicy: draft.remainderPolicy,
    participationMode: draft.participationMode,
    repeatDecayWeeks: numberOf(draft.repeatDecayWeeks),
    allowedEmailDomains: draft.domains
      .split(/[\s,]+/)
      .map((domain) => domain.trim())
      .filter(Boolean),
    enabledChannels: draft.enabledChannels,
    identityProviders: draft.identityProviders,
  }
}

/** The shared schema's verdict, with the paths the server would use after "settings.". */
export function checkSettings(draft: SettingsDraft): FieldErrors {
  const parsed = deploymentSettingsSchema.safeParse(settingsOf(draft))
  return toFieldErrors(parsed.success ? [] : describeIssues(parsed.error))
}

/** Whether the schedule part is complete enough to preview. */
export function isSchedulePreviewable(draft: SettingsDraft): boolean {
  const { fields } = checkSettings(draft)
  return !Object.keys(fields).some((path) => path.startsWith('schedule') || path === 'timeZone')
}

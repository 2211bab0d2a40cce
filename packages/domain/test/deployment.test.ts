import { describe, expect, it } from 'bun:test'
import { deploymentSettingsSchema, isEmailDomainAllowed } from '../src/deployment.ts'
import { describeIssues } from '../src/validation.ts'

const valid = {
  name: 'Demo Co',
  timeZone: 'Europe/Berlin',
  schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
  meetingSize: 2,
  allowedEmailDomains: ['Demo.Example'],
  enabledChannels: ['email', 'slack'],
  identityProviders: [{ kind: 'local' }],
}

function problems(input: unknown): string[] {
  const result = deploymentSettingsSchema.safeParse(input)
  return result.success ? [] : describeIssues(result.error)
}

describe('deployment settings', () => {
  it('accepts a valid deployment and fills in the defaults', () => {
    const parsed = deploymentSettingsSchema.parse(valid)
    expect(parsed.allowedEmailDomains).toEqual(['demo.example'])
    expect(parsed.remainderPolicy).toBe('larger-groups')
    expect(parsed.participationMode).toBe('automatic')
    expect(parsed.repeatDecayWeeks).toBe(26)
  })

  it('names a time zone that does not exist', () => {
    expect(problems({ ...valid, timeZone: 'Europe/Pariss' })).toEqual([
      'timeZone: "Europe/Pariss" is not an IANA time zone (for example "Europe/Berlin")',
    ])
  })

  it('allows meeting sizes 2 to 6 only', () => {
    expect(problems({ ...valid, meetingSize: 1 })).toEqual(['meetingSize: must be at least 2'])
    expect(problems({ ...valid, meetingSize: 7 })).toEqual(['meetingSize: must be at most 6'])
    expect(problems({ ...valid, meetingSize: 2.5 })).toEqual([
      'meetingSize: must be a whole number from 2 to 6',
    ])
    expect(problems({ ...valid, meetingSize: 6 })).toEqual([])
  })

  it('explains a bad schedule', () => {
    expect(
      problems({ ...valid, schedule: { kind: 'weekly', weekday: 'funday', time: '09:00' } })[0],
    ).toStartWith('schedule.weekday: must be one of monday')
    expect(
      problems({ ...valid, schedule: { kind: 'weekly', weekday: 'monday', time: '25:00' } })[0],
    ).toStartWith('schedule.time: must be a time of day')
    expect(problems({ ...valid, schedule: { kind: 'cron', expression: '* * *' } })[0]).toStartWith(
      'schedule.expression: "* * *" is not a cron expression',
    )
  })

  it('refuses unknown channels, duplicates and bad domains', () => {
    expect(problems({ ...valid, enabledChannels: ['pigeon'] })[0]).toStartWith(
      'enabledChannels[0]: must be one of',
    )
    expect(problems({ ...valid, enabledChannels: ['email', 'email'] })).toEqual([
      'enabledChannels: must not list a channel twice',
    ])
    expect(problems({ ...valid, allowedEmailDomains: ['not a domain'] })).toEqual([
      'allowedEmailDomains[0]: "not a domain" is not a domain name such as "example.com"',
    ])
    expect(problems({ ...valid, allowedEmailDomains: [] })).toEqual([
      'allowedEmailDomains: must list at least one email domain',
    ])
  })

  it('checks an email against the allowed domains, case-insensitively', () => {
    const deployment = deploymentSettingsSchema.parse(valid)
    expect(isEmailDomainAllowed(deployment, 'ada@DEMO.example')).toBe(true)
    expect(isEmailDomainAllowed(deployment, 'ada@evil.example')).toBe(false)
    expect(isEmailDomainAllowed(deployment, 'ada@sub.demo.example')).toBe(false)
  })
})

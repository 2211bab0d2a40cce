import { describe, expect, it } from 'bun:test'
import type { z } from 'zod'
import { channelAddressesSchema, isParticipating, preferencesSchema, profileSchema } from '../src/member.ts'
import { describeIssues } from '../src/validation.ts'

function problems(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input)
  return result.success ? [] : describeIssues(result.error)
}

describe('member profile', () => {
  it('fills defaults and trims text', () => {
    const profile = profileSchema.parse({ name: '  Ada  ', timeZone: 'Europe/London' })
    expect(profile).toEqual({
      name: 'Ada',
      department: '',
      location: '',
      timeZone: 'Europe/London',
      workingHours: { start: '09:00', end: '17:00' },
      bio: '',
      interests: [],
    })
  })

  it('requires a name and limits the bio', () => {
    expect(problems(profileSchema, { name: '   ', timeZone: 'UTC' })).toEqual(['name: is required'])
    expect(problems(profileSchema, { name: 'A', timeZone: 'UTC', bio: 'x'.repeat(501) })).toEqual([
      'bio: must be at most 500 characters',
    ])
  })

  it('wants working hours that start before they end', () => {
    expect(
      problems(profileSchema, { name: 'A', timeZone: 'UTC', workingHours: { start: '17:00', end: '09:00' } }),
    ).toEqual(['workingHours.end: start must be before end'])
  })
})

describe('channel addresses', () => {
  it('says what a valid address looks like', () => {
    expect(problems(channelAddressesSchema, { slack: { memberId: 'bob' } })).toEqual([
      'slack.memberId: must be a Slack member id such as "U024BE7LH"',
    ])
    expect(problems(channelAddressesSchema, { signal: { number: '0170 123' } })).toEqual([
      'signal.number: must be a phone number in international format such as "+491701234567"',
    ])
    expect(problems(channelAddressesSchema, { telegram: { chatId: '123456789' } })).toEqual([])
  })

  it('has email on by default', () => {
    expect(channelAddressesSchema.parse({}).email.enabled).toBe(true)
  })
})

describe('preferences', () => {
  it('defaults to other departments, anywhere, one shared hour', () => {
    expect(preferencesSchema.parse({})).toEqual({
      preferOtherDepartments: true,
      location: 'remote-ok',
      minOverlapHours: 1,
      avoidMemberIds: [],
    })
  })
})

describe('participation', () => {
  it('counts active members, skips those who left, and honors a pause until its date', () => {
    expect(isParticipating({ status: 'active' }, '2026-03-02')).toBe(true)
    expect(isParticipating({ status: 'left', since: '2026-01-01T00:00:00Z' }, '2026-03-02')).toBe(false)
    expect(isParticipating({ status: 'paused' }, '2026-03-02')).toBe(false)
    expect(isParticipating({ status: 'paused', until: '2026-03-02' }, '2026-03-02')).toBe(true)
    expect(isParticipating({ status: 'paused', until: '2026-03-03' }, '2026-03-02')).toBe(false)
  })
})

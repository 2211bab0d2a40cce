import { describe, expect, it } from 'bun:test'
import { TRPCClientError } from '@trpc/client'
import { formLevelErrors, serverFieldErrors, toFieldErrors } from './errors.ts'

const badRequest = (message: string, issues: string[] | null) =>
  TRPCClientError.from({ error: { code: -32600, message, data: { code: 'BAD_REQUEST', issues } } })

describe('server errors as field messages', () => {
  it('puts each zod issue next to its field, without the input prefix', () => {
    const errors = serverFieldErrors(
      badRequest('x', [
        'settings.meetingSize: must be at most 6',
        'settings.schedule.time: must be a time of day "HH:MM" between 00:00 and 23:59',
      ]),
      'settings.',
    )
    expect(errors.fields).toEqual({
      meetingSize: 'must be at most 6',
      'schedule.time': 'must be a time of day "HH:MM" between 00:00 and 23:59',
    })
  })

  it('reads an AppError’s own "field: message" when there are no zod issues', () => {
    expect(serverFieldErrors(badRequest('avoidMemberIds: must not list yourself', null)).fields).toEqual({
      avoidMemberIds: 'must not list yourself',
    })
  })

  it('leaves errors that are not validation to the Flashbar', () => {
    const conflict = TRPCClientError.from({
      error: { code: -32009, message: 'name: taken', data: { code: 'CONFLICT' } },
    })
    expect(serverFieldErrors(conflict)).toEqual({ fields: {}, other: [] })
  })

  it('keeps lines about fields a form does not show at the form level', () => {
    const errors = toFieldErrors([
      'version: must be the version you loaded',
      'name: is required',
      'Something else',
    ])
    expect(formLevelErrors(errors, ['name'])).toBe('Something else; version: must be the version you loaded')
    expect(formLevelErrors(toFieldErrors(['interests[2]: must not be empty']), ['interests'])).toBeUndefined()
  })
})

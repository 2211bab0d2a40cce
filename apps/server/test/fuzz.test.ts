// Input fuzzing: whatever a client sends to a mutation, the answer is a clear error (or success), never an
// internal error; validation errors name a field.
import { describe, expect, it } from 'bun:test'
import { TRPCError } from '@trpc/server'
import fc from 'fast-check'
import { appRouter } from '../src/trpc/router.ts'
import { callerFor, member } from './support.ts'

const admin = await member('acme', { role: 'admin' })
const caller = await callerFor(admin)

const keys = [
  'name',
  'version',
  'id',
  'expiresInDays',
  'timeZone',
  'workingHours',
  'bio',
  'interests',
  'preferOtherDepartments',
  'location',
  'minOverlapHours',
  'avoidMemberIds',
  'participation',
  'email',
  'slack',
  'telegram',
  'signal',
  'confirmEmail',
  'scheduledAt',
  'status',
  'rating',
  'note',
  'settings',
  'memberId',
  'role',
  'until',
  'channel',
  'join',
]
const value = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string(),
  fc.integer(),
  fc.constantFrom(null, true, '', 'admin', 'paused', 'met', 'UTC', '2026-01-05T08:00:00.000Z', admin.id),
)
const input = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }),
  fc.record({
    version: fc.constant(admin.version),
    participation: fc.record({ status: value, until: value }),
  }),
)

const mutations: [string, (i: never) => Promise<unknown>][] = [
  ['tokens.create', (i) => caller.tokens.create(i)],
  ['tokens.revoke', (i) => caller.tokens.revoke(i)],
  ['me.updateProfile', (i) => caller.me.updateProfile(i)],
  ['me.updatePreferences', (i) => caller.me.updatePreferences(i)],
  ['me.setParticipation', (i) => caller.me.setParticipation(i)],
  ['me.updateChannels', (i) => caller.me.updateChannels(i)],
  ['me.completeOnboarding', (i) => caller.me.completeOnboarding(i)],
  ['me.deleteAccount', (i) => caller.me.deleteAccount(i)],
  ['matches.report', (i) => caller.matches.report(i)],
  ['config.update', (i) => caller.config.update(i)],
  ['admin.setRole', (i) => caller.admin.setRole(i)],
  ['admin.setParticipation', (i) => caller.admin.setParticipation(i)],
  ['admin.remove', (i) => caller.admin.remove(i)],
  ['me.sendTestMessage', (i) => caller.me.sendTestMessage(i)],
  ['matches.setOptIn', (i) => caller.matches.setOptIn(i)],
]

describe('fuzzing every mutation (500 inputs each)', () => {
  it('covers every mutation of the router', () => {
    const listed = new Set(mutations.map(([name]) => name))
    const all = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    )
      .filter(([, procedure]) => procedure._def.type === 'mutation')
      .map(([name]) => name)
    expect(all.filter((name) => !listed.has(name))).toEqual([])
    expect(all.length).toBe(mutations.length)
  })

  for (const [name, call] of mutations) {
    it(`${name} never fails internally`, async () => {
      await fc.assert(
        fc.asyncProperty(input, async (raw) => {
          try {
            await call(raw as never)
          } catch (error) {
            expect(error).toBeInstanceOf(TRPCError)
            const { code, message } = error as TRPCError
            expect(code).not.toBe('INTERNAL_SERVER_ERROR')
            if (code === 'BAD_REQUEST') expect(message.length).toBeGreaterThan(0)
          }
        }),
        { numRuns: 500, seed: Number(process.env.FC_SEED ?? 7) },
      )
    })
  }
})

// The authorization matrix: every procedure × anonymous, member, admin, admin of another workspace; and ids
// from another workspace fed into every procedure that takes one.
import { describe, expect, it } from 'bun:test'
import { type Match, putMatches } from '@percolate/db/matches'
import fc from 'fast-check'
import { silentLogger } from '../src/log.ts'
import { createContextInner } from '../src/trpc/init.ts'
import { appRouter } from '../src/trpc/router.ts'
import { auth, callerFor, createCaller, db, env, failure, member } from './support.ts'

type Caller = ReturnType<typeof createCaller>
type Access = 'public' | 'member' | 'admin'

const acmeAdmin = await member('acme', { role: 'admin' })
const acmeMember = await member('acme')
const target = await member('acme')
const foreignAdmin = await member('other', { role: 'admin' })
const roundAt = new Date(Date.UTC(2026, 0, 5, 8)).toISOString()
const record = (memberId: string): Match => ({
  deploymentId: 'acme',
  memberId,
  scheduledAt: roundAt,
  groupIndex: 0,
  memberIds: [acmeMember.id, target.id],
  reason: 'first meeting',
  status: 'scheduled',
  updatedAt: roundAt,
})
await putMatches(db, [record(acmeMember.id), record(target.id)])

const callers: Record<'anonymous' | 'member' | 'admin' | 'foreignAdmin', Caller> = {
  anonymous: createCaller(createContextInner({ db, env, logger: silentLogger, auth })),
  member: await callerFor(acmeMember),
  admin: await callerFor(acmeAdmin),
  foreignAdmin: await callerFor(foreignAdmin),
}

/** A harmless call of each procedure (wrong confirmations and stale versions keep it from changing things). */
const procedures: [string, Access, (c: Caller) => Promise<unknown>][] = [
  ['health', 'public', (c) => c.health()],
  ['auth.signInOptions', 'public', (c) => c.auth.signInOptions()],
  ['auth.me', 'member', (c) => c.auth.me()],
  ['tokens.list', 'member', (c) => c.tokens.list()],
  ['tokens.create', 'member', (c) => c.tokens.create({ name: '', expiresInDays: 30 })],
  ['tokens.revoke', 'member', (c) => c.tokens.revoke({ id: crypto.randomUUID() })],
  ['me.get', 'member', (c) => c.me.get()],
  ['me.updateProfile', 'member', (c) => c.me.updateProfile({ name: 'X', timeZone: 'UTC', version: 999 })],
  [
    'me.updatePreferences',
    'member',
    (c) =>
      c.me.updatePreferences({
        preferOtherDepartments: true,
        location: 'remote-ok',
        minOverlapHours: 1,
        avoidMemberIds: [],
        version: 999,
      }),
  ],
  [
    'me.setParticipation',
    'member',
    (c) => c.me.setParticipation({ version: 999, participation: { status: 'active' } }),
  ],
  ['me.updateChannels', 'member', (c) => c.me.updateChannels({ email: { enabled: true }, version: 999 })],
  ['me.completeOnboarding', 'member', (c) => c.me.completeOnboarding({ version: 999 })],
  ['me.directory', 'member', (c) => c.me.directory({})],
  ['me.exportData', 'member', (c) => c.me.exportData()],
  ['me.deleteAccount', 'member', (c) => c.me.deleteAccount({ confirmEmail: 'not-me@nowhere.test' })],
  ['matches.current', 'member', (c) => c.matches.current()],
  ['matches.nextRound', 'member', (c) => c.matches.nextRound()],
  ['matches.setOptIn', 'member', (c) => c.matches.setOptIn({ join: true })],
  ['me.notifications', 'member', (c) => c.me.notifications()],
  ['me.workspace', 'member', (c) => c.me.workspace()],
  ['me.sendTestMessage', 'member', (c) => c.me.sendTestMessage({ channel: 'telegram' })],
  ['matches.history', 'member', (c) => c.matches.history({})],
  [
    'matches.report',
    'member',
    (c) => c.matches.report({ scheduledAt: '2020-01-06T08:00:00.000Z', status: 'met' }),
  ],
  ['config.get', 'admin', (c) => c.config.get()],
  [
    'config.previewSchedule',
    'admin',
    (c) =>
      c.config.previewSchedule({
        schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
        timeZone: 'UTC',
      }),
  ],
  ['config.update', 'admin', (c) => c.config.update({ version: 999, settings: {} as never })],
  ['admin.members', 'admin', (c) => c.admin.members({})],
  ['admin.setRole', 'admin', (c) => c.admin.setRole({ memberId: 'nobody-here', role: 'member' })],
  [
    'admin.setParticipation',
    'admin',
    (c) => c.admin.setParticipation({ memberId: 'nobody-here', participation: { status: 'active' } }),
  ],
  ['admin.remove', 'admin', (c) => c.admin.remove({ memberId: 'nobody-here' })],
  ['admin.rounds', 'admin', (c) => c.admin.rounds({})],
  ['admin.stats', 'admin', (c) => c.admin.stats({})],
  ['admin.exportCsv', 'admin', (c) => c.admin.exportCsv()],
  ['admin.previewRound', 'admin', (c) => c.admin.previewRound()],
  ['admin.notifications', 'admin', (c) => c.admin.notifications({})],
]

const allowed = (access: Access, role: keyof typeof callers) =>
  access === 'public' || (role !== 'anonymous' && (access === 'member' || role !== 'member'))

describe('authorization matrix', () => {
  it('covers every procedure of the router', () => {
    const listed = new Set(procedures.map(([name]) => name))
    expect(Object.keys(appRouter._def.procedures).filter((name) => !listed.has(name))).toEqual([])
  })

  for (const [name, access, call] of procedures) {
    for (const role of Object.keys(callers) as (keyof typeof callers)[]) {
      const expected = allowed(access, role) ? 'allowed' : role === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN'
      it(`${name} × ${role}: ${expected}`, async () => {
        const outcome = await failure(call(callers[role]))
        const code = outcome.split(':')[0]
        if (expected === 'allowed')
          expect(['UNAUTHORIZED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR']).not.toContain(code)
        else expect(code).toBe(expected)
      })
    }
  }
})

describe('ids from another workspace', () => {
  const acmeIds = [acmeAdmin.id, acmeMember.id, target.id]

  it('name nobody: NOT_FOUND or BAD_REQUEST, and no data comes back', async () => {
    const foreign = callers.foreignAdmin
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...acmeIds), fc.integer({ min: 0, max: 4 }), async (id, which) => {
        const attempts: (() => Promise<unknown>)[] = [
          () => foreign.admin.setRole({ memberId: id, role: 'admin' }),
          () => foreign.admin.setParticipation({ memberId: id, participation: { status: 'paused' } }),
          () => foreign.admin.remove({ memberId: id }),
          () => foreign.matches.report({ scheduledAt: roundAt, status: 'didnt-meet' }),
          async () => {
            const me = await foreign.me.get()
            return foreign.me.updatePreferences({
              ...me.preferences,
              avoidMemberIds: [id],
              version: me.version,
            })
          },
        ]
        const outcome = await failure(attempts[which]!())
        expect(['NOT_FOUND', 'BAD_REQUEST']).toContain(outcome.split(':')[0] ?? '')
        const history = await foreign.matches.history({ personId: id })
        expect(history.matches).toEqual([])
      }),
      { numRuns: 30, seed: 42 },
    )
    // Nothing in acme changed.
    for (const m of [acmeAdmin, acmeMember, target]) {
      const fresh = await callerFor(m)
      expect((await fresh.me.get()).version).toBe(m.version)
    }
  })
})

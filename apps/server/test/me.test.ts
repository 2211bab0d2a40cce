import { describe, expect, it } from 'bun:test'
import { getMember } from '@percolate/db/members'
import { silentLogger } from '../src/log.ts'
import { createContextInner } from '../src/trpc/init.ts'
import { auth, callerFor, createCaller, db, env, failure, member } from './support.ts'

describe('me', () => {
  it('needs a session', async () => {
    const anonymous = createCaller(createContextInner({ db, env, logger: silentLogger, auth }))
    expect(await failure(anonymous.me.get())).toBe('UNAUTHORIZED: Sign in to continue.')
  })

  it('shows the member their own record, without sign-in identities', async () => {
    const m = await member()
    const me = await (await callerFor(m)).me.get()
    expect(me.id).toBe(m.id)
    expect('identities' in me).toBe(false)
  })

  it('updates the profile on the version it was loaded at, and refuses a stale save', async () => {
    const m = await member()
    const caller = await callerFor(m)
    const profile = {
      name: 'Ada M.',
      timeZone: 'Europe/Lisbon',
      bio: 'Hi',
      interests: ['chess'],
      version: m.version,
    }
    const updated = await caller.me.updateProfile(profile)
    expect(updated).toMatchObject({ name: 'Ada M.', timeZone: 'Europe/Lisbon', version: m.version + 1 })
    expect(await failure(caller.me.updateProfile({ ...profile, name: 'Stale' }))).toStartWith(
      'CONFLICT: Your profile was changed elsewhere since you loaded it',
    )
    expect((await getMember(db, 'acme', m.id))?.name).toBe('Ada M.')
  })

  it('names every wrong field of a profile', async () => {
    const m = await member()
    const message = await failure(
      (await callerFor(m)).me.updateProfile({
        name: '',
        timeZone: 'Mars/Olympus',
        workingHours: { start: '18:00', end: '09:00' },
        version: m.version,
      }),
    )
    expect(message).toContain('BAD_REQUEST')
    expect(message).toContain('name')
    expect(message).toContain('timeZone')
    expect(message).toContain('workingHours')
  })

  it('keeps people to avoid within the workspace, never yourself', async () => {
    const m = await member()
    const colleague = await member()
    const outsider = await member('other')
    const caller = await callerFor(m)
    const base = {
      preferOtherDepartments: true,
      location: 'same' as const,
      minOverlapHours: 2,
      version: m.version,
    }
    expect(await failure(caller.me.updatePreferences({ ...base, avoidMemberIds: [m.id] }))).toBe(
      'BAD_REQUEST: avoidMemberIds: must not list yourself',
    )
    expect(await failure(caller.me.updatePreferences({ ...base, avoidMemberIds: [outsider.id] }))).toBe(
      `BAD_REQUEST: avoidMemberIds: no member ${outsider.id} in your workspace`,
    )
    const saved = await caller.me.updatePreferences({ ...base, avoidMemberIds: [colleague.id, colleague.id] })
    expect(saved.preferences).toEqual({
      preferOtherDepartments: true,
      location: 'same',
      minOverlapHours: 2,
      avoidMemberIds: [colleague.id],
    })
  })

  it('pauses until a later date, resumes and leaves', async () => {
    let m = await member()
    const caller = await callerFor(m)
    expect(
      await failure(
        caller.me.setParticipation({
          version: m.version,
          participation: { status: 'paused', until: '2020-01-01' },
        }),
      ),
    ).toStartWith('BAD_REQUEST: participation.until: must be a date after today')
    const paused = await caller.me.setParticipation({
      version: m.version,
      participation: { status: 'paused', until: '2099-01-01' },
    })
    expect(paused.participation).toEqual({ status: 'paused', until: '2099-01-01' })
    m = (await getMember(db, 'acme', m.id))!
    const left = await (await callerFor(m)).me.setParticipation({
      version: m.version,
      participation: { status: 'left' },
    })
    expect(left.participation.status).toBe('left')
  })

  it('accepts only channels the workspace enabled, with the reason', async () => {
    const m = await member()
    const caller = await callerFor(m)
    const slack = await caller.me.updateChannels({
      email: { enabled: true },
      slack: { memberId: 'U024BE7LH' },
      version: m.version,
    })
    expect(slack.channels.slack).toEqual({ memberId: 'U024BE7LH' })
    const elsewhere = await member('other')
    expect(
      await failure(
        (await callerFor(elsewhere)).me.updateChannels({
          email: { enabled: true },
          telegram: { chatId: '12345' },
          version: elsewhere.version,
        }),
      ),
    ).toBe('BAD_REQUEST: telegram: is not enabled in this workspace')
    expect(
      await failure(
        caller.me.updateChannels({ email: { enabled: true }, signal: { number: '12345' }, version: 2 }),
      ),
    ).toContain('signal')
  })

  it('lists colleagues for "rather not meet" by name only, without the member and without other workspaces', async () => {
    const m = await member()
    const { people } = await (await callerFor(m)).me.directory({})
    expect(people.some((p) => p.id === m.id)).toBe(false)
    expect(people.every((p) => Object.keys(p).sort().join() === 'department,id,name')).toBe(true)
    expect(people.some((p) => p.id.startsWith('member-') && p.name.startsWith('Person'))).toBe(true)
    const other = await member('other')
    const theirs = await (await callerFor(other)).me.directory({})
    expect(theirs.people.some((p) => p.id === m.id)).toBe(false)
  })

  it("exports the member's data", async () => {
    const m = await member()
    const exported = await (await callerFor(m)).me.exportData()
    expect(exported.member.email).toBe(m.email)
    expect(exported.sessions).toHaveLength(1)
  })

  it('deletes the account when confirmed with the email, and the session ends', async () => {
    const m = await member()
    const caller = await callerFor(m)
    expect(await failure(caller.me.deleteAccount({ confirmEmail: 'someone@else.test' }))).toBe(
      `BAD_REQUEST: confirmEmail: type your email address (${m.email}) to confirm`,
    )
    expect(await caller.me.deleteAccount({ confirmEmail: m.email.toUpperCase() })).toEqual({ deleted: true })
    expect(await getMember(db, 'acme', m.id)).toBeNull()
    expect(await failure(caller.me.get())).toBe('UNAUTHORIZED: Your session has ended. Sign in again.')
  })
})

// The API around rounds: opt-in rounds, my notifications, failed notifications for admins.
import { describe, expect, it } from 'bun:test'
import { createDeployment, getDeployment } from '@percolate/db/deployments'
import { claimOutboxItem, finishOutboxItem, listOutboxByStatus } from '@percolate/db/outbox'
import { deploymentSettingsSchema } from '@percolate/domain/deployment'
import { nextRoundTimes } from '@percolate/domain/schedule'
import { loadRoundInput } from '@percolate/rounds/round-input'
import { runRound } from '@percolate/rounds/run-round'
import { callerFor, db, failure, member } from './support.ts'

await createDeployment(
  db,
  'optin',
  deploymentSettingsSchema.parse({
    name: 'Opt-in Co',
    timeZone: 'Europe/Berlin',
    schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
    meetingSize: 2,
    participationMode: 'opt-in',
    allowedEmailDomains: ['acme.test'],
    enabledChannels: ['email'],
    identityProviders: [{ kind: 'local' }],
  }),
)
const admin = await member('optin', { role: 'admin', name: 'Olga Admin' })
const people = await Promise.all(['Ann', 'Bob', 'Cat'].map((name) => member('optin', { name })))

describe('opt-in rounds', () => {
  it('takes only the members who opted in for the next round', async () => {
    const deployment = (await getDeployment(db, 'optin'))!
    const [next] = nextRoundTimes(deployment.schedule, deployment.timeZone, new Date(), 1)
    const ann = await callerFor(people[0]!)
    expect((await ann.matches.nextRound())?.optedIn).toBe(false)
    expect(await ann.matches.setOptIn({ join: true })).toEqual({ at: next!.toISOString(), optedIn: true })
    await (await callerFor(people[1]!)).matches.setOptIn({ join: true })
    await (await callerFor(people[2]!)).matches.setOptIn({ join: true })
    await (await callerFor(people[2]!)).matches.setOptIn({ join: false })
    expect((await ann.matches.nextRound())?.optedIn).toBe(true)
    const input = await loadRoundInput(db, deployment, next!)
    expect([...input.participants.values()].map((m) => m.name).sort()).toEqual(['Ann', 'Bob'])
    expect(input.optedOutCount).toBe(2)
  })

  it('tells every member what they may know of their workspace', async () => {
    expect(await (await callerFor(people[0]!)).me.workspace()).toEqual({
      id: 'optin',
      name: 'Opt-in Co',
      timeZone: 'Europe/Berlin',
      meetingSize: 2,
      participationMode: 'opt-in',
      enabledChannels: ['email'],
    })
  })

  it('refuses opt-in where everyone takes part automatically', async () => {
    const someone = await member('acme')
    expect(await failure((await callerFor(someone)).matches.setOptIn({ join: true }))).toBe(
      'BAD_REQUEST: join: this workspace matches every active member automatically; pause or resume instead',
    )
    expect((await (await callerFor(someone)).matches.nextRound())?.optedIn).toBeNull()
  })
})

describe('notifications', () => {
  it('queues a test message on a channel I set up, once a minute, and refuses one I did not', async () => {
    const cat = await callerFor(people[2]!)
    const queued = await cat.me.sendTestMessage({ channel: 'email' })
    expect(queued).toMatchObject({ queued: true, channel: 'email' })
    expect(await failure(cat.me.sendTestMessage({ channel: 'email' }))).toBe(
      'CONFLICT: channel: a test message to email is already on its way; try again in a minute',
    )
    expect(await failure(cat.me.sendTestMessage({ channel: 'slack' }))).toBe(
      'BAD_REQUEST: channel: slack is not set up for you here; set it up under notification channels first',
    )
    expect(await cat.me.notifications()).toEqual([
      expect.objectContaining({ kind: 'test', channel: 'email', status: 'pending' }),
    ])
  })

  it('shows members their own notifications and admins the failed ones with the reason', async () => {
    const deployment = (await getDeployment(db, 'optin'))!
    const at = new Date('2026-03-02T08:00:00Z')
    for (const person of [admin, ...people]) await (await callerFor(person)).me.get()
    // An automatic round for this test: everyone who is active.
    await runRound(db, { ...deployment, participationMode: 'automatic' }, at, { seed: 1, now: at })
    const mine = (await (await callerFor(people[0]!)).me.notifications()).filter((n) => n.kind !== 'test')
    expect(mine).toEqual([
      expect.objectContaining({
        memberId: people[0]!.id,
        kind: 'match',
        channel: 'email',
        status: 'pending',
        reason: null,
      }),
    ])
    const pending = await listOutboxByStatus(db, 'optin', 'pending', { limit: 10 })
    const item = pending.items.find((i) => i.memberId === people[1]!.id)!
    const claimed = (await claimOutboxItem(db, item, 60, new Date('2026-03-02T08:01:00Z')))!
    await finishOutboxItem(db, claimed, {
      status: 'failed',
      reason: 'MessageRejected: Email address is not verified.',
    })
    const { notifications } = await (await callerFor(admin)).admin.notifications({})
    expect(notifications).toEqual([
      expect.objectContaining({
        memberId: people[1]!.id,
        memberName: 'Bob',
        status: 'failed',
        attempts: 1,
        reason: 'MessageRejected: Email address is not verified.',
      }),
    ])
    // A member never sees another's.
    expect(
      (await (await callerFor(people[0]!)).me.notifications()).every((n) => n.memberId === people[0]!.id),
    ).toBe(true)
  })
})

import { describe, expect, it } from 'bun:test'
import { callerFor, failure, member } from './support.ts'

const admin = await member('acme', { role: 'admin' })
const otherAdmin = await member('acme', { role: 'admin' })

describe('config', () => {
  it('is for admins only', async () => {
    const plain = await member()
    expect(await failure((await callerFor(plain)).config.get())).toBe(
      'FORBIDDEN: Only admins of this workspace can do this.',
    )
  })

  it('shows the settings and the next five rounds in the workspace time zone', async () => {
    const { deployment, nextRounds } = await (await callerFor(admin)).config.get()
    expect(deployment.id).toBe('acme')
    expect(nextRounds).toHaveLength(5)
    for (const round of nextRounds) expect(round.local).toMatch(/^Mon, .* 09:00 (CET|CEST|GMT\+1|GMT\+2)$/)
  })

  it('previews a schedule across a daylight-saving change before it is saved', async () => {
    const preview = await (await callerFor(admin)).config.previewSchedule({
      schedule: { kind: 'cron', expression: '30 8 * * 1' },
      timeZone: 'America/New_York',
    })
    const hoursUtc = new Set(preview.map((round) => new Date(round.at).getUTCHours()))
    // 08:30 in New York is 12:30 or 13:30 UTC depending on the season; always 08:30 local.
    for (const round of preview) expect(round.local).toContain('08:30')
    expect([...hoursUtc].every((h) => h === 12 || h === 13)).toBe(true)
  })

  it('saves on the loaded version; the second of two admins saving at once gets a conflict', async () => {
    const first = await callerFor(admin)
    const second = await callerFor(otherAdmin)
    const { deployment } = await first.config.get()
    const { id: _id, version, createdAt: _c, updatedAt: _u, ...settings } = deployment
    const saved = await first.config.update({ version, settings: { ...settings, meetingSize: 3 } })
    expect(saved.deployment.meetingSize).toBe(3)
    expect(
      await failure(second.config.update({ version, settings: { ...settings, meetingSize: 4 } })),
    ).toStartWith("CONFLICT: Deployment 'acme' was changed by someone else since you loaded it")
    expect((await first.config.get()).deployment.meetingSize).toBe(3)
  })

  it('names wrong settings', async () => {
    const caller = await callerFor(admin)
    const { deployment } = await caller.config.get()
    const { id: _id, createdAt: _c, updatedAt: _u, version, ...settings } = deployment
    const message = await failure(
      caller.config.update({
        version,
        settings: {
          ...settings,
          meetingSize: 9,
          timeZone: 'Nowhere/City',
          allowedEmailDomains: ['not a domain'],
        },
      }),
    )
    expect(message).toContain('meetingSize')
    expect(message).toContain('timeZone')
    expect(message).toContain('allowedEmailDomains')
  })

  it('never shows or changes another workspace', async () => {
    const elsewhere = await member('other', { role: 'admin' })
    const { deployment } = await (await callerFor(elsewhere)).config.get()
    expect(deployment.id).toBe('other')
  })
})

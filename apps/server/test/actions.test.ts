// One-click links from notifications: GET shows, POST acts, no session or cookie needed, bad links get a page.
import { describe, expect, it } from 'bun:test'
import { getMatch, putMatches } from '@percolate/db/matches'
import { getMember } from '@percolate/db/members'
import { signedLinks } from '@percolate/dispatch/signed-links'
import { createApp } from '../src/app.ts'
import { silentLogger } from '../src/log.ts'
import { auth, db, env, member } from './support.ts'

const app = createApp({ db, env, logger: silentLogger, auth })
const links = signedLinks(auth.actionTokens, env.PUBLIC_URL)
const scheduledAt = '2026-03-02T08:00:00.000Z'
const relative = (url: string) => url.replace(new URL(env.PUBLIC_URL).origin, 'http://localhost')

describe('action links', () => {
  it('pause: GET changes nothing, the one-click POST pauses, again and again, with no cookie', async () => {
    const ann = await member('acme', { name: 'Ann <Admin>' })
    const { unsubscribe, pause } = await links({ deploymentId: 'acme', memberId: ann.id, scheduledAt })
    expect(unsubscribe).toBe(pause)
    const shown = await app.handle(new Request(relative(pause)))
    expect(shown.status).toBe(200)
    const html = await shown.text()
    expect(html).toContain('Ann &lt;Admin&gt;')
    expect(html).toContain('<form method="post">')
    expect((await getMember(db, 'acme', ann.id))?.participation).toEqual({ status: 'active' })
    for (let i = 0; i < 2; i++) {
      const done = await app.handle(
        new Request(relative(unsubscribe), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }),
      )
      expect(done.status).toBe(200)
      expect(done.headers.get('location')).toBeNull()
      expect(await done.text()).toContain('You are paused')
    }
    expect((await getMember(db, 'acme', ann.id))?.participation).toEqual({ status: 'paused' })
  })

  it("met / didn't meet record the answer on the match", async () => {
    const bob = await member('acme')
    const cat = await member('acme')
    await putMatches(db, [
      {
        deploymentId: 'acme',
        memberId: bob.id,
        scheduledAt,
        groupIndex: 0,
        memberIds: [bob.id, cat.id],
        reason: 'first meeting',
        status: 'scheduled',
        updatedAt: scheduledAt,
      },
    ])
    const { met, didNotMeet } = await links({ deploymentId: 'acme', memberId: bob.id, scheduledAt })
    // The confirmation page names the round in Bob's own time zone (Europe/Berlin), as his messages do.
    const shown = await (await app.handle(new Request(relative(met)))).text()
    expect(shown).toContain('Record that your group of Monday 2 March at 09:00 CET met.')
    expect((await app.handle(new Request(relative(met), { method: 'POST' }))).status).toBe(200)
    expect((await getMatch(db, 'acme', bob.id, scheduledAt))?.status).toBe('met')
    expect((await app.handle(new Request(relative(didNotMeet), { method: 'POST' }))).status).toBe(200)
    expect((await getMatch(db, 'acme', bob.id, scheduledAt))?.status).toBe('didnt-meet')
  })

  it('refuses a missing, tampered or mismatched token with a page, never a 500', async () => {
    const dan = await member('acme')
    const { pause, met } = await links({ deploymentId: 'acme', memberId: dan.id, scheduledAt })
    const missing = await app.handle(new Request('http://localhost/actions/pause', { method: 'POST' }))
    expect(missing.status).toBe(400)
    expect(await missing.text()).toContain('This link is incomplete')
    const tampered = await app.handle(new Request(`${relative(pause)}x`, { method: 'POST' }))
    expect(tampered.status).toBe(400)
    expect(await tampered.text()).toContain('This link is not valid')
    // A "met" token does not pause.
    const token = new URL(met).searchParams.get('token')!
    const mismatched = await app.handle(
      new Request(`http://localhost/actions/pause?token=${token}`, { method: 'POST' }),
    )
    expect(mismatched.status).toBe(400)
    expect((await getMember(db, 'acme', dan.id))?.participation).toEqual({ status: 'active' })
    expect((await app.handle(new Request('http://localhost/actions/delete-everything?token=x'))).status).toBe(
      404,
    )
  })
})

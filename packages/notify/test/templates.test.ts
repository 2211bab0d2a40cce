import { describe, expect, it } from 'bun:test'
import { renderCheckIn } from '../src/templates/check-in.ts'
import { matchNotificationContent, renderMatchNotification } from '../src/templates/match-notification.ts'
import { renderNotMatched } from '../src/templates/not-matched.ts'
import { renderOptInReminder } from '../src/templates/opt-in-reminder.ts'
import { checkTelegramHtml } from '../src/testing/telegram-html-check.ts'
import { invite, links, matchInput, roundAt } from './support/fixtures.ts'

describe('match notification', () => {
  it("shows the suggested times in the recipient's own time zone", async () => {
    const berlin = await renderMatchNotification(matchInput())
    expect(berlin.text).toContain('Times that suit everyone (your time, Berlin):')
    expect(berlin.text).toContain('- Monday 9 March at 15:00 CET')
    const newYork = await renderMatchNotification(
      matchInput({ recipient: { name: 'Grace Hopper', timeZone: 'America/New_York' } }),
    )
    expect(newYork.text).toContain('- Monday 9 March at 10:00 GMT-4')
    expect(newYork.html).toContain('Monday 9 March at 10:00 GMT-4')
    expect(newYork.telegram!.html).toContain('Monday 9 March at 10:00 GMT-4')
  })

  it('introduces each member with department, location, local time and bio', async () => {
    const { text } = await renderMatchNotification(matchInput())
    expect(text).toContain(
      '* Grace Hopper\n  Compilers · New York · 04:00 now in New York (America/New_York)',
    )
    expect(text).toContain('  Navy, COBOL, nanoseconds.\n  Interests: sailing, teaching')
    expect(text).toContain('Security · 17:00 now in Tokyo (Asia/Tokyo)')
  })

  it('says why the group was made and how to reach each other', async () => {
    const { text, subject } = await renderMatchNotification(matchInput())
    expect(subject).toStartWith("You're meeting Grace Hopper and Eve")
    expect(text).toContain('Why: first meeting; different departments; 2 h of shared working hours.')
    expect(text).toContain('Say hello and pick a time: grace@acme.test, eve@acme.test.')
  })

  it('carries the three answers as links and buttons on every platform', async () => {
    const rendered = await renderMatchNotification(matchInput())
    for (const url of [links.met, links.didNotMeet, links.pause]) {
      expect(rendered.text).toContain(url)
      expect(rendered.html).toContain(`href="${url}"`)
      expect(rendered.telegram!.buttons!.flat().map((b) => b.url)).toContain(url)
      expect(JSON.stringify(rendered.slack!.blocks)).toContain(url)
    }
    expect(rendered.telegram!.buttons!.flat().map((b) => b.text)).toEqual([
      'We met',
      "We didn't meet",
      'Pause me',
    ])
    expect(rendered.html).toContain('We didn&#x27;t meet')
    expect(rendered.unsubscribeUrl).toBe(links.unsubscribe)
  })

  it('attaches the invite only when asked to', async () => {
    expect((await renderMatchNotification(matchInput())).attachments).toBeUndefined()
    const withInvite = await renderMatchNotification(matchInput({ invite }))
    expect(withInvite.attachments?.map((a) => a.filename)).toEqual(['invite.ics'])
    expect(withInvite.text).toContain('The attached invite holds the first time')
  })

  it('says so when no time suits everyone', () => {
    const content = matchNotificationContent(matchInput({ suggestedTimes: [] }))
    expect(content.blocks.some((block) => block.kind === 'list')).toBe(false)
    expect(JSON.stringify(content.blocks)).toContain("Your working hours don't overlap this week")
  })
})

describe('not matched', () => {
  it('says why, when the next round is, and offers the preferences', async () => {
    const rendered = await renderNotMatched({
      deploymentName: 'Acme Berlin',
      recipient: { name: 'Linus', timeZone: 'Europe/Helsinki' },
      reason: 'an odd number of people took part and groups are pairs',
      nextRoundAt: new Date('2026-03-16T08:00:00Z'),
      links: { ...links, preferences: 'https://percolate.test/me/preferences' },
    })
    expect(rendered.subject).toBe('No match for you this round')
    expect(rendered.text).toContain('Why: an odd number of people took part and groups are pairs.')
    expect(rendered.text).toContain('Monday 16 March at 10:00 EET')
    expect(rendered.text).toContain('Review my preferences: https://percolate.test/me/preferences')
    expect(checkTelegramHtml(rendered.telegram!.html)).toBeUndefined()
  })
})

describe('check-in', () => {
  it('asks whether they met, with one-click answers', async () => {
    const rendered = await renderCheckIn({
      deploymentName: 'Acme Berlin',
      recipient: { name: 'Ada', timeZone: 'Europe/Berlin' },
      others: [{ name: 'Grace' }, { name: 'Linus' }],
      roundAt,
      links,
    })
    expect(rendered.subject).toBe('Did you meet Grace and Linus?')
    expect(rendered.text).toContain('The round on Monday 9 March put you together.')
    expect(rendered.text).toContain(`We met: ${links.met}\nWe didn't meet: ${links.didNotMeet}`)
    expect(rendered.unsubscribeUrl).toBe(links.unsubscribe)
  })
})

describe('opt-in reminder', () => {
  it('names the round and the deadline in local time, with a button to join', async () => {
    const rendered = await renderOptInReminder({
      deploymentName: 'Acme Berlin',
      recipient: { name: 'Ada', timeZone: 'Asia/Kolkata' },
      roundAt,
      optInBy: new Date('2026-03-08T18:00:00Z'),
      links: { ...links, optIn: 'https://percolate.test/rounds/next/join?t=abc' },
    })
    expect(rendered.subject).toBe('Join the Acme Berlin round on Monday 9 March?')
    expect(rendered.text).toContain('runs Monday 9 March at 13:30 GMT+5:30.')
    expect(rendered.text).toContain('Say yes by Sunday 8 March at 23:30 GMT+5:30.')
    expect(rendered.telegram!.buttons![0]).toEqual([
      { text: 'Count me in', url: 'https://percolate.test/rounds/next/join?t=abc' },
    ])
  })
})

describe('footer', () => {
  it('tells every recipient why they get this and how to pause', async () => {
    const rendered = await renderMatchNotification(matchInput())
    expect(rendered.text).toContain(
      `--\nYou get this because you take part in Acme Berlin on Percolate. Pause me (${links.pause})`,
    )
  })
})

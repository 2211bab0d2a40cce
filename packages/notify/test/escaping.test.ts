// User-provided names and bios must never become markup, on any platform.
import { describe, expect, it } from 'bun:test'
import { renderMatchNotification } from '../src/templates/match-notification.ts'
import { checkTelegramHtml, telegramVisibleText } from '../src/testing/telegram-html-check.ts'
import { hostileBio, hostileName, matchInput } from './support/fixtures.ts'

const rendered = await renderMatchNotification(matchInput())

/** Every object in a Slack payload that has a `type` and a `text`. */
function textObjects(value: unknown): { type: string; text: string }[] {
  if (Array.isArray(value)) return value.flatMap(textObjects)
  if (typeof value !== 'object' || value === null) return []
  const record = value as Record<string, unknown>
  const own = typeof record.type === 'string' && typeof record.text === 'string' ? [record as never] : []
  return [...own, ...Object.values(record).flatMap(textObjects)]
}

describe('email HTML', () => {
  it('shows names and bios as text, never as tags', () => {
    const html = rendered.html!
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<b>bold</b>')
    expect(html).toContain('Eve &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; *Co*')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('refuses a link that is not http(s)', async () => {
    const input = matchInput()
    await expect(
      renderMatchNotification({ ...input, links: { ...input.links, met: 'javascript:alert(1)' } }),
    ).rejects.toThrow(
      'notification link "javascript:alert(1)" must use https (or http locally), not javascript:',
    )
  })
})

describe('Telegram HTML', () => {
  const html = rendered.telegram!.html

  it('parses as Telegram parses it, with only our own tags', () => {
    expect(checkTelegramHtml(html)).toBeUndefined()
    expect(html.match(/<\/?([a-z-]+)/g)?.every((tag) => /^<\/?(b|i|a)$/.test(tag))).toBe(true)
  })

  it('shows the hostile name and bio exactly as typed', () => {
    const visible = telegramVisibleText(html)
    expect(visible).toContain(hostileName)
    expect(visible).toContain(hostileBio.slice(0, 60))
  })
})

describe('Slack blocks', () => {
  const objects = textObjects(rendered.slack!.blocks)

  it('puts no text into mrkdwn: a bio saying *bold* or <!channel> stays literal', () => {
    expect(objects.length).toBeGreaterThan(5)
    expect(objects.every((object) => ['plain_text', 'text', 'link'].includes(object.type))).toBe(true)
    const bio = objects.find((object) => object.text.includes('*claims*'))
    expect(bio).toMatchObject({ type: 'text' })
    expect(bio!.text).toContain('<!channel>')
  })

  it('escapes the fallback text and posts it without mrkdwn', () => {
    expect(rendered.slack!.text).toContain('Eve &lt;script&gt;alert("x")&lt;/script&gt; &amp; *Co*')
    expect(rendered.slack!.text).not.toContain('<')
  })
})

describe('plain text', () => {
  it('keeps user text as typed (no markup to inject into)', () => {
    expect(rendered.text).toContain(`* ${hostileName}`)
    expect(rendered.text).toContain(hostileBio)
  })
})

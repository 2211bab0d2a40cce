// The match email as a person sees it: rendered HTML in headless Chromium (Debian's chromium, driven by
// playwright-core), saved as test-results/match-email.png, light and phone width.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { renderMatchNotification } from '../src/templates/match-notification.ts'
import { matchInput } from './support/fixtures.ts'

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const resultsDir = process.env.PERCOLATE_TEST_REPORT_DIR ?? join(import.meta.dir, '../test-results')
let browser: Browser

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`Chromium not found at ${chromiumPath}: run \`make deps-test\``)
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  })
  mkdirSync(resultsDir, { recursive: true })
})
afterAll(() => browser?.close())

describe('the match email in a browser', () => {
  for (const [name, width] of [
    ['match-email', 900],
    ['match-email-phone', 390],
  ] as const) {
    it(`renders at ${width} px with the people, the reason, the times and the buttons (${name}.png)`, async () => {
      const { html } = await renderMatchNotification(matchInput())
      const page = await browser.newPage({ viewport: { width, height: 900 } })
      // No network: everything the email needs is inline, as in a mail client.
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html!, { waitUntil: 'load' })
      const text = (await page.locator('body').textContent()) ?? ''
      expect(text).toContain('Grace Hopper')
      expect(text).toContain('first meeting; different departments')
      expect(text).toContain('We met')
      expect(text).toContain("We didn't meet")
      const scrollWidth = await page.evaluate('document.documentElement.scrollWidth')
      expect(Number(scrollWidth)).toBeLessThanOrEqual(width)
      const file = join(resultsDir, `${name}.png`)
      await page.screenshot({ path: file, fullPage: true })
      expect(statSync(file).size).toBeGreaterThan(10_000)
      await page.close()
    })
  }
})

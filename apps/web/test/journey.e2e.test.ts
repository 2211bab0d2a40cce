// Issue 8's journey, end to end in headless Chromium against the stack `make dev` runs (dev-stack.ts): Quentin's
// first sign-in, onboarding, his demo match, "we met", history, a pause; then the admin makes groups of three and
// previews the next round. Every page visited is saved in light and dark mode, at desktop and phone width, under
// test-results/journey/ (the same state re-rendered: the app's own dark-mode button, the window resized). Every
// page of the app, the ones the journey passes and the rest (visited as the admin before she signs out), is
// scanned with axe-core in light and dark mode (the journey's own pages at phone width too): no serious or
// critical violation anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createTestDatabase, testEndpoint } from '@percolate/db/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { accessibilityProblems, axeVersion, colorRules } from './axe.ts'
import { fillProviderForm, launchChromium, signIn, trackRequests } from './browser.ts'
import { type DevStack, startDevStack } from './dev-stack.ts'

const distDir = join(import.meta.dir, '../dist')
const shotsDir = join(import.meta.dir, '../test-results/journey')
const desktop = { width: 1280, height: 800 }
const phone = { width: 390, height: 844 }
const quentin = 'quentin.novak@democo.example'
const ada = 'ada.meyer@democo.example'

const db = await createTestDatabase()
let stack: DevStack
let browser: Browser
const errors: string[] = []
/** Every serious or critical accessibility violation found on the way, reported by the last test. */
const a11yProblems: string[] = []
const scanned: string[] = []
const requestTrackers = new WeakMap<Page, ReturnType<typeof trackRequests>>()

beforeAll(async () => {
  rmSync(shotsDir, { recursive: true, force: true })
  mkdirSync(shotsDir, { recursive: true })
  ;[stack, browser] = await Promise.all([
    startDevStack({ distDir, dynamoEndpoint: testEndpoint(), tableName: db.tableName }),
    launchChromium(),
  ])
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
  await db.drop()
})

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  // Reduced motion: Cloudscape then skips its transitions, so a scan right after a color-mode switch sees the final
  // colors.
  const context = await browser.newContext({
    viewport: desktop,
    colorScheme: 'light',
    reducedMotion: 'reduce',
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => errors.push(error.message))
  requestTrackers.set(page, trackRequests(page))
  return { context, page }
}

/**
 * axe-core on the page as it is once its requests have settled (every rule, or only `rules`); findings are
 * collected, not thrown.
 */
async function scan(page: Page, name: string, rules?: string[]) {
  await requestTrackers.get(page)?.quiet()
  a11yProblems.push(...(await accessibilityProblems(page, name, rules)))
  scanned.push(name)
}

let shotCount = 0
/** The whole page from its top (a full-page shot of a scrolled page draws the sticky frame mid-page). */
async function shot(page: Page, file: string) {
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(shotsDir, file), fullPage: true, animations: 'disabled' })
}

/** "Wed, 1 Apr 2099", as the app writes a calendar date. */
const calendarDate = (date: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(`${date}T00:00:00Z`))

/**
 * The four variants of a page of the app (inside its frame) in the state it is in: light and dark with the app's
 * own button, then at phone width, where Cloudscape closes the side navigation (reopened afterwards). Each is
 * saved, and scanned with axe: every rule in light mode, the color rules again in dark mode, every rule at phone
 * width in dark mode (a layout of its own: AppLayout's mobile toolbar); light at phone width is the same markup
 * with colors already checked.
 */
async function captureAppPage(page: Page, name: string) {
  const prefix = `${String(++shotCount).padStart(2, '0')}-${name}`
  await scan(page, `${name}-light`)
  await shot(page, `${prefix}-light-desktop.png`)
  await switchColorMode(page, 'dark')
  await scan(page, `${name}-dark`, colorRules)
  await shot(page, `${prefix}-dark-desktop.png`)
  await page.setViewportSize(phone)
  await page.getByRole('button', { name: 'Open side navigation' }).waitFor()
  await scan(page, `${name}-dark-390`)
  await shot(page, `${prefix}-dark-390.png`)
  await switchColorMode(page, 'light')
  await shot(page, `${prefix}-light-390.png`)
  await page.setViewportSize(desktop)
  await page.getByRole('button', { name: 'Open side navigation' }).click()
  await page.getByRole('button', { name: 'Close side navigation' }).waitFor()
}

/**
 * A page the journey itself does not pass: scanned in light mode (every rule) and dark mode (the color rules), no
 * screenshots. The phone-width frame is the same on every page and is scanned on the journey's own pages.
 */
async function scanAppPage(page: Page, name: string) {
  await scan(page, `${name}-light`)
  await switchColorMode(page, 'dark')
  await scan(page, `${name}-dark`, colorRules)
  await switchColorMode(page, 'light')
}

async function switchColorMode(page: Page, mode: 'light' | 'dark') {
  await page.getByRole('button', { name: `Switch to ${mode} mode` }).click()
  await page.locator(mode === 'dark' ? 'body.awsui-dark-mode' : 'body:not(.awsui-dark-mode)').waitFor({
    state: 'attached',
  })
}

/**
 * A page outside the app's frame (sign-in): it follows the system's color scheme, so dark is the same page loaded
 * again with a dark system preference. `ready` waits for its content.
 */
async function captureStandalonePage(page: Page, name: string, ready: () => Promise<void>) {
  const prefix = `${String(++shotCount).padStart(2, '0')}-${name}`
  for (const mode of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: mode })
    if (mode === 'dark') {
      await page.reload()
      await ready()
      await page.locator('body.awsui-dark-mode').waitFor({ state: 'attached' })
    }
    await scan(page, `${name}-${mode}`, mode === 'dark' ? colorRules : undefined)
    await shot(page, `${prefix}-${mode}-desktop.png`)
    await page.setViewportSize(phone)
    await shot(page, `${prefix}-${mode}-390.png`)
    await page.setViewportSize(desktop)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/**
 * The identity provider's own page has no dark mode: light at both widths. It is oidc-provider's development page
 * (local mode only; in production a person signs in at Google, Cognito or their own issuer), not Percolate's: not
 * scanned.
 */
async function captureProviderPage(page: Page) {
  const prefix = `${String(++shotCount).padStart(2, '0')}-identity-provider`
  await shot(page, `${prefix}-light-desktop.png`)
  await page.setViewportSize(phone)
  await shot(page, `${prefix}-light-390.png`)
  await page.setViewportSize(desktop)
}

/** A tRPC query as the signed-in browser makes it (the context's cookies). */
async function query<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${stack.webOrigin}/trpc/${path}`)
  expect(response.status()).toBe(200)
  return ((await response.json()) as { result: { data: T } }).result.data
}

async function signOut(page: Page, name: string) {
  await page.getByRole('button', { name }).click()
  await page.getByRole('menuitem', { name: 'Sign out' }).click()
  await page.waitForURL(`${stack.webOrigin}/sign-in`)
  await page.getByRole('heading', { name: 'Sign in to Percolate' }).waitFor()
}

async function goTo(page: Page, link: string, heading: string) {
  await page.getByRole('navigation', { name: 'Side navigation' }).getByRole('link', { name: link }).click()
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
}

describe('issue 8: a first sign-in, a meeting, a pause, and groups of three', () => {
  let page: Page
  let partners: string[] = []
  let pausedUntil = ''

  it('signs Quentin in through the local identity provider, into onboarding', async () => {
    ;({ page } = await newPage())
    await page.goto(`${stack.webOrigin}/`)
    await page.waitForURL(`${stack.webOrigin}/sign-in?returnTo=%2F`)
    const signInReady = () => page.getByRole('link', { name: 'Sign in with Local demo account' }).waitFor()
    await signInReady()
    await captureStandalonePage(page, 'sign-in', signInReady)
    await page.getByRole('link', { name: 'Sign in with Local demo account' }).click()
    await page.getByRole('heading', { name: 'Local identity provider' }).waitFor()
    await captureProviderPage(page)
    await fillProviderForm(page, quentin)
    // The demo seed matched him but he has never signed in: the wizard comes first.
    await page.waitForURL(`${stack.webOrigin}/onboarding`)
  })

  it('takes him through the wizard: profile, preferences, channels, done', async () => {
    const wizard = page.getByRole('main')
    const stepHeading = (title: string) => wizard.getByRole('heading', { name: title, level: 1 })
    await stepHeading('Your profile').waitFor()
    await page.getByText('Welcome, Quentin Novak.').waitFor()
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Quentin Novak')
    await captureAppPage(page, 'onboarding-profile')
    await page.getByRole('button', { name: 'Next' }).click()

    await stepHeading('Your preferences').waitFor()
    await captureAppPage(page, 'onboarding-preferences')
    await page.getByRole('button', { name: 'Next' }).click()

    await stepHeading('How to reach you').waitFor()
    // The demo workspace offers every channel: email is on, and he adds Signal.
    for (const label of ['Email', 'Slack member id', 'Telegram chat id', 'Signal phone number']) {
      await wizard.getByText(label, { exact: true }).waitFor()
    }
    await page.getByLabel('Signal phone number').fill('+491701234567')
    await captureAppPage(page, 'onboarding-channels')
    await page.getByRole('button', { name: 'Next' }).click()

    await stepHeading('Done').waitFor()
    await wizard.getByText('Email, Signal').waitFor()
    await captureAppPage(page, 'onboarding-done')
    await page.getByRole('button', { name: 'Start meeting people' }).click()
    await page.waitForURL(`${stack.webOrigin}/`)
    await page.getByText('You are all set: meet your group for this round below.').waitFor()
  })

  it('shows his demo match on the dashboard', async () => {
    const current = await query<{ people: { name: string }[] } | null>(page, 'matches.current')
    expect(current).not.toBeNull()
    partners = current!.people.map((person) => person.name)
    expect(partners.length).toBeGreaterThan(0)
    await page.getByRole('heading', { name: 'Hello, Quentin', level: 1 }).waitFor()
    await page.getByRole('heading', { name: 'Your group this round' }).waitFor()
    for (const name of partners) await page.getByText(name, { exact: true }).waitFor()
    await page.getByText('Every active member is grouped automatically').waitFor()
    // His match notification (the demo's latest round queued it).
    await page.getByRole('list', { name: 'Latest notifications' }).waitFor()
    await captureAppPage(page, 'dashboard')
  })

  it('marks "We met", and History shows that round as met', async () => {
    await page.getByRole('button', { name: 'We met' }).click()
    await page.getByText('Glad you met! Noted.').waitFor()
    await page.getByText('Met', { exact: true }).waitFor()
    await captureAppPage(page, 'dashboard-met')

    await goTo(page, 'History', 'History')
    const round = page.getByRole('row').filter({ hasText: partners.join(', ') })
    await round.getByText('Met', { exact: true }).waitFor()
    expect(await round.getByText('Not reported yet').count()).toBe(0)
    await captureAppPage(page, 'history')
  })

  it('pauses him until a date, and the dashboard says so after a reload', async () => {
    await goTo(page, 'Dashboard', 'Hello, Quentin')
    // Six weeks from now: after today in any time zone.
    pausedUntil = new Date(Date.now() + 42 * 86_400_000).toISOString().slice(0, 10)
    // The date picker's calendar, open (its month arrows and days need names too).
    await page.getByRole('button', { name: /^Choose a date/ }).click()
    await page.getByRole('button', { name: 'Next month' }).waitFor()
    await scan(page, 'dashboard-calendar-light')
    await page.keyboard.press('Escape')
    await page.getByLabel('Pause until', { exact: true }).fill(pausedUntil.replaceAll('-', '/'))
    await page.getByRole('button', { name: 'Pause until this date' }).click()
    await page.getByText(`Paused until ${calendarDate(pausedUntil)}.`).waitFor()
    await page.reload()
    const description = `Paused: you are back in the rounds from ${calendarDate(pausedUntil)}.`
    await page.getByText(description).waitFor()
    expect(await page.getByLabel('Take part in rounds', { exact: true }).isChecked()).toBe(false)
    await page.getByRole('list', { name: 'Latest notifications' }).waitFor()
    await captureAppPage(page, 'dashboard-paused')
  })

  it('signs him out', async () => {
    await signOut(page, 'Quentin Novak')
    await page.context().close()
  })

  it('lets the admin make groups of 3 and preview the next round', async () => {
    // Ada signs in from her own browser (the identity provider still remembers Quentin in his).
    ;({ page } = await newPage())
    await page.goto(`${stack.webOrigin}/`)
    await signIn(page, ada)
    await page.waitForURL(`${stack.webOrigin}/`)
    await page.getByRole('heading', { name: 'Hello, Ada', level: 1 }).waitFor()

    await goTo(page, 'Workspace settings', 'Workspace settings')
    const size = page.getByLabel('Meeting size')
    expect(await size.inputValue()).toBe('2')
    await size.fill('3')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect((await query<{ meetingSize: number }>(page, 'me.workspace')).meetingSize).toBe(3)
    await captureAppPage(page, 'admin-settings')

    await goTo(page, 'Rounds', 'Rounds')
    await page.getByRole('button', { name: 'Preview next round' }).click()
    await page.getByRole('heading', { name: 'Next round preview' }).waitFor()
    const groups = page.getByRole('list', { name: /^Members of group \d+$/ })
    await groups.first().waitFor({ timeout: 30_000 })
    const sizes = await Promise.all((await groups.all()).map((group) => group.getByRole('listitem').count()))
    // Groups of 3; with "make some groups larger", the remainder joins groups of 4.
    const participants = sizes.reduce((sum, n) => sum + n, 0)
    expect(sizes.filter((n) => n !== 3 && n !== 4)).toEqual([])
    expect(sizes.filter((n) => n === 4)).toHaveLength(participants % 3)
    // Quentin paused himself: he is not in the next round.
    expect(
      await page
        .getByRole('list', { name: /^Members of group/ })
        .getByText('Quentin Novak')
        .count(),
    ).toBe(0)
    await captureAppPage(page, 'admin-rounds-preview')
  })

  it('scans the pages the journey does not pass, as the admin', async () => {
    // History itself was scanned on Quentin's way; its feedback form here.
    await goTo(page, 'History', 'History')
    await page
      .getByRole('button', { name: /^Give feedback on the round of/ })
      .first()
      .click()
    await page.getByRole('dialog').getByRole('heading', { name: 'How was it?' }).waitFor()
    await scan(page, 'history-feedback-light')
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()

    await goTo(page, 'Profile and preferences', 'Profile and preferences')
    await scanAppPage(page, 'profile')
    await page.getByRole('button', { name: 'Delete my account' }).click()
    await page.getByRole('dialog').waitFor()
    await scan(page, 'profile-delete-light')
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()

    await goTo(page, 'Notification channels', 'Notification channels')
    await scanAppPage(page, 'channels')

    await goTo(page, 'API tokens', 'API tokens')
    await scanAppPage(page, 'api-tokens')
    await page.getByRole('button', { name: 'Create token' }).click()
    await page.getByRole('dialog').getByLabel('Name').waitFor()
    await scan(page, 'api-tokens-create-light')
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()

    await goTo(page, 'Members', 'Members')
    await page.getByRole('cell', { name: 'Ada Meyer' }).first().waitFor()
    await scanAppPage(page, 'admin-members')
    await goTo(page, 'Notifications', 'Notifications')
    await scanAppPage(page, 'admin-notifications')
    await goTo(page, 'Stats', 'Stats')
    await scanAppPage(page, 'admin-stats')

    await page.goto(`${stack.webOrigin}/nowhere`)
    await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor()
    await scanAppPage(page, 'not-found')
  })

  it('signs her out', async () => {
    await signOut(page, 'Ada Meyer')
    await page.context().close()
  })

  it('sent Quentin the email about his match through the local SES', async () => {
    // The dev worker sends what the outbox holds every 5 s; by now his has long gone out.
    type Stored = { destination: { to: string[] }; subject: string }
    const deadline = Date.now() + 30_000
    let mail: Stored | undefined
    while (!mail && Date.now() < deadline) {
      const { emails } = (await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: Stored[] }
      mail = emails.find((email) => email.destination.to.includes(quentin))
      if (!mail) await Bun.sleep(500)
    }
    expect(mail).toBeDefined()
    for (const name of partners) expect(mail!.subject).toContain(name.split(' ')[0]!)
    expect(errors).toEqual([])
  })

  it('found no serious or critical accessibility violation on any page (axe-core)', () => {
    // Every page of the app and its states, in light and dark (and the journey's own pages dark at 390 px too).
    expect(scanned.length).toBeGreaterThanOrEqual(45)
    if (a11yProblems.length > 0) {
      throw new Error(
        `axe-core ${axeVersion}: ${a11yProblems.length} serious or critical violations (reports in test-results/axe/):\n${a11yProblems.join('\n')}`,
      )
    }
  })
})

// End to end in headless Chromium: the built web app, one origin with the real API on DynamoDB Local.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createTestDatabase, testEndpoint } from '@percolate/db/testing'
import type { Browser } from 'playwright-core'
import { expectAccessible } from './axe.ts'
import { launchChromium, signIn } from './browser.ts'
import { startLocalApi } from './local-api.ts'
import { serveWeb } from './serve-web.ts'

const distDir = join(import.meta.dir, '../dist')
const resultsDir = join(import.meta.dir, '../test-results')

const db = await createTestDatabase()
let apiUrl = ''
const web = serveWeb(distDir, () => apiUrl)
const webOrigin = `http://127.0.0.1:${web.port}`
const api = await startLocalApi({
  dynamoEndpoint: testEndpoint(),
  tableName: db.tableName,
  publicUrl: webOrigin,
})
apiUrl = api.url

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
  mkdirSync(resultsDir, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  web.stop(true)
  await api.stop()
  await db.drop()
})

describe('the app in Chromium', () => {
  it('signs in through the local provider, shows the app, signs out, and guards pages', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${webOrigin}/`)
    await page.waitForURL(`${webOrigin}/sign-in?returnTo=%2F`)
    await page.getByRole('link', { name: 'Sign in with Local demo account' }).waitFor({ timeout: 15_000 })
    await page.screenshot({ path: join(resultsDir, 'sign-in.png'), fullPage: true })
    await signIn(page)
    await page.waitForURL(`${webOrigin}/`)
    // The dashboard: Ada's group of the demo's latest round.
    await page.getByRole('heading', { name: 'Your group this round' }).waitFor({ timeout: 15_000 })
    expect(await page.getByRole('heading', { name: 'Hello, Ada' }).isVisible()).toBe(true)
    expect(await page.getByRole('navigation', { name: 'Breadcrumbs' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'We met' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Ada Meyer' }).isVisible()).toBe(true)
    await page.screenshot({ path: join(resultsDir, 'home.png'), fullPage: true })
    // Sign out, from the user menu.
    await page.getByRole('button', { name: 'Ada Meyer' }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL(`${webOrigin}/sign-in`)
    // A protected page now sends you to sign-in, and back there afterwards.
    await page.goto(`${webOrigin}/history?round=2`)
    await page.waitForURL(`${webOrigin}/sign-in?returnTo=%2Fhistory%3Fround%3D2`)
    await signIn(page, 'ada.meyer@democo.example', true)
    await page.waitForURL(`${webOrigin}/history?round=2`)
    await page.getByRole('heading', { name: 'History' }).waitFor({ timeout: 15_000 })
    await page.goto(`${webOrigin}/nowhere`)
    await page.getByRole('heading', { name: 'Page not found' }).waitFor({ timeout: 15_000 })
    expect(errors).toEqual([])
    await page.close()
  })

  it('refreshes the session silently when the access token is gone', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${webOrigin}/`)
    await signIn(page)
    await page.getByRole('button', { name: 'Ada Meyer' }).waitFor({ timeout: 15_000 })
    // As if the 15-minute access token had run out: only the refresh cookie is left.
    await context.clearCookies({ name: 'percolate-access' })
    const refreshes: number[] = []
    page.on('response', (response) => {
      if (response.url().endsWith('/auth/refresh')) refreshes.push(response.status())
    })
    await page.reload()
    await page.getByRole('button', { name: 'Ada Meyer' }).waitFor({ timeout: 15_000 })
    expect(refreshes).toEqual([200])
    expect((await context.cookies()).some((cookie) => cookie.name === 'percolate-access')).toBe(true)
    await context.close()
  })

  it('creates an API token shown once, which works as a Bearer token, and revokes it', async () => {
    const page = await browser.newPage()
    await page.goto(`${webOrigin}/settings/api-tokens`)
    await signIn(page, 'chiara.nowak@democo.example')
    await page.waitForURL(`${webOrigin}/settings/api-tokens`)
    await page.getByRole('button', { name: 'Create token' }).click()
    await page.getByLabel('Name').fill('stats script')
    await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click()
    const secret = (await page.getByText(/^pct\.demo\./).textContent())!.trim()
    await page.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('cell', { name: 'stats script', exact: true }).waitFor({ timeout: 15_000 })
    const me = await fetch(`${webOrigin}/trpc/auth.me`, { headers: { authorization: `Bearer ${secret}` } })
    expect(((await me.json()) as { result: { data: { name: string } } }).result.data.name).toBe(
      'Chiara Nowak',
    )
    await page.getByRole('button', { name: 'Revoke stats script' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click()
    await page.getByText('Token “stats script” revoked.').waitFor({ timeout: 15_000 })
    const after = await fetch(`${webOrigin}/trpc/auth.me`, { headers: { authorization: `Bearer ${secret}` } })
    expect(after.status).toBe(401)
    await page.close()
  })

  it('welcomes a newcomer on their first sign-in', async () => {
    const page = await browser.newPage()
    await page.goto(`${webOrigin}/`)
    await signIn(page, 'new.joiner@democo.example')
    await page.waitForURL(`${webOrigin}/onboarding`)
    // The onboarding wizard's first step.
    await page.getByRole('heading', { name: 'Your profile' }).first().waitFor({ timeout: 15_000 })
    expect(await page.getByText('Welcome, New Joiner.').isVisible()).toBe(true)
    await page.close()
  })

  it('explains why an account from another domain cannot join', async () => {
    const page = await browser.newPage()
    await page.goto(`${webOrigin}/`)
    await signIn(page, 'olga@elsewhere.example')
    await page.waitForURL(`${webOrigin}/sign-in?error=domain`)
    await page.getByText('This account cannot join this workspace').waitFor({ timeout: 15_000 })
    await expectAccessible(page, 'sign-in-error')
    await page.close()
  })

  it('tells the person when the server cannot be reached', async () => {
    const page = await browser.newPage()
    await page.route('**/trpc/**', (route) => route.abort())
    await page.goto(`${webOrigin}/`)
    await page.getByText('Percolate cannot reach its server').waitFor({ timeout: 20_000 })
    await expectAccessible(page, 'server-unreachable')
    await page.close()
  })
})

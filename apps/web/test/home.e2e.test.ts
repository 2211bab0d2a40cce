// End to end in headless Chromium: the built web app, one origin with the real API on DynamoDB Local.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { findFreePort } from '@percolate/db/local-dynamodb'
import { createTestDatabase, testEndpoint } from '@percolate/db/testing'
import { type Browser, chromium } from 'playwright-core'
import { serveWeb } from './serve-web.ts'

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const distDir = join(import.meta.dir, '../dist')
const resultsDir = join(import.meta.dir, '../test-results')

const db = await createTestDatabase()
const api = await startApi()
const web = serveWeb(distDir, api.url)

/** The real server process, as an operator runs it (apps are not imported into each other). */
async function startApi() {
  const port = await findFreePort()
  const child = Bun.spawn(['bun', join(import.meta.dir, '../../server/src/main.ts')], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PERCOLATE_MODE: 'local',
      HOST: '127.0.0.1',
      PORT: String(port),
      DYNAMODB_ENDPOINT: testEndpoint(),
      DYNAMODB_TABLE: db.tableName,
      LOCAL_OIDC_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdout: 'inherit',
    stderr: 'inherit',
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`)
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break
    await Bun.sleep(100)
  }
  return {
    url,
    stop: async () => {
      child.kill()
      await child.exited
    },
  }
}
let browser: Browser

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run \`make deps\` (installs Debian's chromium)`)
  }
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  mkdirSync(resultsDir, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  web.stop(true)
  await api.stop()
  await db.drop()
})

describe('home page in Chromium', () => {
  it("shows the app frame and the server's health, read through tRPC", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`http://127.0.0.1:${web.port}/`)
    await page.getByText('Operational').waitFor({ timeout: 15_000 })
    expect(await page.getByRole('heading', { name: 'Welcome to Percolate' }).isVisible()).toBe(true)
    expect(await page.getByRole('navigation', { name: 'Breadcrumbs' }).isVisible()).toBe(true)
    expect(await page.getByText('Up', { exact: true }).isVisible()).toBe(true)
    expect(await page.getByText('0.1.0 (local mode)').isVisible()).toBe(true)
    await page.screenshot({ path: join(resultsDir, 'home.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('tells the person when the server cannot be reached', async () => {
    const page = await browser.newPage()
    await page.route('**/trpc/**', (route) => route.abort())
    await page.goto(`http://127.0.0.1:${web.port}/`)
    await page.getByText('Percolate cannot reach its server').waitFor({ timeout: 20_000 })
    expect(await page.getByText('Unreachable').isVisible()).toBe(true)
    await page.close()
  })

  it('shows a not-found page for an unknown address', async () => {
    const page = await browser.newPage()
    await page.goto(`http://127.0.0.1:${web.port}/no/such/page`)
    await page.getByRole('heading', { name: 'Page not found' }).waitFor({ timeout: 15_000 })
    await page.close()
  })
})

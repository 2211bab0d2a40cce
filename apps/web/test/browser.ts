// What the end-to-end tests share: Debian's Chromium driven by playwright-core, and signing in through the local
// identity provider as a person does.
import { existsSync } from 'node:fs'
import { type Browser, chromium, type Page, type Request } from 'playwright-core'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: run \`make deps-test\` (installs Debian's chromium)`,
    )
  }
  return chromium.launch({
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
}

/** The password of every local demo account. */
export const DEMO_PASSWORD = 'percolate-demo'

/**
 * Signs in through the local identity provider as a demo member, like a person would. With `providerSession`,
 * the provider still remembers them (signing out of Percolate does not sign out of the provider): no form.
 */
export async function signIn(page: Page, email = 'ada.meyer@democo.example', providerSession = false) {
  await page.getByRole('heading', { name: 'Sign in to Percolate' }).waitFor({ timeout: 15_000 })
  await page.getByRole('link', { name: 'Sign in with Local demo account' }).click()
  if (providerSession) return
  await fillProviderForm(page, email)
}

/** The local identity provider's own sign-in form. */
export async function fillProviderForm(page: Page, email: string) {
  await page.getByRole('heading', { name: 'Local identity provider' }).waitFor({ timeout: 15_000 })
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/**
 * Follows a page's requests: `quiet()` waits until none has been in flight for `idleMs` (a page that loads its
 * lists in the background has settled), at most `timeoutMs`.
 */
export function trackRequests(page: Page): { quiet: (idleMs?: number, timeoutMs?: number) => Promise<void> } {
  const pending = new Set<Request>()
  let lastChange = Date.now()
  page.on('request', (request) => {
    pending.add(request)
    lastChange = Date.now()
  })
  const done = (request: Request) => {
    pending.delete(request)
    lastChange = Date.now()
  }
  page.on('requestfinished', done)
  page.on('requestfailed', done)
  // A new document: what the old one had in flight is gone with it (Chromium does not always report those).
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return
    for (const request of pending) if (!request.isNavigationRequest()) pending.delete(request)
    lastChange = Date.now()
  })
  return {
    quiet: async (idleMs = 300, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs
      while (pending.size > 0 || Date.now() - lastChange < idleMs) {
        if (Date.now() > deadline) {
          throw new Error(
            `requests still in flight after ${timeoutMs} ms: ${[...pending].map((r) => r.url())}`,
          )
        }
        await Bun.sleep(50)
      }
    },
  }
}

import { describe, expect, it } from 'bun:test'
import { aMember, signedInAs } from '../testing/fixtures.ts'
import { renderApp, waitFor, waitForElement } from '../testing/render-app.tsx'
import { ServerError } from '../testing/trpc-test-link.ts'

describe('app shell', () => {
  it('shows a member their pages, without the admin section', async () => {
    const app = renderApp('/nowhere')
    const nav = await waitForElement(() => app.wrapper.findSideNavigation())
    const text = nav.getElement().textContent
    for (const page of [
      'Dashboard',
      'History',
      'Profile and preferences',
      'Notification channels',
      'API tokens',
    ]) {
      expect(text).toContain(page)
    }
    expect(text).not.toContain('Admin')
  })

  it('navigates inside the app from the side navigation', async () => {
    const app = renderApp('/nowhere', { matches: { history: () => ({ matches: [], nextCursor: null }) } })
    const nav = await waitForElement(() => app.wrapper.findSideNavigation())
    nav.findLinkByHref('/history')!.click()
    await waitFor(() => expect(app.router.state.location.pathname).toBe('/history'))
    await waitFor(() =>
      expect(app.wrapper.findBreadcrumbGroup()?.getElement().textContent).toContain('History'),
    )
  })

  it('switches to dark mode and remembers it', async () => {
    const app = renderApp('/nowhere')
    const toggle = await waitForElement(() => app.queryByRole('button', { name: 'Switch to dark mode' }))
    toggle.click()
    await waitFor(() => expect(document.body.classList.contains('awsui-dark-mode')).toBe(true))
    expect(localStorage.getItem('percolate.colorMode')).toBe('dark')
    app.getByRole('button', { name: 'Switch to light mode' }).click()
    await waitFor(() => expect(document.body.classList.contains('awsui-dark-mode')).toBe(false))
  })

  it('sends a member who has not finished onboarding to the wizard', async () => {
    const app = renderApp('/history', {}, { member: aMember({ onboarded: false }) })
    await waitFor(() => expect(app.router.state.location.pathname).toBe('/onboarding'))
  })

  it('says when the server cannot be reached, under its own h1, and tries again on request', async () => {
    let down = true
    const app = renderApp('/nowhere', {
      auth: {
        me: () => {
          if (down) throw new ServerError('SERVICE_UNAVAILABLE', 'down')
          return signedInAs(aMember())
        },
      },
    })
    const heading = await waitForElement(() =>
      app.queryByRole('heading', { level: 1, name: 'Percolate cannot reach its server' }),
    )
    expect(app.getByRole('main').contains(heading)).toBe(true)
    expect(app.wrapper.findAlert()?.getElement().textContent).toContain('then try again')
    down = false
    app.getByRole('button', { name: 'Try again' }).click()
    await waitForElement(() => app.queryByRole('heading', { level: 1, name: 'Page not found' }))
    expect(app.queryByRole('heading', { name: 'Percolate cannot reach its server' })).toBeNull()
  })
})

import { describe, expect, it } from 'bun:test'
import { renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { ServerError } from '../../testing/trpc-test-link.ts'

const demo = {
  id: 'demo',
  name: 'Demo Co',
  providers: [{ key: 'local', kind: 'local' as const, label: 'Local demo account' }],
}

describe('sign-in', () => {
  it('sends a signed-out person to sign in, coming back where they were going', async () => {
    const app = renderApp('/history', {
      auth: {
        me: () => {
          throw new ServerError('UNAUTHORIZED', 'Sign in to continue.')
        },
        signInOptions: () => [demo],
      },
    })
    const button = await waitForElement(() =>
      app.queryByRole('link', { name: 'Sign in with Local demo account' }),
    )
    expect(app.router.state.location.search).toBe('?returnTo=%2Fhistory')
    expect(button.getAttribute('href')).toBe('/auth/login/local?deployment=demo&returnTo=%2Fhistory')
  })

  it('asks for the workspace first when the server hosts several', async () => {
    const app = renderApp('/sign-in', {
      auth: { signInOptions: () => [demo, { ...demo, id: 'acme', name: 'Acme' }] },
    })
    const select = await waitForElement(() => app.wrapper.findSelect())
    expect(app.queryByRole('link', { name: /Sign in with/ })).toBeNull()
    select.openDropdown()
    select.selectOptionByValue('acme')
    const button = await waitForElement(() =>
      app.queryByRole('link', { name: 'Sign in with Local demo account' }),
    )
    expect(button.getAttribute('href')).toContain('deployment=acme')
  })

  it('explains why the last sign-in did not work', async () => {
    const app = renderApp('/sign-in?error=domain', { auth: { signInOptions: () => [demo] } })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('This account cannot join this workspace')
  })

  it('says when the server cannot be reached', async () => {
    const app = renderApp('/sign-in', {
      auth: {
        signInOptions: () => {
          throw new ServerError('SERVICE_UNAVAILABLE', 'down')
        },
      },
    })
    await waitFor(
      () =>
        expect(app.wrapper.findAlert()?.getElement().textContent).toContain(
          'Percolate cannot reach its server',
        ),
      8_000,
    )
  })
})

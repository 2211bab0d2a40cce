import { describe, expect, it } from 'bun:test'
import { findFormField, renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { invalidInput, ServerError } from '../../testing/trpc-test-link.ts'
import type { RouterOutputs } from '../../trpc.ts'

type Token = RouterOutputs['tokens']['list'][number]

const aToken = (overrides: Partial<Token> = {}): Token => ({
  id: '6f1c2a3b-0000-4000-8000-000000000001',
  name: 'stats script',
  status: 'active',
  createdAt: '2026-03-01T10:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  ...overrides,
})

describe('API tokens', () => {
  it('says there are none yet', async () => {
    const app = renderApp('/settings/api-tokens', { tokens: { list: () => [] } })
    await waitFor(() =>
      expect(app.wrapper.findTable()?.findEmptySlot()?.getElement().textContent).toContain('No tokens'),
    )
  })

  it('creates a token and shows its secret once', async () => {
    const app = renderApp('/settings/api-tokens', {
      tokens: {
        list: () => [],
        create: () => ({ id: aToken().id, token: 'pct.demo.secret', expiresAt: null }),
      },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Create token' }))).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    findFormField(modal, 'Name')!.findControl()!.findInput()!.setInputValue('ci')
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() =>
      expect(app.wrapper.findModal()?.getElement().textContent).toContain('pct.demo.secret'),
    )
    expect(app.inputsOf('tokens.create')).toEqual([{ name: 'ci', expiresInDays: 90 }])
    expect(app.flashes()).toContain('Token “ci” created.')
  })

  it('lists my tokens with their dates in my time zone', async () => {
    const app = renderApp('/settings/api-tokens', {
      tokens: { list: () => [aToken({ expiresAt: '2026-05-30T10:00:00.000Z' })] },
    })
    const row = await waitForElement(() => app.wrapper.findTable()?.findRows()[0])
    const text = row.getElement().textContent
    expect(text).toContain('stats script')
    expect(text).toContain('Active')
    // Ada's zone is Europe/Berlin.
    expect(text).toContain('Sun, 1 Mar 2026, 11:00 CET')
    expect(text).toContain('Sat, 30 May 2026, 12:00 CEST')
  })

  it('says when the tokens cannot be loaded, not that there are none, and tries again', async () => {
    let down = true
    const app = renderApp('/settings/api-tokens', {
      tokens: {
        list: () => {
          if (down) throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
          return [aToken()]
        },
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Could not load your tokens')
    expect(alert.getElement().textContent).toContain('The database is not reachable right now')
    const empty = app.wrapper.findTable()!.findEmptySlot()!.getElement().textContent
    expect(empty).toContain('Your tokens did not load')
    expect(empty).not.toContain('No tokens')
    down = false
    app.getByRole('button', { name: 'Try again' }).click()
    await waitFor(() => expect(app.wrapper.findTable()?.findRows()).toHaveLength(1))
    expect(app.wrapper.findAlert()).toBeNull()
  })

  it('shows a refused name next to the field', async () => {
    const app = renderApp('/settings/api-tokens', {
      tokens: {
        list: () => [],
        create: () => {
          throw invalidInput('name: is required')
        },
      },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Create token' }))).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() =>
      expect(findFormField(modal, 'Name')?.findError()?.getElement().textContent).toBe('is required'),
    )
  })

  it('revokes a token after confirming', async () => {
    const app = renderApp('/settings/api-tokens', {
      tokens: { list: () => [aToken()], revoke: () => ({ revoked: true }) },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Revoke stats script' }))).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() => expect(app.flashes()).toContain('Token “stats script” revoked.'))
    expect(app.inputsOf('tokens.revoke')).toEqual([{ id: aToken().id }])
  })

  it('says why a token could not be revoked, with the dialog out of the way', async () => {
    const app = renderApp('/settings/api-tokens', {
      tokens: {
        list: () => [aToken()],
        revoke: () => {
          throw new ServerError('NOT_FOUND', "No API token '6f1c2a3b-0000-4000-8000-000000000001' of yours")
        },
      },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Revoke stats script' }))).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() => expect(app.flashes().join()).toContain('Could not revoke “stats script”'))
    expect(app.flashes().join()).toContain("No API token '6f1c2a3b-0000-4000-8000-000000000001' of yours")
    await waitFor(() => expect(app.wrapper.findModal()).toBeNull())
  })
})

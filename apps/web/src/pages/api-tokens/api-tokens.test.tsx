import { describe, expect, it } from 'bun:test'
import { findFormField, renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { invalidInput } from '../../testing/trpc-test-link.ts'
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
})

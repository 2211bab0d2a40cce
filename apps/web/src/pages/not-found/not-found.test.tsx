import { describe, expect, it } from 'bun:test'
import { renderApp, waitForElement } from '../../testing/render-app.tsx'

describe('not found', () => {
  it('says there is nothing at an unknown address, inside the app frame', async () => {
    const app = renderApp('/nowhere')
    const heading = await waitForElement(() => app.queryByRole('heading', { name: 'Page not found' }))
    expect(heading.tagName).toBe('H1')
    expect(app.wrapper.findBreadcrumbGroup()?.getElement().textContent).toContain('Not found')
  })
})

import { describe, expect, it } from 'bun:test'
import { aMember } from '../../testing/fixtures.ts'
import { renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { type Handlers, ServerError } from '../../testing/trpc-test-link.ts'

const admin = aMember({ role: 'admin' })
const round = {
  deploymentId: 'demo',
  scheduledAt: '2026-03-02T08:00:00.000Z',
  status: 'completed' as const,
  seed: '1001',
  participantCount: 36,
  groupCount: 18,
  leftOutCount: 0,
  optedOutCount: 3,
  newPairs: 18,
  repeatedPairs: 0,
}
const preview = {
  scheduledAt: '2026-03-09T08:00:00.000Z',
  participants: 5,
  optedOut: 1,
  newConnections: 3,
  repeats: 1,
  groups: [
    {
      members: [
        { id: 'demo-01', name: 'Ada Meyer', department: 'Engineering' },
        { id: 'demo-02', name: 'Ben Rossi', department: 'Sales' },
      ],
      reason: 'Different departments, 6 shared working hours',
      repeatedPairs: 0,
    },
    {
      members: [
        { id: 'demo-03', name: 'Chiara Nowak', department: 'Marketing' },
        { id: 'demo-04', name: 'Dmitri Okafor', department: 'Finance' },
      ],
      reason: 'Everyone else met already',
      repeatedPairs: 1,
    },
  ],
  leftOut: [
    {
      id: 'demo-05',
      name: 'Elif Tanaka',
      department: 'People',
      reason: 'the remainder policy leaves one out',
    },
  ],
}

function roundsPage(handlers: Handlers['admin'] = {}) {
  return renderApp(
    '/admin/rounds',
    {
      admin: {
        rounds: () => ({ rounds: [round], nextCursor: null }),
        previewRound: () => preview,
        ...handlers,
      },
    },
    { member: admin },
  )
}

describe('rounds', () => {
  it('lists past rounds with their figures', async () => {
    const app = roundsPage()
    const row = await waitForElement(() => app.wrapper.findTable()?.findRows()[0])
    expect(row.getElement().textContent).toContain('Mon, 2 Mar 2026, 09:00 CET')
    expect(row.getElement().textContent).toContain('Completed')
    expect(row.getElement().textContent).toContain('36')
    expect(app.calls.some((call) => call.path === 'admin.previewRound')).toBe(false)
  })

  it('previews the groups of the next round on request', async () => {
    const app = roundsPage()
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Preview next round' }))).click()
    const cards = await waitForElement(() => app.wrapper.findCards()?.findItems())
    expect(cards).toHaveLength(2)
    expect(cards[0]!.getElement().textContent).toContain('Ada Meyer (Engineering)')
    expect(cards[1]!.getElement().textContent).toContain('Everyone else met already')
    expect(app.container.textContent).toContain('Elif Tanaka: the remainder policy leaves one out')
    app.getByRole('button', { name: 'Preview again' }).click()
    await waitFor(() => expect(app.inputsOf('admin.previewRound')).toHaveLength(2))
  })

  it('says why there is no preview', async () => {
    const app = roundsPage({
      previewRound: () => {
        throw new ServerError('NOT_FOUND', 'The schedule has no next round; change it under settings')
      },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Preview next round' }))).click()
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain(
      'The schedule has no next round; change it under settings',
    )
  })

  it('says when the rounds cannot be loaded, and tries again', async () => {
    let down = true
    const app = roundsPage({
      rounds: () => {
        if (down) throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
        return { rounds: [round], nextCursor: null }
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Could not load the rounds')
    expect(alert.getElement().textContent).toContain('The database is not reachable right now')
    const empty = app.wrapper.findTable()!.findEmptySlot()!.getElement().textContent
    expect(empty).toContain('The rounds did not load')
    expect(empty).not.toContain('No rounds yet')
    down = false
    app.getByRole('button', { name: 'Try again' }).click()
    await waitFor(() => expect(app.wrapper.findTable()?.findRows()).toHaveLength(1))
    expect(app.wrapper.findAlert()).toBeNull()
  })

  it('says there are no rounds yet', async () => {
    const app = roundsPage({ rounds: () => ({ rounds: [], nextCursor: null }) })
    await waitFor(() =>
      expect(app.wrapper.findTable()?.findEmptySlot()?.getElement().textContent).toContain('No rounds yet'),
    )
  })
})

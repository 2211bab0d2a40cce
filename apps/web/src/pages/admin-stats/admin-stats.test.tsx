import { describe, expect, it } from 'bun:test'
import { aMember, aRoundStats } from '../../testing/fixtures.ts'
import { renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { type Handlers, ServerError } from '../../testing/trpc-test-link.ts'

const admin = aMember({ role: 'admin' })

function statsPage(handlers: Handlers['admin'] = {}) {
  return renderApp(
    '/admin/stats',
    {
      admin: {
        stats: () => ({
          rounds: [
            aRoundStats(),
            aRoundStats({ scheduledAt: '2026-02-23T08:00:00.000Z', participants: 34, metRate: 0.6 }),
            aRoundStats({
              scheduledAt: '2026-02-16T08:00:00.000Z',
              status: 'skipped',
              skippedReason: 'too few people',
            }),
          ],
          nextCursor: null,
        }),
        exportCsv: () => ({ filename: 'percolate-demo-rounds.csv', csv: 'scheduledAt,participants\r\n' }),
        ...handlers,
      },
    },
    { member: admin },
  )
}

describe('stats', () => {
  it('charts participants, met rate and new connections per round, and sums up the latest', async () => {
    const app = statsPage()
    await waitFor(() => expect(app.wrapper.findAllLineCharts()).toHaveLength(2))
    expect(app.wrapper.findBarChart()).not.toBeNull()
    expect(app.inputsOf('admin.stats')).toEqual([{ limit: 52 }])
    const summary = app.wrapper.findKeyValuePairs()!.getElement().textContent
    expect(summary).toContain('Participants36')
    expect(summary).toContain('Met75%')
    expect(summary).toContain('Average rating4.3')
  })

  it('downloads the CSV', async () => {
    const app = statsPage()
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Export CSV' }))).click()
    await waitFor(() => expect(app.flashes()).toContain('Downloaded percolate-demo-rounds.csv.'))
  })

  it('says when the CSV cannot be made', async () => {
    const app = statsPage({
      exportCsv: () => {
        throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
      },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Export CSV' }))).click()
    await waitFor(() => expect(app.flashes().join()).toContain('Could not export the CSV'))
  })

  it('says there is nothing to chart before the first round', async () => {
    const app = statsPage({ stats: () => ({ rounds: [], nextCursor: null }) })
    await waitFor(() => expect(app.container.textContent).toContain('Charts appear after the first round.'))
    expect(app.wrapper.findLineChart()).toBeNull()
  })
})

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

  it('draws each chart with its series, oldest round first and skipped rounds left out', async () => {
    const app = statsPage()
    await waitFor(() => expect(app.wrapper.findAllLineCharts()).toHaveLength(2))
    const legend = (chart: { findLegend(): { findItems(): { getElement(): Element }[] } | null }) =>
      chart
        .findLegend()!
        .findItems()
        .map((item) => item.getElement().textContent?.trim())
    const [participants, metRate] = app.wrapper.findAllLineCharts()
    const newConnections = app.wrapper.findBarChart()!
    expect(legend(participants!)).toEqual(['Participants', 'Paused or not in'])
    expect(legend(metRate!)).toEqual(['Met rate'])
    expect(legend(newConnections)).toEqual(['New connections', 'Repeats'])
    expect(newConnections.findXTicks().map((tick) => tick.getElement().textContent)).toEqual([
      '23 Feb 2026',
      '2 Mar 2026',
    ])
  })

  it('names each chart and its kind for screen readers', async () => {
    const app = statsPage()
    await waitFor(() => expect(app.wrapper.findAllLineCharts()).toHaveLength(2))
    const charts = Array.from(document.querySelectorAll('[aria-roledescription$=" chart"]')).map(
      (chart) => `${chart.getAttribute('aria-label')}: ${chart.getAttribute('aria-roledescription')}`,
    )
    expect(charts).toEqual([
      'Participants per round: line chart',
      'Met rate per round: line chart',
      'New connections per round: bar chart',
    ])
  })

  it('says when the stats cannot be loaded, and tries again', async () => {
    let down = true
    const app = statsPage({
      stats: () => {
        if (down) throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
        return { rounds: [aRoundStats()], nextCursor: null }
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Could not load the stats')
    expect(alert.getElement().textContent).toContain('The database is not reachable right now')
    expect(app.container.textContent).not.toContain('No rounds yet')
    down = false
    app.getByRole('button', { name: 'Try again' }).click()
    await waitFor(() => expect(app.wrapper.findAllLineCharts()).toHaveLength(2))
    expect(app.wrapper.findAlert()).toBeNull()
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

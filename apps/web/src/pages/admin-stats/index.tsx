// Stats (admins): participants and met rate per round, new connections, and a CSV of the last 52 rounds.
import BarChart from '@cloudscape-design/components/bar-chart'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import ColumnLayout from '@cloudscape-design/components/column-layout'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Header from '@cloudscape-design/components/header'
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs'
import LineChart from '@cloudscape-design/components/line-chart'
import SpaceBetween from '@cloudscape-design/components/space-between'
import { useState } from 'react'
import { useFlash } from '../../components/flash.tsx'
import { LoadError } from '../../components/load-error.tsx'
import { downloadText } from '../../lib/download.ts'
import { messageOf } from '../../lib/errors.ts'
import { formatDate } from '../../lib/time.ts'
import { type RouterOutputs, trpc } from '../../trpc.ts'

type RoundStats = RouterOutputs['admin']['stats']['rounds'][number]

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`)

/** What a screen reader announces for a chart of `kind` ("line chart", "bar chart"), and its details' close button. */
const chartStrings = (kind: 'line' | 'bar') => ({
  filterLabel: 'Filter shown data',
  filterPlaceholder: 'Filter data',
  legendAriaLabel: 'Legend',
  chartAriaRoleDescription: `${kind} chart`,
  xAxisAriaRoleDescription: 'x axis',
  yAxisAriaRoleDescription: 'y axis',
  detailPopoverDismissAriaLabel: 'Close details',
})

function Charts({ rounds, timeZone }: { rounds: RoundStats[]; timeZone: string }) {
  // Oldest first, left to right; skipped rounds have no groups to chart.
  const ran = rounds.filter((r) => r.status !== 'skipped').reverse()
  const x = (r: RoundStats) => formatDate(r.scheduledAt, timeZone)
  const common = {
    xScaleType: 'categorical' as const,
    xTitle: 'Round',
    height: 220,
    hideFilter: true,
    empty: <Box textAlign="center">No rounds yet</Box>,
  }
  const latest = rounds[0]
  return (
    <SpaceBetween size="l">
      {latest && (
        <Container header={<Header variant="h2">Latest round</Header>}>
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Round', value: formatDate(latest.scheduledAt, timeZone) },
              { label: 'Participants', value: latest.participants },
              { label: 'Groups', value: latest.groups },
              { label: 'Met', value: percent(latest.metRate) },
              { label: 'New connections', value: latest.newConnections },
              { label: 'Reported', value: latest.reported },
              {
                label: 'Average rating',
                value: latest.averageRating === null ? '—' : latest.averageRating.toFixed(1),
              },
              { label: 'Feedback notes', value: latest.notes },
            ]}
          />
        </Container>
      )}
      <ColumnLayout columns={2}>
        <Container header={<Header variant="h2">Participants per round</Header>}>
          <LineChart
            {...common}
            i18nStrings={chartStrings('line')}
            ariaLabel="Participants per round"
            yTitle="People"
            series={[
              { title: 'Participants', type: 'line', data: ran.map((r) => ({ x: x(r), y: r.participants })) },
              { title: 'Paused or not in', type: 'line', data: ran.map((r) => ({ x: x(r), y: r.optedOut })) },
            ]}
          />
        </Container>
        <Container header={<Header variant="h2">Met rate per round</Header>}>
          <LineChart
            {...common}
            i18nStrings={chartStrings('line')}
            ariaLabel="Met rate per round"
            yTitle="Met"
            yDomain={[0, 100]}
            series={[
              {
                title: 'Met rate',
                type: 'line',
                valueFormatter: (y) => `${y}%`,
                data: ran
                  .filter((r) => r.metRate !== null)
                  .map((r) => ({ x: x(r), y: Math.round(r.metRate! * 100) })),
              },
            ]}
            yTickFormatter={(y) => `${y}%`}
          />
        </Container>
      </ColumnLayout>
      <Container header={<Header variant="h2">New connections per round</Header>}>
        <BarChart
          {...common}
          i18nStrings={chartStrings('bar')}
          ariaLabel="New connections per round"
          yTitle="Pairs"
          stackedBars
          series={[
            {
              title: 'New connections',
              type: 'bar',
              data: ran.map((r) => ({ x: x(r), y: r.newConnections })),
            },
            { title: 'Repeats', type: 'bar', data: ran.map((r) => ({ x: x(r), y: r.repeats })) },
          ]}
        />
      </Container>
    </SpaceBetween>
  )
}

export default function AdminStatsPage() {
  const flash = useFlash()
  const utils = trpc.useUtils()
  const me = trpc.me.get.useQuery()
  const stats = trpc.admin.stats.useQuery({ limit: 52 })
  const [exporting, setExporting] = useState(false)
  const exportCsv = async () => {
    setExporting(true)
    try {
      const { filename, csv } = await utils.admin.exportCsv.fetch(undefined, { staleTime: 0 })
      downloadText(filename, csv, 'text/csv')
      flash.show({ id: 'export-csv', type: 'success', content: `Downloaded ${filename}.` })
    } catch (error) {
      flash.show({
        id: 'export-csv',
        type: 'error',
        header: 'Could not export the CSV',
        content: messageOf(error),
      })
    } finally {
      setExporting(false)
    }
  }

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="How the rounds go: who takes part, who meets, and how many new connections they make."
          actions={
            <Button iconName="download" loading={exporting} onClick={() => void exportCsv()}>
              Export CSV
            </Button>
          }
        >
          Stats
        </Header>
      }
    >
      {stats.isError ? (
        <LoadError
          header="Could not load the stats"
          error={stats.error}
          onRetry={() => void stats.refetch()}
        />
      ) : stats.isPending ? (
        <Container>
          <Box>Loading stats…</Box>
        </Container>
      ) : stats.data.rounds.length === 0 ? (
        <Container>
          <Box textAlign="center" padding="l">
            <b>No rounds yet</b>
            <Box variant="p">Charts appear after the first round.</Box>
          </Box>
        </Container>
      ) : (
        <Charts rounds={stats.data.rounds} timeZone={me.data?.timeZone ?? 'UTC'} />
      )}
    </ContentLayout>
  )
}

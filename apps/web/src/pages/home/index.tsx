// Home: what Percolate is, and whether the service behind it is up (the server's `health` query).
import Box from '@cloudscape-design/components/box'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Header from '@cloudscape-design/components/header'
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs'
import SpaceBetween from '@cloudscape-design/components/space-between'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import { useEffect } from 'react'
import { useFlash } from '../../components/flash.tsx'
import { trpc } from '../../trpc.ts'

export default function HomePage() {
  const health = trpc.health.useQuery(undefined, { refetchInterval: 30_000, retry: 1 })
  const flash = useFlash()

  useEffect(() => {
    if (health.isError) {
      flash.show({
        id: 'health',
        type: 'error',
        header: 'Percolate cannot reach its server',
        content: 'Check that the API is running, then reload the page.',
      })
    } else if (health.isSuccess) {
      flash.dismiss('health')
    }
  }, [health.isError, health.isSuccess, flash.show, flash.dismiss])

  const status = health.data
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Meet the colleagues you have not met yet, a small group at a time.">
          Welcome to Percolate
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Container header={<Header variant="h2">Service status</Header>}>
          <KeyValuePairs
            columns={3}
            items={[
              {
                label: 'API',
                value: health.isPending ? (
                  <StatusIndicator type="loading">Checking</StatusIndicator>
                ) : status?.status === 'ok' ? (
                  <StatusIndicator type="success">Operational</StatusIndicator>
                ) : status?.status === 'degraded' ? (
                  <StatusIndicator type="warning">Degraded</StatusIndicator>
                ) : (
                  <StatusIndicator type="error">Unreachable</StatusIndicator>
                ),
              },
              {
                label: 'Database',
                value: status ? (
                  <StatusIndicator type={status.database === 'up' ? 'success' : 'error'}>
                    {status.database === 'up' ? 'Up' : 'Down'}
                  </StatusIndicator>
                ) : (
                  '–'
                ),
              },
              {
                label: 'Version',
                value: status ? `${status.version}${status.mode === 'local' ? ' (local mode)' : ''}` : '–',
              },
            ]}
          />
        </Container>
        <Container header={<Header variant="h2">How it works</Header>}>
          <Box variant="p">
            Each round, Percolate puts the people taking part into small groups with colleagues they have not
            met, honoring their preferences, and tells each group by email or chat. Say whether you met, and
            pause whenever you need to.
          </Box>
        </Container>
      </SpaceBetween>
    </ContentLayout>
  )
}

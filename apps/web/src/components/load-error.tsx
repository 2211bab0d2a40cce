// Data that did not load: the reason and "Try again" in an Alert, and for a table an empty slot that says the
// list did not load (its "nothing yet" would be untrue: the list may well hold something).
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import { messageOf } from '../lib/errors.ts'

export function LoadError({
  header,
  error,
  onRetry,
}: {
  header: string
  error: unknown
  onRetry: () => void
}) {
  return (
    <Alert type="error" header={header} action={<Button onClick={onRetry}>Try again</Button>}>
      {messageOf(error)}
    </Alert>
  )
}

/** A table's empty slot while its data failed to load. */
export function NotLoaded({ children }: { children: string }) {
  return (
    <Box textAlign="center" color="inherit">
      <StatusIndicator type="error">{children}</StatusIndicator>
    </Box>
  )
}

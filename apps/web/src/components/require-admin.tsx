// Admin pages: the server refuses non-admins anyway; this says so plainly instead of showing empty pages.
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import { Outlet } from 'react-router'
import { useSession } from './session-gate.tsx'

export function RequireAdmin() {
  const { me } = useSession()
  if (me.role !== 'admin') {
    return (
      <Box padding={{ top: 'l' }}>
        <Alert type="warning" header="Only admins can open this page">
          Ask an admin of your workspace if you need a change to its settings or members.
        </Alert>
      </Box>
    )
  }
  return <Outlet />
}

// The footer every Percolate dialog has: "Cancel" as a link, then the dialog's own action(s), right-aligned
// (Cloudscape's modal pattern).
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import SpaceBetween from '@cloudscape-design/components/space-between'
import type { ReactNode } from 'react'

export function DialogFooter({ onCancel, children }: { onCancel: () => void; children: ReactNode }) {
  return (
    <Box float="right">
      <SpaceBetween direction="horizontal" size="xs">
        <Button variant="link" onClick={onCancel}>
          Cancel
        </Button>
        {children}
      </SpaceBetween>
    </Box>
  )
}

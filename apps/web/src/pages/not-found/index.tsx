import Box from '@cloudscape-design/components/box'
import Header from '@cloudscape-design/components/header'
import Link from '@cloudscape-design/components/link'

export default function NotFoundPage() {
  return (
    <Box padding={{ top: 'xxl' }} textAlign="center">
      <Header variant="h1">Page not found</Header>
      <Box variant="p">
        There is nothing at this address. <Link href="/">Go to the home page</Link>.
      </Box>
    </Box>
  )
}

// Where a new member lands after their first sign-in. The profile → preferences → channels wizard comes with
// the web app issue; until then this page says what happens next.
import Box from '@cloudscape-design/components/box'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Header from '@cloudscape-design/components/header'
import { useSession } from '../../components/session-gate.tsx'

export default function OnboardingPage() {
  const { me } = useSession()
  return (
    <ContentLayout header={<Header variant="h1">Welcome, {me.name}</Header>}>
      <Container header={<Header variant="h2">You are signed in</Header>}>
        <Box>
          You joined as {me.email}. Next you will set up your profile, your preferences and how you want to
          hear about your matches.
        </Box>
      </Container>
    </ContentLayout>
  )
}

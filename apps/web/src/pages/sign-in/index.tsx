// Sign-in: one button per identity provider of the workspace (several workspaces on one server: pick one first),
// and a clear explanation when a sign-in did not work.
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import FormField from '@cloudscape-design/components/form-field'
import Header from '@cloudscape-design/components/header'
import Select from '@cloudscape-design/components/select'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Spinner from '@cloudscape-design/components/spinner'
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { signInHref } from '../../session.ts'
import { trpc } from '../../trpc.ts'

const problems: Record<string, { header: string; text: string }> = {
  expired: {
    header: 'That sign-in did not finish',
    text: 'The sign-in link was already used, expired, or was started in another browser. Start again below.',
  },
  denied: {
    header: 'Your identity provider did not confirm the sign-in',
    text: 'Start again below. If it keeps happening, tell your Percolate admin.',
  },
  domain: {
    header: 'This account cannot join this workspace',
    text: 'Only accounts of the company’s own email domains can sign in here. Use your work account, or ask your Percolate admin to allow your domain.',
  },
  conflict: {
    header: 'This email already belongs to another sign-in',
    text: 'Sign in the way you did before. Your Percolate admin can help if you changed providers.',
  },
  unavailable: {
    header: 'The identity provider cannot be reached',
    text: 'Try again in a minute. If it keeps happening, tell your Percolate admin.',
  },
  unknown: { header: 'Choose how to sign in', text: 'Pick a workspace and a sign-in option below.' },
}

export default function SignInPage() {
  const [params] = useSearchParams()
  const options = trpc.auth.signInOptions.useQuery(undefined, { retry: 1 })
  const [chosen, setChosen] = useState<string | null>(null)
  const problem = problems[params.get('error') ?? '']
  const returnTo = params.get('returnTo') ?? '/'
  const workspaces = options.data ?? []
  const workspace =
    workspaces.find((w) => w.id === chosen) ?? (workspaces.length === 1 ? workspaces[0] : undefined)

  // Outside the app's frame: its own main landmark, so a screen reader's landmark list finds the form.
  return (
    <main>
      <Box padding={{ vertical: 'xxxl', horizontal: 'l' }}>
        <div style={{ maxWidth: 480, margin: '0 auto' }}>
          <ContentLayout
            header={
              <Header
                variant="h1"
                description="Meet the colleagues you have not met yet, a small group at a time."
              >
                Sign in to Percolate
              </Header>
            }
          >
            <Container>
              <SpaceBetween size="l">
                {problem && (
                  <Alert type="error" header={problem.header}>
                    {problem.text}
                  </Alert>
                )}
                {options.isPending && <Spinner size="large" />}
                {options.isError && (
                  <Alert type="error" header="Percolate cannot reach its server">
                    Check your connection and reload the page.
                  </Alert>
                )}
                {workspaces.length > 1 && (
                  <FormField label="Workspace">
                    <Select
                      selectedOption={workspace ? { value: workspace.id, label: workspace.name } : null}
                      onChange={({ detail }) => setChosen(detail.selectedOption.value ?? null)}
                      options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
                      placeholder="Choose your workspace"
                    />
                  </FormField>
                )}
                {workspace && workspace.providers.length === 0 && (
                  <Alert type="warning" header="No way to sign in is set up">
                    Ask your Percolate admin to configure an identity provider for {workspace.name}.
                  </Alert>
                )}
                {workspace && (
                  <SpaceBetween size="s">
                    {workspace.providers.map((provider) => (
                      <Button
                        key={provider.key}
                        variant="primary"
                        fullWidth
                        href={signInHref(provider.key, workspace.id, returnTo)}
                      >
                        Sign in with {provider.label}
                      </Button>
                    ))}
                  </SpaceBetween>
                )}
              </SpaceBetween>
            </Container>
          </ContentLayout>
        </div>
      </Box>
    </main>
  )
}

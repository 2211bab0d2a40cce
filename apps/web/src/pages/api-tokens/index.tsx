// Personal API tokens for typed clients and scripts: create (the secret is shown once), list, revoke.
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import ContentLayout from '@cloudscape-design/components/content-layout'
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard'
import Form from '@cloudscape-design/components/form'
import FormField from '@cloudscape-design/components/form-field'
import Header from '@cloudscape-design/components/header'
import Input from '@cloudscape-design/components/input'
import Modal from '@cloudscape-design/components/modal'
import Select from '@cloudscape-design/components/select'
import SpaceBetween from '@cloudscape-design/components/space-between'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import Table from '@cloudscape-design/components/table'
import { useState } from 'react'
import { DialogFooter } from '../../components/dialog-footer.tsx'
import { useFlash } from '../../components/flash.tsx'
import { LoadError, NotLoaded } from '../../components/load-error.tsx'
import { modalCloseLabel } from '../../lib/aria.ts'
import { messageOf } from '../../lib/errors.ts'
import { formatDateTime } from '../../lib/time.ts'
import { type RouterOutputs, trpc } from '../../trpc.ts'

type Token = RouterOutputs['tokens']['list'][number]

const expiryOptions = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'No expiry' },
]

function CreateTokenModal({ onClose }: { onClose: () => void }) {
  const utils = trpc.useUtils()
  const flash = useFlash()
  const [name, setName] = useState('')
  const [expiry, setExpiry] = useState(expiryOptions[1]!)
  const create = trpc.tokens.create.useMutation({
    onSuccess: (_, input) => {
      flash.show({
        id: 'token-created',
        type: 'success',
        content: `Token “${input.name}” created.`,
      })
      void utils.tokens.list.invalidate()
    },
  })
  const issues = create.error?.data?.issues ?? []
  const fieldError = (field: string) =>
    issues
      .filter((issue) => issue.startsWith(`${field}:`))
      .map((issue) => issue.slice(field.length + 1).trim())
      .join('; ') || undefined

  if (create.data) {
    return (
      <Modal
        visible
        closeAriaLabel={modalCloseLabel}
        onDismiss={onClose}
        header="Your new API token"
        footer={<Button onClick={onClose}>Done</Button>}
      >
        <SpaceBetween size="m">
          <Alert type="warning">Copy it now: it is shown only once. Anyone holding it can act as you.</Alert>
          <Box variant="code">{create.data.token}</Box>
          <CopyToClipboard
            variant="button"
            textToCopy={create.data.token}
            copyButtonText="Copy token"
            copySuccessText="Token copied"
            copyErrorText="Could not copy; select the token and copy it"
          />
        </SpaceBetween>
      </Modal>
    )
  }
  return (
    <Modal
      visible
      closeAriaLabel={modalCloseLabel}
      onDismiss={onClose}
      header="Create an API token"
      footer={
        <DialogFooter onCancel={onClose}>
          <Button
            variant="primary"
            loading={create.isPending}
            onClick={() =>
              create.mutate({
                name,
                expiresInDays: expiry.value === 'never' ? null : (Number(expiry.value) as 30),
              })
            }
          >
            Create token
          </Button>
        </DialogFooter>
      }
    >
      <Form errorText={issues.length === 0 ? create.error?.message : undefined}>
        <SpaceBetween size="m">
          <FormField
            label="Name"
            description="What the token is for, such as “stats script”."
            errorText={fieldError('name')}
          >
            <Input value={name} onChange={({ detail }) => setName(detail.value)} placeholder="stats script" />
          </FormField>
          <FormField label="Expires after" errorText={fieldError('expiresInDays')}>
            <Select
              selectedOption={expiry}
              onChange={({ detail }) =>
                setExpiry(
                  expiryOptions.find((o) => o.value === detail.selectedOption.value) ?? expiryOptions[1]!,
                )
              }
              options={expiryOptions}
            />
          </FormField>
        </SpaceBetween>
      </Form>
    </Modal>
  )
}

export default function ApiTokensPage() {
  const tokens = trpc.tokens.list.useQuery()
  const me = trpc.me.get.useQuery()
  const timeZone = me.data?.timeZone ?? 'UTC'
  const when = (iso: string | null) => (iso ? formatDateTime(iso, timeZone) : '—')
  const utils = trpc.useUtils()
  const flash = useFlash()
  const [creating, setCreating] = useState(false)
  const [revoking, setRevoking] = useState<Token | null>(null)
  const revoke = trpc.tokens.revoke.useMutation({
    onSuccess: () => {
      flash.show({
        id: 'token-revoked',
        type: 'success',
        content: `Token “${revoking?.name}” revoked.`,
      })
      setRevoking(null)
      void utils.tokens.list.invalidate()
    },
    onError: (error) => {
      flash.show({
        id: 'token-revoked',
        type: 'error',
        header: `Could not revoke “${revoking?.name}”`,
        content: messageOf(error),
      })
      // Closed, so the Flashbar's message is not hidden behind it.
      setRevoking(null)
    },
  })

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="For scripts and typed tRPC clients: send a token as “Authorization: Bearer …”. It acts as you."
        >
          API tokens
        </Header>
      }
    >
      {tokens.isError && (
        <Box margin={{ bottom: 'l' }}>
          <LoadError
            header="Could not load your tokens"
            error={tokens.error}
            onRetry={() => void tokens.refetch()}
          />
        </Box>
      )}
      <Table
        items={tokens.data ?? []}
        loading={tokens.isPending}
        loadingText="Loading tokens"
        trackBy="id"
        header={
          <Header
            counter={tokens.data ? `(${tokens.data.length})` : undefined}
            actions={
              <Button variant="primary" onClick={() => setCreating(true)}>
                Create token
              </Button>
            }
          >
            Your tokens
          </Header>
        }
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (t) => t.name },
          {
            id: 'status',
            header: 'Status',
            cell: (t) => (
              <StatusIndicator type={t.status === 'active' ? 'success' : 'stopped'}>
                {t.status === 'active' ? 'Active' : t.status === 'revoked' ? 'Revoked' : 'Expired'}
              </StatusIndicator>
            ),
          },
          { id: 'created', header: 'Created', cell: (t) => when(t.createdAt) },
          { id: 'expires', header: 'Expires', cell: (t) => (t.expiresAt ? when(t.expiresAt) : 'Never') },
          { id: 'used', header: 'Last used', cell: (t) => when(t.lastUsedAt) },
          {
            id: 'actions',
            header: 'Actions',
            cell: (t) =>
              t.status === 'active' ? (
                <Button variant="inline-link" ariaLabel={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>
                  Revoke
                </Button>
              ) : null,
          },
        ]}
        empty={
          tokens.isError ? (
            <NotLoaded>Your tokens did not load</NotLoaded>
          ) : (
            <Box textAlign="center" color="inherit">
              <b>No tokens</b>
              <Box variant="p" color="inherit">
                Create one to call the API from a script.
              </Box>
            </Box>
          )
        }
      />
      {creating && <CreateTokenModal onClose={() => setCreating(false)} />}
      {revoking && (
        <Modal
          visible
          closeAriaLabel={modalCloseLabel}
          onDismiss={() => setRevoking(null)}
          header="Revoke this token?"
          footer={
            <DialogFooter onCancel={() => setRevoking(null)}>
              <Button
                variant="primary"
                loading={revoke.isPending}
                onClick={() => revoke.mutate({ id: revoking.id })}
              >
                Revoke
              </Button>
            </DialogFooter>
          }
        >
          Scripts using “{revoking.name}” stop working at once. This cannot be undone.
        </Modal>
      )}
    </ContentLayout>
  )
}

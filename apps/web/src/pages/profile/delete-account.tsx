// "Delete my account": confirmed by typing the email address, as the server asks; ends every session.
import Alert from '@cloudscape-design/components/alert'
import Button from '@cloudscape-design/components/button'
import FormField from '@cloudscape-design/components/form-field'
import Input from '@cloudscape-design/components/input'
import Modal from '@cloudscape-design/components/modal'
import SpaceBetween from '@cloudscape-design/components/space-between'
import { useState } from 'react'
import { DialogFooter } from '../../components/dialog-footer.tsx'
import { modalCloseLabel } from '../../lib/aria.ts'
import { messageOf, serverFieldErrors } from '../../lib/errors.ts'
import { trpc } from '../../trpc.ts'

export function DeleteAccountModal({ email, onClose }: { email: string; onClose: () => void }) {
  const [typed, setTyped] = useState('')
  const remove = trpc.me.deleteAccount.useMutation({
    // A full load: nothing of the deleted account stays in memory.
    onSuccess: () => window.location.assign('/sign-in'),
  })
  const fieldError = serverFieldErrors(remove.error).fields.confirmEmail
  return (
    <Modal
      visible
      closeAriaLabel={modalCloseLabel}
      onDismiss={onClose}
      header="Delete your account?"
      footer={
        <DialogFooter onCancel={onClose}>
          <Button
            variant="primary"
            loading={remove.isPending}
            disabled={typed.trim().toLowerCase() !== email}
            onClick={() => remove.mutate({ confirmEmail: typed })}
          >
            Delete my account
          </Button>
        </DialogFooter>
      }
    >
      <SpaceBetween size="m">
        <Alert type="warning">
          Your profile, preferences, matches (with what you reported, your ratings and notes), notifications
          and API tokens go, and you are signed out everywhere. Past rounds keep their groups: the people you
          met still see that round, with you as a former member. This cannot be undone.
        </Alert>
        {remove.error && !fieldError && <Alert type="error">{messageOf(remove.error)}</Alert>}
        <FormField label={`Type ${email} to confirm`} errorText={fieldError}>
          <Input
            value={typed}
            onChange={({ detail }) => setTyped(detail.value)}
            ariaLabel="Your email address"
          />
        </FormField>
      </SpaceBetween>
    </Modal>
  )
}

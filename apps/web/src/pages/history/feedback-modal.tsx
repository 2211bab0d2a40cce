// Feedback on one meeting: did it happen, how it was (1–5), and a note only admins see, counted in aggregate. Opens
// with what I said before; a note is sent only when it changed (an emptied note clears it).
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Form from '@cloudscape-design/components/form'
import FormField from '@cloudscape-design/components/form-field'
import Modal from '@cloudscape-design/components/modal'
import RadioGroup from '@cloudscape-design/components/radio-group'
import SegmentedControl from '@cloudscape-design/components/segmented-control'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Textarea from '@cloudscape-design/components/textarea'
import { useState } from 'react'
import { DialogFooter } from '../../components/dialog-footer.tsx'
import { useFlash } from '../../components/flash.tsx'
import { modalCloseLabel } from '../../lib/aria.ts'
import { errorCode, formLevelErrors, messageOf, serverFieldErrors } from '../../lib/errors.ts'
import type { MatchStatus } from '../../lib/labels.ts'
import { formatDateTime } from '../../lib/time.ts'
import { trpc } from '../../trpc.ts'
import type { PastMatch } from './history-config.tsx'

const NOTE_LIMIT = 1000

export function FeedbackModal({
  match,
  timeZone,
  onClose,
}: {
  match: PastMatch
  timeZone: string
  onClose: () => void
}) {
  const flash = useFlash()
  const utils = trpc.useUtils()
  const [status, setStatus] = useState<MatchStatus>(match.status === 'scheduled' ? 'met' : match.status)
  const [rating, setRating] = useState<string>(match.rating ? String(match.rating) : 'none')
  const savedNote = match.note ?? ''
  const [note, setNote] = useState(savedNote)
  const report = trpc.matches.report.useMutation({
    onSuccess: () => {
      void utils.matches.history.invalidate()
      void utils.matches.current.invalidate()
      flash.show({ id: 'feedback', type: 'success', content: 'Thanks: your feedback is saved.' })
      onClose()
    },
  })
  const errors = serverFieldErrors(report.error)
  // Shown in the dialog, which stays open with what was typed: the Flashbar is behind it.
  const failure =
    report.error && errorCode(report.error) !== 'BAD_REQUEST'
      ? `Could not save your feedback: ${messageOf(report.error)}`
      : undefined
  const noteTooLong = note.trim().length > NOTE_LIMIT
  const names = match.people.map((p) => p.name).join(', ')

  return (
    <Modal
      visible
      closeAriaLabel={modalCloseLabel}
      onDismiss={onClose}
      header="How was it?"
      footer={
        <DialogFooter onCancel={onClose}>
          <Button
            variant="primary"
            loading={report.isPending}
            disabled={noteTooLong}
            onClick={() =>
              report.mutate({
                scheduledAt: match.scheduledAt,
                status,
                ...(status === 'met' && rating !== 'none' ? { rating: Number(rating) } : {}),
                ...(note.trim() !== savedNote ? { note: note.trim() } : {}),
              })
            }
          >
            Save feedback
          </Button>
        </DialogFooter>
      }
    >
      <Form errorText={failure ?? formLevelErrors(errors, ['status', 'rating', 'note'])}>
        <SpaceBetween size="l">
          <Box>
            With {names || 'your group'}, round of {formatDateTime(match.scheduledAt, timeZone)}.
          </Box>
          <FormField label="Did you meet?" errorText={errors.fields.status}>
            <RadioGroup
              value={status}
              onChange={({ detail }) => setStatus(detail.value as MatchStatus)}
              items={[
                { value: 'met', label: 'We met' },
                { value: 'didnt-meet', label: "We didn't meet" },
                { value: 'cancelled', label: 'It was called off' },
              ]}
            />
          </FormField>
          {status === 'met' && (
            <FormField label="Rating" description="1 is poor, 5 is great." errorText={errors.fields.rating}>
              <SegmentedControl
                selectedId={rating}
                onChange={({ detail }) => setRating(detail.selectedId)}
                label="Rating"
                options={[
                  { id: 'none', text: 'None' },
                  ...[1, 2, 3, 4, 5].map((n) => ({ id: String(n), text: String(n) })),
                ]}
              />
            </FormField>
          )}
          <FormField
            label="Note"
            description="Only admins see notes, and only counted together with everyone else's."
            constraintText={`${note.trim().length}/${NOTE_LIMIT} characters`}
            errorText={noteTooLong ? `must be at most ${NOTE_LIMIT} characters` : errors.fields.note}
          >
            <Textarea value={note} onChange={({ detail }) => setNote(detail.value)} rows={3} />
          </FormField>
        </SpaceBetween>
      </Form>
    </Modal>
  )
}

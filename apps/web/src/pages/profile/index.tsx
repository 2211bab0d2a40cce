// Profile and preferences: two edit forms (Cloudscape's create/edit form pattern), each saved on its own, checked
// inline with the shared schemas and then by the server. Also: export my data, delete my account.
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Form from '@cloudscape-design/components/form'
import Header from '@cloudscape-design/components/header'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Spinner from '@cloudscape-design/components/spinner'
import { type FormEvent, useState } from 'react'
import { useFlash } from '../../components/flash.tsx'
import { type OwnMember, useMemberUpdates } from '../../components/member-updates.ts'
import {
  type PreferencesDraft,
  PreferencesFields,
  preferenceFieldNames,
} from '../../components/preferences-fields.tsx'
import {
  checkProfile,
  type ProfileDraft,
  ProfileFields,
  profileDraftOf,
  profileFieldNames,
  profileInputOf,
} from '../../components/profile-fields.tsx'
import { hasFieldErrors, useInlineCheck } from '../../components/use-inline-check.ts'
import { downloadText } from '../../lib/download.ts'
import { formLevelErrors, messageOf, serverFieldErrors } from '../../lib/errors.ts'
import { trpc } from '../../trpc.ts'
import { DeleteAccountModal } from './delete-account.tsx'

function ProfileForm({ member }: { member: OwnMember }) {
  const flash = useFlash()
  const updates = useMemberUpdates()
  const [draft, setDraft] = useState<ProfileDraft>(() => profileDraftOf(member))
  const inline = useInlineCheck(draft, checkProfile)
  const save = trpc.me.updateProfile.useMutation({
    onSuccess: (saved) => {
      updates.saved(saved)
      setDraft(profileDraftOf(saved))
      inline.reset()
      flash.show({ id: 'profile', type: 'success', content: 'Your profile is saved.' })
    },
    onError: (error) => updates.failed(error, 'profile', 'save your profile'),
  })
  const errors = hasFieldErrors(inline.errors) ? inline.errors : serverFieldErrors(save.error)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (inline.tryToSave()) save.mutate({ version: member.version, ...profileInputOf(draft) })
  }
  return (
    <form onSubmit={submit} aria-label="Profile">
      <Form
        errorText={formLevelErrors(errors, profileFieldNames)}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button
              formAction="none"
              variant="link"
              onClick={() => {
                setDraft(profileDraftOf(member))
                inline.reset()
              }}
            >
              Undo changes
            </Button>
            <Button variant="primary" loading={save.isPending}>
              Save profile
            </Button>
          </SpaceBetween>
        }
      >
        <Container
          header={
            <Header variant="h2" description="What your group sees about you.">
              Profile
            </Header>
          }
        >
          <ProfileFields value={draft} onChange={setDraft} errors={errors} />
        </Container>
      </Form>
    </form>
  )
}

function PreferencesForm({ member }: { member: OwnMember }) {
  const flash = useFlash()
  const updates = useMemberUpdates()
  const [draft, setDraft] = useState<PreferencesDraft>(member.preferences)
  const save = trpc.me.updatePreferences.useMutation({
    onSuccess: (saved) => {
      updates.saved(saved)
      setDraft(saved.preferences)
      flash.show({ id: 'preferences', type: 'success', content: 'Your preferences are saved.' })
    },
    onError: (error) => updates.failed(error, 'preferences', 'save your preferences'),
  })
  const errors = serverFieldErrors(save.error)
  return (
    <form
      aria-label="Preferences"
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate({ version: member.version, ...draft })
      }}
    >
      <Form
        errorText={formLevelErrors(errors, preferenceFieldNames)}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button formAction="none" variant="link" onClick={() => setDraft(member.preferences)}>
              Undo changes
            </Button>
            <Button variant="primary" loading={save.isPending}>
              Save preferences
            </Button>
          </SpaceBetween>
        }
      >
        <Container
          header={
            <Header variant="h2" description="Honored where the round allows; never shown to anyone.">
              Preferences
            </Header>
          }
        >
          <PreferencesFields value={draft} onChange={setDraft} errors={errors} />
        </Container>
      </Form>
    </form>
  )
}

function YourData({ member }: { member: OwnMember }) {
  const flash = useFlash()
  const utils = trpc.useUtils()
  const [deleting, setDeleting] = useState(false)
  const [exporting, setExporting] = useState(false)
  const exportData = async () => {
    setExporting(true)
    try {
      const data = await utils.me.exportData.fetch(undefined, { staleTime: 0 })
      downloadText('percolate-my-data.json', JSON.stringify(data, null, 2), 'application/json')
      flash.show({
        id: 'export',
        type: 'success',
        content: 'Your data is downloaded as percolate-my-data.json.',
      })
    } catch (error) {
      flash.show({
        id: 'export',
        type: 'error',
        header: 'Could not export your data',
        content: messageOf(error),
      })
    } finally {
      setExporting(false)
    }
  }
  return (
    <Container header={<Header variant="h2">Your data</Header>}>
      <SpaceBetween size="m">
        <Box>
          Download everything Percolate holds about you as JSON: your profile and preferences, your matches
          with what you reported (rating and note included), your notifications, sessions and API tokens. Or
          delete your account and all of that with it.
        </Box>
        <SpaceBetween direction="horizontal" size="xs">
          <Button iconName="download" loading={exporting} onClick={() => void exportData()}>
            Export my data
          </Button>
          <Button onClick={() => setDeleting(true)}>Delete my account</Button>
        </SpaceBetween>
      </SpaceBetween>
      {deleting && <DeleteAccountModal email={member.email} onClose={() => setDeleting(false)} />}
    </Container>
  )
}

export default function ProfilePage() {
  const me = trpc.me.get.useQuery()
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Who you are to your colleagues, and who you would like to meet.">
          Profile and preferences
        </Header>
      }
    >
      {me.isPending ? (
        <Spinner size="large" />
      ) : me.isError ? (
        <Alert type="error" header="Could not load your profile">
          {messageOf(me.error)}
        </Alert>
      ) : (
        <SpaceBetween size="l">
          <ProfileForm member={me.data} />
          <PreferencesForm member={me.data} />
          <YourData member={me.data} />
        </SpaceBetween>
      )}
    </ContentLayout>
  )
}

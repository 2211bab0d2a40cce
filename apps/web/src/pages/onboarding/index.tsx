// First run: profile → preferences → channels → done, as a Wizard. Each step is saved when the person moves on,
// so nothing is lost if they stop half-way; the last step marks them onboarded and opens the dashboard. The channels
// step offers what the workspace has enabled (me.workspace).
import Box from '@cloudscape-design/components/box'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Header from '@cloudscape-design/components/header'
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Spinner from '@cloudscape-design/components/spinner'
import Wizard from '@cloudscape-design/components/wizard'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import {
  ChannelField,
  type ChannelsDraft,
  channelsDraftOf,
  channelsInputOf,
  checkChannels,
  offeredChannels,
  offeredDraft,
} from '../../components/channel-fields.tsx'
import { useFlash } from '../../components/flash.tsx'
import { LoadError } from '../../components/load-error.tsx'
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
import { useSession } from '../../components/session-gate.tsx'
import { hasFieldErrors, useInlineCheck } from '../../components/use-inline-check.ts'
import { type FieldErrors, formLevelErrors, messageOf, serverFieldErrors } from '../../lib/errors.ts'
import { type ChannelKind, channelLabels } from '../../lib/labels.ts'
import { trpc } from '../../trpc.ts'

const noErrors: FieldErrors = { fields: {}, other: [] }

function OnboardingWizard({ member, enabled }: { member: OwnMember; enabled: readonly ChannelKind[] }) {
  const { me } = useSession()
  const navigate = useNavigate()
  const flash = useFlash()
  const utils = trpc.useUtils()
  const updates = useMemberUpdates()
  const [step, setStep] = useState(0)
  const [profile, setProfile] = useState<ProfileDraft>(() => profileDraftOf(member))
  const [preferences, setPreferences] = useState<PreferencesDraft>(member.preferences)
  const [channels, setChannels] = useState<ChannelsDraft>(() => channelsDraftOf(member.channels))
  const profileCheck = useInlineCheck(profile, checkProfile)
  const channelsCheck = useInlineCheck(channels, (draft) => checkChannels(offeredDraft(draft, enabled)))

  const advance = (saved: OwnMember) => {
    updates.saved(saved)
    setStep((current) => current + 1)
  }
  const onError = (error: unknown) => updates.failed(error, 'onboarding', 'save this step')
  const updateProfile = trpc.me.updateProfile.useMutation({ onSuccess: advance, onError })
  const updatePreferences = trpc.me.updatePreferences.useMutation({ onSuccess: advance, onError })
  const updateChannels = trpc.me.updateChannels.useMutation({ onSuccess: advance, onError })
  const complete = trpc.me.completeOnboarding.useMutation({
    onSuccess: async (saved) => {
      updates.saved(saved)
      await utils.auth.me.invalidate()
      // Someone an admin imported may be in a group already (the dashboard shows it right away).
      const inAGroup = await utils.matches.current.fetch().then(Boolean, () => false)
      flash.show({
        id: 'onboarding',
        type: 'success',
        content: inAGroup
          ? 'You are all set: meet your group for this round below.'
          : 'You are all set: your first group comes with the next round.',
      })
      navigate('/')
    },
    onError: (error) =>
      flash.show({ id: 'onboarding', type: 'error', header: 'Could not finish', content: messageOf(error) }),
  })
  const steps = [updateProfile, updatePreferences, updateChannels]
  const serverErrors = steps[step] ? serverFieldErrors(steps[step].error) : noErrors
  const checked = step === 0 ? profileCheck.errors : step === 2 ? channelsCheck.errors : noErrors
  const errors = hasFieldErrors(checked) ? checked : serverErrors

  const saveStep = () => {
    const version = member.version
    if (step === 0) {
      if (profileCheck.tryToSave()) updateProfile.mutate({ version, ...profileInputOf(profile) })
    } else if (step === 1) {
      updatePreferences.mutate({ version, ...preferences })
    } else if (step === 2) {
      if (channelsCheck.tryToSave())
        updateChannels.mutate({ version, ...channelsInputOf(offeredDraft(channels, enabled)) })
    }
  }

  const kinds = offeredChannels(enabled)
  const chosenChannels = kinds.filter((kind) => (kind === 'email' ? channels.email : channels[kind].trim()))
  return (
    <Wizard
      activeStepIndex={step}
      isLoadingNextStep={steps.some((s) => s.isPending)}
      onNavigate={({ detail }) => {
        if (detail.reason === 'next' && detail.requestedStepIndex > step) saveStep()
        else {
          profileCheck.reset()
          channelsCheck.reset()
          setStep(detail.requestedStepIndex)
        }
      }}
      onSubmit={() => complete.mutate({ version: member.version })}
      onCancel={() =>
        flash.show({
          id: 'onboarding',
          type: 'info',
          content: 'Finish these few steps to join the rounds; what you saved so far is kept.',
        })
      }
      submitButtonText="Start meeting people"
      i18nStrings={{
        stepNumberLabel: (n) => `Step ${n}`,
        collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
        navigationAriaLabel: 'Steps',
        cancelButton: 'Cancel',
        previousButton: 'Previous',
        nextButton: 'Next',
        optional: 'optional',
      }}
      steps={[
        {
          title: 'Your profile',
          description: `Welcome, ${me.name}. Tell your colleagues who you are and when you can meet.`,
          content: (
            <Container header={<Header variant="h2">Profile</Header>}>
              <ProfileFields value={profile} onChange={setProfile} errors={errors} />
            </Container>
          ),
          errorText: formLevelErrors(errors, profileFieldNames),
        },
        {
          title: 'Your preferences',
          description: 'Who you would like to meet. You can change this any time.',
          content: (
            <Container header={<Header variant="h2">Preferences</Header>}>
              <PreferencesFields value={preferences} onChange={setPreferences} errors={errors} />
            </Container>
          ),
          errorText: formLevelErrors(errors, preferenceFieldNames),
        },
        {
          title: 'How to reach you',
          description:
            'Where Percolate tells you about your group. Without one, you see your group only here.',
          content: (
            <Container header={<Header variant="h2">Notification channels</Header>}>
              <SpaceBetween size="l">
                {kinds.map((kind) => (
                  <ChannelField
                    key={kind}
                    kind={kind}
                    value={channels}
                    onChange={setChannels}
                    errors={errors}
                  />
                ))}
              </SpaceBetween>
            </Container>
          ),
          errorText: formLevelErrors(errors, kinds),
        },
        {
          title: 'Done',
          description: 'Check it over, then start meeting people.',
          content: (
            <Container header={<Header variant="h2">Your setup</Header>}>
              <KeyValuePairs
                columns={1}
                items={[
                  { label: 'Name', value: profile.name },
                  { label: 'Department', value: profile.department || '—' },
                  { label: 'Time zone', value: profile.timeZone },
                  { label: 'Working hours', value: `${profile.start}–${profile.end}` },
                  {
                    label: 'Prefer other departments',
                    value: preferences.preferOtherDepartments ? 'Yes' : 'No',
                  },
                  { label: "People you'd rather not meet", value: String(preferences.avoidMemberIds.length) },
                  {
                    label: 'Notified by',
                    value:
                      chosenChannels.length > 0 ? (
                        chosenChannels.map((k) => channelLabels[k]).join(', ')
                      ) : (
                        <Box color="text-status-warning">No channel: you will only see your group here.</Box>
                      ),
                  },
                ]}
              />
            </Container>
          ),
        },
      ]}
    />
  )
}

export default function OnboardingPage() {
  const member = trpc.me.get.useQuery()
  const workspace = trpc.me.workspace.useQuery()
  if (member.isPending || workspace.isPending) return <Spinner size="large" />
  if (member.isError || workspace.isError) {
    return (
      <ContentLayout header={<Header variant="h1">Welcome to Percolate</Header>}>
        <LoadError
          header="Could not load your profile"
          error={member.error ?? workspace.error}
          onRetry={() => {
            if (member.isError) void member.refetch()
            if (workspace.isError) void workspace.refetch()
          }}
        />
      </ContentLayout>
    )
  }
  return <OnboardingWizard member={member.data} enabled={workspace.data.enabledChannels} />
}

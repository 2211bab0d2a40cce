// Dashboard: my current group (who, why, when to meet, did we meet), the next round, whether I take part, and
// whether my notifications reached me. Empty until my first round. How members take part (everyone active, or
// opt-in round by round) comes from me.workspace, which every member may read.
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Cards from '@cloudscape-design/components/cards'
import ColumnLayout from '@cloudscape-design/components/column-layout'
import Container from '@cloudscape-design/components/container'
import ContentLayout from '@cloudscape-design/components/content-layout'
import Header from '@cloudscape-design/components/header'
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs'
import SpaceBetween from '@cloudscape-design/components/space-between'
import Spinner from '@cloudscape-design/components/spinner'
import StatusIndicator from '@cloudscape-design/components/status-indicator'
import Toggle from '@cloudscape-design/components/toggle'
import { useEffect, useState } from 'react'
import { useFlash } from '../../components/flash.tsx'
import type { OwnMember } from '../../components/member-updates.ts'
import { useFollow } from '../../components/use-follow.ts'
import { calendarEventUrl } from '../../lib/calendar.ts'
import { messageOf } from '../../lib/errors.ts'
import {
  channelLabels,
  matchStatus,
  notificationKindLabels,
  notificationStatus,
  type ParticipationMode,
} from '../../lib/labels.ts'
import { clockTimeIn, formatDateTime } from '../../lib/time.ts'
import { type RouterOutputs, trpc } from '../../trpc.ts'
import { ParticipationPanel } from './participation.tsx'

type Current = NonNullable<RouterOutputs['matches']['current']>

/** The current minute, so colleagues' local times stay right while the page is open. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

function CurrentGroup({ current, member }: { current: Current; member: OwnMember }) {
  const flash = useFlash()
  const utils = trpc.useUtils()
  const now = useNow()
  const report = trpc.matches.report.useMutation({
    onSuccess: (saved) => {
      utils.matches.current.setData(undefined, (old) => (old ? { ...old, status: saved.status } : old))
      void utils.matches.history.invalidate()
      flash.show({
        id: 'report',
        type: 'success',
        content: saved.status === 'met' ? 'Glad you met! Noted.' : 'Noted: you did not meet this time.',
      })
    },
    onError: (error) =>
      flash.show({ id: 'report', type: 'error', header: 'Could not save that', content: messageOf(error) }),
  })
  const names = current.people.map((p) => p.name).join(', ')
  const status = matchStatus[current.status]

  return (
    <SpaceBetween size="l">
      <Cards
        header={
          <Header
            variant="h2"
            counter={`(${current.people.length})`}
            description={`Round of ${formatDateTime(current.scheduledAt, member.timeZone)}. Why you were grouped: ${current.reason}`}
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  disabled={report.isPending}
                  onClick={() => report.mutate({ scheduledAt: current.scheduledAt, status: 'didnt-meet' })}
                >
                  We didn't meet
                </Button>
                <Button
                  variant="primary"
                  disabled={report.isPending}
                  onClick={() => report.mutate({ scheduledAt: current.scheduledAt, status: 'met' })}
                >
                  We met
                </Button>
              </SpaceBetween>
            }
          >
            Your group this round
          </Header>
        }
        items={current.people}
        trackBy="id"
        cardsPerRow={[{ cards: 1 }, { minWidth: 600, cards: 2 }, { minWidth: 1000, cards: 3 }]}
        cardDefinition={{
          header: (person) => person.name,
          sections: [
            { id: 'department', header: 'Department', content: (person) => person.department || '—' },
            {
              id: 'time',
              header: 'Time zone',
              content: (person) => `${person.timeZone}, ${clockTimeIn(person.timeZone, now)} there now`,
            },
            { id: 'bio', header: 'About', content: (person) => person.bio || '—' },
          ],
        }}
        empty={
          <Box textAlign="center" color="inherit">
            Everyone else in this group has left Percolate.
          </Box>
        }
      />
      <Container header={<Header variant="h2">Meeting</Header>}>
        {/* Two columns that stack at phone width. */}
        <ColumnLayout columns={2} variant="text-grid">
          <KeyValuePairs
            items={[
              {
                label: 'Did you meet?',
                value: <StatusIndicator type={status.type}>{status.label}</StatusIndicator>,
              },
            ]}
          />
          <KeyValuePairs
            items={[
              {
                label: `Suggested times (your time zone, ${member.timeZone})`,
                value:
                  current.suggestedTimes.length === 0 ? (
                    'No time inside everyone’s working hours this week: agree on one together.'
                  ) : (
                    <SpaceBetween size="xxs">
                      {current.suggestedTimes.map((time) => (
                        <SpaceBetween key={time} direction="horizontal" size="xs" alignItems="center">
                          <span>{formatDateTime(time, member.timeZone)}</span>
                          <Button
                            variant="inline-link"
                            iconName="calendar"
                            href={calendarEventUrl({
                              start: time,
                              minutes: 30,
                              title: `Percolate: ${names}`,
                              description: current.reason,
                            })}
                            ariaLabel={`Add to calendar: ${formatDateTime(time, member.timeZone)}`}
                          >
                            Add to calendar
                          </Button>
                        </SpaceBetween>
                      ))}
                    </SpaceBetween>
                  ),
              },
            ]}
          />
        </ColumnLayout>
      </Container>
    </SpaceBetween>
  )
}

function NextRound({ mode }: { mode: ParticipationMode | undefined }) {
  const flash = useFlash()
  const utils = trpc.useUtils()
  const next = trpc.matches.nextRound.useQuery()
  const setOptIn = trpc.matches.setOptIn.useMutation({
    onSuccess: (saved) => {
      utils.matches.nextRound.setData(undefined, (old) => (old ? { ...old, optedIn: saved.optedIn } : old))
      flash.show({
        id: 'opt-in',
        type: 'success',
        content: saved.optedIn ? 'You are in for the next round.' : 'You sit out the next round.',
      })
    },
    onError: (error) =>
      flash.show({ id: 'opt-in', type: 'error', header: 'Could not change that', content: messageOf(error) }),
  })

  return (
    <Container header={<Header variant="h2">Next round</Header>} fitHeight>
      {next.isPending ? (
        <StatusIndicator type="loading">Loading</StatusIndicator>
      ) : next.isError ? (
        <StatusIndicator type="error">{messageOf(next.error)}</StatusIndicator>
      ) : next.data === null ? (
        <Box>No round is scheduled.</Box>
      ) : (
        <SpaceBetween size="m">
          <KeyValuePairs
            items={[{ label: `When (your time zone, ${next.data.timeZone})`, value: next.data.local }]}
          />
          {mode === 'opt-in' ? (
            <Toggle
              checked={next.data.optedIn ?? false}
              disabled={setOptIn.isPending}
              onChange={({ detail }) => setOptIn.mutate({ join: detail.checked })}
              description="This workspace groups only the people who say they are in, round by round."
            >
              Count me in for this round
            </Toggle>
          ) : (
            mode === 'automatic' && (
              <Box variant="p" color="text-body-secondary">
                Every active member is grouped automatically: nothing to do but show up.
              </Box>
            )
          )}
        </SpaceBetween>
      )}
    </Container>
  )
}

function MyNotifications({ timeZone }: { timeZone: string }) {
  const notifications = trpc.me.notifications.useQuery()
  const latest = notifications.data?.slice(0, 5) ?? []
  return (
    <Container
      header={
        <Header variant="h2" description="Whether the latest messages about your rounds reached you.">
          Your notifications
        </Header>
      }
    >
      {notifications.isPending ? (
        <StatusIndicator type="loading">Loading</StatusIndicator>
      ) : notifications.isError ? (
        <StatusIndicator type="error">{messageOf(notifications.error)}</StatusIndicator>
      ) : latest.length === 0 ? (
        <Box color="text-status-inactive">No messages yet.</Box>
      ) : (
        <ul aria-label="Latest notifications" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {latest.map((n) => {
            const status = notificationStatus[n.status]
            return (
              <li key={`${n.scheduledAt}-${n.channel}-${n.kind}`} style={{ marginBottom: 8 }}>
                <StatusIndicator type={status.type}>
                  {notificationKindLabels[n.kind]} by {channelLabels[n.channel]}: {status.label}
                  {n.reason && n.status !== 'sent' ? ` (${n.reason})` : ''}
                </StatusIndicator>
                <Box variant="small" display="block">
                  {formatDateTime(n.updatedAt, timeZone)}
                </Box>
              </li>
            )
          })}
        </ul>
      )}
    </Container>
  )
}

/** What the empty dashboard says about a first group: in opt-in workspaces, it takes a "count me in". */
function firstGroupText(mode: ParticipationMode | undefined, next: string | undefined): string {
  if (mode === 'opt-in') {
    return next
      ? `Say you are in for the next round, ${next}, to get your first group.`
      : 'Say you are in for a round to get your first group.'
  }
  return next
    ? `Your first group arrives with the next round, ${next}.`
    : 'Your first group arrives with the first round.'
}

export default function HomePage() {
  const me = trpc.me.get.useQuery()
  const workspace = trpc.me.workspace.useQuery()
  const mode = workspace.data?.participationMode
  const current = trpc.matches.current.useQuery()
  const next = trpc.matches.nextRound.useQuery()
  const follow = useFollow()
  const firstName = me.data?.name.split(' ')[0] ?? ''

  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Meet the colleagues you have not met yet, a small group at a time.">
          {firstName ? `Hello, ${firstName}` : 'Your dashboard'}
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
          {current.isPending ? (
            <Container>
              <StatusIndicator type="loading">Loading your group</StatusIndicator>
            </Container>
          ) : current.isError ? (
            <Alert
              type="error"
              header="Could not load your group"
              action={<Button onClick={() => void current.refetch()}>Try again</Button>}
            >
              {messageOf(current.error)}
            </Alert>
          ) : current.data === null ? (
            <Container header={<Header variant="h2">Your group this round</Header>}>
              <Box textAlign="center" color="inherit" padding="l">
                <b>No group yet</b>
                <Box variant="p" color="inherit">
                  {firstGroupText(mode, next.data?.local)} Meanwhile, tell your colleagues about yourself in
                  your profile.
                </Box>
                <Button href="/settings/profile" onFollow={follow}>
                  Edit your profile
                </Button>
              </Box>
            </Container>
          ) : (
            <CurrentGroup current={current.data} member={me.data} />
          )}
          <ColumnLayout columns={2}>
            <NextRound mode={mode} />
            <ParticipationPanel member={me.data} mode={mode} />
          </ColumnLayout>
          <MyNotifications timeZone={me.data.timeZone} />
        </SpaceBetween>
      )}
    </ContentLayout>
  )
}

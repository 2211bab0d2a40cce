import { describe, expect, it } from 'bun:test'
import { aCurrentMatch, aMember, aNotification, aWorkspace } from '../../testing/fixtures.ts'
import { findFormField, renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { invalidInput, ServerError } from '../../testing/trpc-test-link.ts'

const nextRound = {
  at: '2026-03-09T08:00:00.000Z',
  local: 'Monday 9 March, 09:00',
  timeZone: 'Europe/Berlin',
  optedIn: null,
}

const dashboard = (overrides: Parameters<typeof renderApp>[1] = {}, member = aMember()) =>
  renderApp(
    '/',
    {
      ...overrides,
      matches: {
        current: () => aCurrentMatch(),
        nextRound: () => nextRound,
        report: (input) => ({ ...aCurrentMatch(), status: input.status }),
        ...overrides.matches,
      },
      me: { notifications: () => [], ...overrides.me },
    },
    { member },
  )

describe('dashboard', () => {
  it('shows my group as cards: who, where and what time it is there, why, and when to meet in my time zone', async () => {
    const app = dashboard()
    const cards = await waitForElement(() => app.wrapper.findCards()?.findItems()[0])
    const text = cards.getElement().textContent
    expect(text).toContain('Ben Rossi')
    expect(text).toContain('Sales')
    expect(text).toMatch(/America\/New_York, \d\d:\d\d there now/)
    expect(text).toContain('Ben sells things from New York.')
    const page = app.container.textContent
    expect(page).toContain('Why you were grouped: You work in different departments')
    // 14:00 UTC on 3 March is 15:00 in Berlin (my zone).
    expect(page).toContain('Tue, 3 Mar 2026, 15:00 CET')
    expect(page).toContain('Monday 9 March, 09:00')
    expect(app.getAllByRole('link', { name: /^Add to calendar: / })).toHaveLength(2)
  })

  it('reports "we met" and says so', async () => {
    const app = dashboard()
    const met = await waitForElement(() => app.queryByRole('button', { name: 'We met' }))
    met.click()
    await waitFor(() => expect(app.flashes()).toContain('Glad you met! Noted.'))
    expect(app.inputsOf('matches.report')).toEqual([
      { scheduledAt: '2026-03-02T08:00:00.000Z', status: 'met' },
    ])
    expect(app.container.textContent).toContain('Met')
  })

  it('reports "we didn\'t meet" and says so', async () => {
    const app = dashboard()
    ;(await waitForElement(() => app.queryByRole('button', { name: "We didn't meet" }))).click()
    await waitFor(() => expect(app.flashes()).toContain('Noted: you did not meet this time.'))
    expect(app.inputsOf('matches.report')).toEqual([
      { scheduledAt: '2026-03-02T08:00:00.000Z', status: 'didnt-meet' },
    ])
    await waitFor(() => expect(app.container.textContent).toContain("Didn't meet"))
  })

  it('shows a report that failed in the Flashbar', async () => {
    const app = dashboard({
      matches: {
        report: () => {
          throw new ServerError('NOT_FOUND', 'You have no match in the round of 2026-03-02T08:00:00.000Z')
        },
      },
    })
    const button = await waitForElement(() => app.queryByRole('button', { name: "We didn't meet" }))
    button.click()
    await waitFor(() => expect(app.flashes().join()).toContain('You have no match in the round of'))
  })

  it('says when the first group comes before the first round', async () => {
    const app = dashboard({ matches: { current: () => null } })
    await waitFor(() => expect(app.container.textContent).toContain('No group yet'))
    expect(app.container.textContent).toContain(
      'Your first group arrives with the next round, Monday 9 March, 09:00.',
    )
    expect(app.wrapper.findCards()).toBeNull()
  })

  it('says when the group cannot be loaded', async () => {
    const app = dashboard({
      matches: {
        current: () => {
          throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
        },
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Could not load your group')
    expect(alert.getElement().textContent).toContain('The database is not reachable right now')
  })

  it('pauses me until a date, naming the version it was made on', async () => {
    const member = aMember()
    const app = dashboard(
      {
        me: {
          setParticipation: (input) => ({
            ...member,
            version: member.version + 1,
            participation: input.participation as typeof member.participation,
          }),
        },
      },
      member,
    )
    const picker = await waitForElement(() => app.wrapper.findDatePicker())
    picker.setInputValue('2099/04/01')
    app.getByRole('button', { name: 'Pause until this date' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Paused until Wed, 1 Apr 2099.'))
    expect(app.inputsOf('me.setParticipation')).toEqual([
      { version: 3, participation: { status: 'paused', until: '2099-04-01' } },
    ])
    expect(app.wrapper.findToggle()?.findNativeInput().getElement().checked).toBe(false)
    expect(app.container.textContent).toContain('you are back in the rounds from Wed, 1 Apr 2099')
  })

  it('shows the server’s reason next to the date when it refuses it', async () => {
    const app = dashboard({
      me: {
        setParticipation: () => {
          throw invalidInput('participation.until: must be a date after today (2026-03-05)')
        },
      },
    })
    const picker = await waitForElement(() => app.wrapper.findDatePicker())
    picker.setInputValue('2099/04/01')
    app.getByRole('button', { name: 'Pause until this date' }).click()
    const field = await waitForElement(() => findFormField(app.wrapper, 'Pause until')?.findError())
    expect(field.getElement().textContent).toBe('must be a date after today (2026-03-05)')
  })

  it('resumes a paused member with the toggle', async () => {
    const member = aMember({ participation: { status: 'paused' } })
    const app = dashboard(
      { me: { setParticipation: () => ({ ...member, version: 4, participation: { status: 'active' } }) } },
      member,
    )
    const toggle = await waitForElement(() => app.wrapper.findToggle())
    expect(toggle.findNativeInput().getElement().checked).toBe(false)
    // What pausing does and does not stop: the messages of a group already made still come.
    expect(app.container.textContent).toContain('left out of new rounds and get no reminders')
    expect(app.container.textContent).toContain('A group made before you paused still stands')
    toggle.findNativeInput().click()
    await waitFor(() => expect(app.flashes()).toContain('You are back in the rounds.'))
    expect(app.inputsOf('me.setParticipation')).toEqual([{ version: 3, participation: { status: 'active' } }])
  })

  it('offers "count me in" when the workspace runs opt-in rounds', async () => {
    const app = dashboard({
      me: { workspace: () => aWorkspace({ participationMode: 'opt-in' }) },
      matches: {
        nextRound: () => ({ ...nextRound, optedIn: false }),
        setOptIn: (input) => ({ at: nextRound.at, optedIn: input.join }),
      },
    })
    const optIn = await waitForElement(() =>
      app.wrapper.findAllToggles().find((t) => t.getElement().textContent?.includes('Count me in')),
    )
    optIn.findNativeInput().click()
    await waitFor(() => expect(app.flashes()).toContain('You are in for the next round.'))
    expect(app.inputsOf('matches.setOptIn')).toEqual([{ join: true }])
  })

  it('says everyone active is grouped when the workspace does not run opt-in rounds, with no admin-only call', async () => {
    const app = dashboard()
    await waitFor(() =>
      expect(app.container.textContent).toContain('Every active member is grouped automatically'),
    )
    expect(app.wrapper.findAllToggles().map((t) => t.getElement().textContent)).toEqual([
      expect.stringContaining('Take part in rounds'),
    ])
    expect(app.container.textContent).toContain('You are in the next rounds.')
    expect(app.calls.map((call) => call.path).filter((path) => !/^(me|matches|auth)\./.test(path))).toEqual(
      [],
    )
  })

  it('tells a newcomer in an opt-in workspace to say they are in for their first group', async () => {
    const app = dashboard({
      me: { workspace: () => aWorkspace({ participationMode: 'opt-in' }) },
      matches: { current: () => null, nextRound: () => ({ ...nextRound, optedIn: false }) },
    })
    await waitFor(() =>
      expect(app.container.textContent).toContain(
        'Say you are in for the next round, Monday 9 March, 09:00, to get your first group.',
      ),
    )
    expect(app.container.textContent).toContain('say you are in for each one under Next round')
    expect(app.container.textContent).not.toContain('Every active member is grouped')
  })

  it('shows whether my latest notifications were sent, and why one failed', async () => {
    const app = dashboard({
      me: {
        notifications: () => [
          aNotification({ channel: 'slack', status: 'failed', reason: 'Slack says: user_not_found' }),
          aNotification({ kind: 'test', status: 'sent' }),
        ],
      },
    })
    const list = await waitForElement(() => app.queryByRole('list', { name: 'Latest notifications' }))
    const statuses = list.textContent
    expect(statuses).toContain('Your new group by Slack: Failed (Slack says: user_not_found)')
    expect(statuses).toContain('Test message by Email: Sent')
  })

  it('says when there are no messages yet and no round is scheduled', async () => {
    const app = dashboard({ matches: { nextRound: () => null } })
    await waitFor(() => expect(app.container.textContent).toContain('No messages yet.'))
    await waitFor(() => expect(app.container.textContent).toContain('No round is scheduled.'))
    expect(app.queryByRole('list', { name: 'Latest notifications' })).toBeNull()
  })

  it('says in place when the next round or my notifications cannot be loaded, and still shows my group', async () => {
    const app = dashboard({
      matches: {
        nextRound: () => {
          throw new ServerError('SERVICE_UNAVAILABLE', 'The schedule cannot be read right now')
        },
      },
      me: {
        notifications: () => {
          throw new ServerError('SERVICE_UNAVAILABLE', 'The outbox cannot be read right now')
        },
      },
    })
    await waitFor(() => expect(app.container.textContent).toContain('The schedule cannot be read right now'))
    await waitFor(() => expect(app.container.textContent).toContain('The outbox cannot be read right now'))
    const errors = app.wrapper
      .findAllStatusIndicators()
      .filter((indicator) => indicator.getElement().textContent?.includes('cannot be read'))
    expect(errors).toHaveLength(2)
    expect(app.wrapper.findCards()?.findItems()).toHaveLength(1)
  })
})

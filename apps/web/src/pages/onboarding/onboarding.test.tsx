import { describe, expect, it } from 'bun:test'
import { aCurrentMatch, aMember, aWorkspace, signedInAs } from '../../testing/fixtures.ts'
import { findFormField, renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { type Handlers, invalidInput, ServerError } from '../../testing/trpc-test-link.ts'
import type { RouterOutputs } from '../../trpc.ts'

type Member = RouterOutputs['me']['get']

/** A newcomer whose record changes as the server would change it (version + 1 on every save). */
function newcomer(overrides: Handlers['me'] = {}) {
  let member: Member = aMember({ name: 'New Joiner', onboarded: false, version: 1, department: '' })
  const save = (patch: Partial<Member>) => {
    member = { ...member, ...patch, version: member.version + 1 }
    return member
  }
  const handlers: Handlers = {
    auth: { me: () => signedInAs(member) },
    me: {
      get: () => member,
      directory: () => ({
        people: [
          { id: 'demo-02', name: 'Ben Rossi', department: 'Sales' },
          { id: 'demo-03', name: 'Chiara Nowak', department: 'Marketing' },
        ],
        nextCursor: null,
      }),
      updateProfile: ({ version: _v, ...profile }) => save(profile as Partial<Member>),
      updatePreferences: ({ version: _v, ...preferences }) =>
        save({ preferences: preferences as Member['preferences'] }),
      updateChannels: ({ version: _v, ...channels }) => save({ channels: channels as Member['channels'] }),
      completeOnboarding: () => save({ onboarded: true }),
      notifications: () => [],
      ...overrides,
    },
    matches: { current: () => null, nextRound: () => null },
  }
  return { handlers, member: () => member }
}

describe('onboarding wizard', () => {
  it('sends a newcomer through profile, preferences and channels, then to the dashboard', async () => {
    const { handlers } = newcomer()
    const app = renderApp('/', handlers, { member: aMember({ onboarded: false }) })
    const wizard = await waitForElement(() => app.wrapper.findWizard())
    expect(app.router.state.location.pathname).toBe('/onboarding')
    expect(wizard.findHeader()?.getElement().textContent).toContain('Your profile')
    expect(app.container.textContent).toContain('Welcome, New Joiner.')

    findFormField(app.wrapper, 'Department')!.findControl()!.findInput()!.setInputValue('Finance')
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('Your preferences'))
    expect(app.inputsOf('me.updateProfile')).toEqual([
      expect.objectContaining({
        version: 1,
        name: 'New Joiner',
        department: 'Finance',
        timeZone: 'Europe/Berlin',
      }),
    ])

    // "People I'd rather not meet": found by name in the directory.
    const search = await waitForElement(() => app.wrapper.findAutosuggest())
    search.focus()
    search.setInputValue('Ben')
    await waitFor(() => search.selectSuggestionByValue('demo-02'))
    await waitFor(() => expect(app.wrapper.findTokenGroup()?.getElement().textContent).toContain('Ben Rossi'))
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('How to reach you'))
    expect(app.inputsOf('me.updatePreferences')).toEqual([
      expect.objectContaining({ version: 2, avoidMemberIds: ['demo-02'] }),
    ])

    findFormField(app.wrapper, 'Slack member id')!.findControl()!.findInput()!.setInputValue('U024BE7LH')
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('Done'))
    expect(app.inputsOf('me.updateChannels')).toEqual([
      { version: 3, email: { enabled: true }, slack: { memberId: 'U024BE7LH' } },
    ])
    expect(app.container.textContent).toContain('Email, Slack')

    wizard.findPrimaryButton().click()
    await waitFor(() => expect(app.router.state.location.pathname).toBe('/'))
    expect(app.inputsOf('me.completeOnboarding')).toEqual([{ version: 4 }])
    await waitFor(() =>
      expect(app.flashes()).toContain('You are all set: your first group comes with the next round.'),
    )
  })

  it('points a newcomer who is already in a group to it', async () => {
    const { handlers } = newcomer()
    const app = renderApp(
      '/onboarding',
      { ...handlers, matches: { ...handlers.matches, current: () => aCurrentMatch() } },
      { member: aMember({ onboarded: false }) },
    )
    const wizard = await waitForElement(() => app.wrapper.findWizard())
    for (const next of ['Your preferences', 'How to reach you', 'Done']) {
      wizard.findPrimaryButton().click()
      await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain(next))
    }
    wizard.findPrimaryButton().click()
    await waitFor(() =>
      expect(app.flashes()).toContain('You are all set: meet your group for this round below.'),
    )
    expect(app.router.state.location.pathname).toBe('/')
  })

  it('offers only the channels the workspace has enabled', async () => {
    const { handlers } = newcomer({ workspace: () => aWorkspace({ enabledChannels: ['slack'] }) })
    const app = renderApp('/onboarding', handlers)
    const wizard = await waitForElement(() => app.wrapper.findWizard())
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('Your preferences'))
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('How to reach you'))
    expect(findFormField(app.wrapper, 'Slack member id')).not.toBeNull()
    for (const hidden of ['Email', 'Telegram chat id', 'Signal phone number']) {
      expect(findFormField(app.wrapper, hidden)).toBeNull()
    }
    findFormField(app.wrapper, 'Slack member id')!.findControl()!.findInput()!.setInputValue('U024BE7LH')
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('Done'))
    // The newcomer's email channel was on, but this workspace does not offer email: it is not sent.
    expect(app.inputsOf('me.updateChannels')).toEqual([
      { version: 3, email: { enabled: false }, slack: { memberId: 'U024BE7LH' } },
    ])
    expect(app.container.textContent).toContain('Notified bySlack')
  })

  it('checks the profile with the shared schema before sending it', async () => {
    const { handlers } = newcomer()
    const app = renderApp('/onboarding', handlers)
    const wizard = await waitForElement(() => app.wrapper.findWizard())
    findFormField(app.wrapper, 'Name')!.findControl()!.findInput()!.setInputValue('  ')
    wizard.findPrimaryButton().click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Name')?.findError()?.getElement().textContent).toBe('is required'),
    )
    expect(app.inputsOf('me.updateProfile')).toEqual([])
    findFormField(app.wrapper, 'Name')!.findControl()!.findInput()!.setInputValue('New Joiner')
    await waitFor(() => expect(findFormField(app.wrapper, 'Name')?.findError()).toBeNull())
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('Your preferences'))
  })

  it('shows a channel the server refuses next to its field', async () => {
    const { handlers } = newcomer({
      updateChannels: () => {
        throw invalidInput('signal: is not enabled in this workspace')
      },
    })
    const app = renderApp('/onboarding', handlers)
    const wizard = await waitForElement(() => app.wrapper.findWizard())
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('Your preferences'))
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain('How to reach you'))
    findFormField(app.wrapper, 'Slack member id')!.findControl()!.findInput()!.setInputValue('not-an-id')
    wizard.findPrimaryButton().click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Slack member id')?.findError()?.getElement().textContent).toBe(
        'must be a Slack member id such as "U024BE7LH"',
      ),
    )
    expect(app.inputsOf('me.updateChannels')).toEqual([])

    findFormField(app.wrapper, 'Slack member id')!.findControl()!.findInput()!.setInputValue('')
    findFormField(app.wrapper, 'Signal phone number')!
      .findControl()!
      .findInput()!
      .setInputValue('+491701234567')
    wizard.findPrimaryButton().click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Signal phone number')?.findError()?.getElement().textContent).toBe(
        'is not enabled in this workspace',
      ),
    )
    expect(wizard.findHeader()?.getElement().textContent).toContain('How to reach you')
  })

  it('keeps the newcomer on the last step and says why when finishing fails', async () => {
    const { handlers } = newcomer({
      completeOnboarding: () => {
        throw new ServerError(
          'CONFLICT',
          'Your profile was changed elsewhere since you loaded it (version 4, now 5)',
        )
      },
    })
    const app = renderApp('/onboarding', handlers)
    const wizard = await waitForElement(() => app.wrapper.findWizard())
    for (const next of ['Your preferences', 'How to reach you', 'Done']) {
      wizard.findPrimaryButton().click()
      await waitFor(() => expect(wizard.findHeader()?.getElement().textContent).toContain(next))
    }
    wizard.findPrimaryButton().click()
    await waitFor(() => expect(app.flashes().join()).toContain('Could not finish'))
    expect(app.flashes().join()).toContain('changed elsewhere since you loaded it')
    expect(app.router.state.location.pathname).toBe('/onboarding')
    expect(wizard.findHeader()?.getElement().textContent).toContain('Done')
  })

  it('says when the profile cannot be loaded, under a heading, and tries again', async () => {
    let down = true
    const { handlers, member } = newcomer({
      get: () => {
        if (down) throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
        return member()
      },
    })
    const app = renderApp('/onboarding', handlers)
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Could not load your profile')
    expect(alert.getElement().textContent).toContain('The database is not reachable right now')
    expect(app.queryByRole('heading', { level: 1, name: 'Welcome to Percolate' })).not.toBeNull()
    expect(app.wrapper.findWizard()).toBeNull()
    down = false
    app.getByRole('button', { name: 'Try again' }).click()
    await waitForElement(() => app.wrapper.findWizard())
  })
})

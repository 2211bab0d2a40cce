import { describe, expect, it } from 'bun:test'
import { aMember } from '../../testing/fixtures.ts'
import { findFormField, renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { type Handlers, invalidInput, ServerError } from '../../testing/trpc-test-link.ts'
import type { RouterOutputs } from '../../trpc.ts'

type Member = RouterOutputs['me']['get']

const people = [
  { id: 'demo-02', name: 'Ben Rossi', department: 'Sales' },
  { id: 'demo-03', name: 'Chiara Nowak', department: 'Marketing' },
]

function profilePage(me: Handlers['me'] = {}, member: Member = aMember()) {
  return renderApp(
    '/settings/profile',
    { me: { directory: () => ({ people, nextCursor: null }), ...me } },
    { member },
  )
}

const input = (app: ReturnType<typeof renderApp>, label: string) =>
  findFormField(app.wrapper, label)!.findControl()!.findInput()!

describe('profile and preferences', () => {
  it('saves my profile, naming the version it was made on', async () => {
    const app = profilePage({
      updateProfile: ({ version, ...profile }) =>
        aMember({ ...(profile as Partial<Member>), version: version + 1 }),
    })
    await waitForElement(() => findFormField(app.wrapper, 'Department'))
    input(app, 'Department').setInputValue('Platform')
    app.getByRole('button', { name: 'Save profile' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Your profile is saved.'))
    expect(app.inputsOf('me.updateProfile')).toEqual([
      {
        version: 3,
        name: 'Ada Meyer',
        department: 'Platform',
        location: 'Berlin',
        timeZone: 'Europe/Berlin',
        workingHours: { start: '09:00', end: '17:00' },
        bio: 'Ada works in Engineering from Berlin.',
        interests: ['chess'],
      },
    ])
  })

  it('says at once when the working hours end before they start', async () => {
    const app = profilePage()
    await waitForElement(() => findFormField(app.wrapper, 'Working hours'))
    const [, end] = app.wrapper.findAllTimeInputs()
    end!.setInputValue('08:00')
    app.getByRole('button', { name: 'Save profile' }).click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Working hours')?.findError()?.getElement().textContent).toBe(
        'start must be before end',
      ),
    )
    expect(app.inputsOf('me.updateProfile')).toEqual([])
  })

  it('checks each field again as I fix it, after the first try to save', async () => {
    const app = profilePage({
      updateProfile: ({ version, ...profile }) =>
        aMember({ ...(profile as Partial<Member>), version: version + 1 }),
    })
    await waitForElement(() => findFormField(app.wrapper, 'Name'))
    const error = (label: string) => findFormField(app.wrapper, label)?.findError()?.getElement().textContent
    // Nothing is flagged while I type, before I try to save.
    input(app, 'Name').setInputValue('  ')
    expect(error('Name')).toBeUndefined()
    app.getByRole('button', { name: 'Save profile' }).click()
    await waitFor(() => expect(error('Name')).toBe('is required'))
    input(app, 'Name').setInputValue('Ada Meyer-Lovelace')
    await waitFor(() => expect(error('Name')).toBeUndefined())
    // A new mistake shows as I make it.
    const [, end] = app.wrapper.findAllTimeInputs()
    end!.setInputValue('08:00')
    await waitFor(() => expect(error('Working hours')).toBe('start must be before end'))
    end!.setInputValue('18:00')
    await waitFor(() => expect(error('Working hours')).toBeUndefined())
    expect(app.inputsOf('me.updateProfile')).toEqual([])
    app.getByRole('button', { name: 'Save profile' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Your profile is saved.'))
    expect(app.inputsOf('me.updateProfile')).toMatchObject([
      { name: 'Ada Meyer-Lovelace', workingHours: { start: '09:00', end: '18:00' } },
    ])
  })

  it('shows what the server refuses next to the field', async () => {
    const app = profilePage({
      updateProfile: () => {
        throw invalidInput('location: must be at most 60 characters')
      },
    })
    await waitForElement(() => findFormField(app.wrapper, 'Location'))
    app.getByRole('button', { name: 'Save profile' }).click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Location')?.findError()?.getElement().textContent).toBe(
        'must be at most 60 characters',
      ),
    )
    expect(app.flashes()).toEqual([])
  })

  it('explains a save from a stale tab and reloads the profile', async () => {
    const app = profilePage({
      updateProfile: () => {
        throw new ServerError(
          'CONFLICT',
          'Your profile was changed elsewhere since you loaded it (version 3, now 4)',
        )
      },
    })
    await waitForElement(() => findFormField(app.wrapper, 'Location'))
    app.getByRole('button', { name: 'Save profile' }).click()
    await waitFor(() => expect(app.flashes().join()).toContain('Your profile changed elsewhere'))
    await waitFor(() => expect(app.inputsOf('me.get').length).toBeGreaterThan(1))
  })

  it('picks people I would rather not meet from the directory, and saves them', async () => {
    const app = profilePage({
      updatePreferences: ({ version, ...preferences }) =>
        aMember({ preferences: preferences as Member['preferences'], version: version + 1 }),
    })
    const search = await waitForElement(() => app.wrapper.findAutosuggest())
    search.focus()
    search.setInputValue('chi')
    await waitFor(() => search.selectSuggestionByValue('demo-03'))
    await waitFor(() =>
      expect(app.wrapper.findTokenGroup()?.getElement().textContent).toContain('Chiara Nowak'),
    )
    app.getByRole('button', { name: 'Save preferences' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Your preferences are saved.'))
    expect(app.inputsOf('me.updatePreferences')).toEqual([
      {
        version: 3,
        preferOtherDepartments: true,
        location: 'remote-ok',
        minOverlapHours: 1,
        avoidMemberIds: ['demo-03'],
      },
    ])
  })

  it('removes a person from the list, and shows a refusal next to it', async () => {
    const member = aMember({
      preferences: {
        preferOtherDepartments: true,
        location: 'same',
        minOverlapHours: 2,
        avoidMemberIds: ['demo-02'],
      },
    })
    const app = profilePage(
      {
        updatePreferences: () => {
          throw invalidInput('avoidMemberIds: no member demo-99 in your workspace')
        },
      },
      member,
    )
    const tokens = await waitForElement(() =>
      app.wrapper.findTokenGroup()?.getElement().textContent?.includes('Ben Rossi')
        ? app.wrapper.findTokenGroup()
        : null,
    )
    tokens.findToken(1)!.findDismiss().click()
    await waitFor(() => expect(app.wrapper.findTokenGroup()?.findTokens() ?? []).toHaveLength(0))
    app.getByRole('button', { name: 'Save preferences' }).click()
    await waitFor(() =>
      expect(
        findFormField(app.wrapper, "People I'd rather not meet")?.findError()?.getElement().textContent,
      ).toBe('no member demo-99 in your workspace'),
    )
    expect(app.inputsOf('me.updatePreferences')).toEqual([
      { version: 3, preferOtherDepartments: true, location: 'same', minOverlapHours: 2, avoidMemberIds: [] },
    ])
  })

  it('exports my data as a file', async () => {
    const app = profilePage({
      exportData: () => ({
        exportedAt: '2026-03-05T10:00:00.000Z',
        member: { ...aMember(), identities: [] },
        sessions: [],
        apiTokens: [],
        matches: [],
        notifications: [],
      }),
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Export my data' }))).click()
    await waitFor(() => expect(app.flashes()).toContain('Your data is downloaded as percolate-my-data.json.'))
  })

  it('says what deleting the account takes with it before it is confirmed', async () => {
    const app = profilePage({})
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Delete my account' }))).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    expect(modal.getElement().textContent).toContain(
      'matches (with what you reported, your ratings and notes)',
    )
    expect(modal.getElement().textContent).toContain('Past rounds keep their groups')
  })

  it('says when the profile cannot be loaded', async () => {
    const app = profilePage({
      get: () => {
        throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Could not load your profile')
  })
})

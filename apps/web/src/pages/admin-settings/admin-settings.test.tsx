import { describe, expect, it } from 'bun:test'
import { aDeployment, aMember, nextRounds } from '../../testing/fixtures.ts'
import { findFormField, renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { type Handlers, invalidInput, ServerError } from '../../testing/trpc-test-link.ts'

const admin = aMember({ role: 'admin' })

function settingsPage(config: Handlers['config'] = {}) {
  return renderApp(
    '/admin/settings',
    {
      config: {
        get: () => ({ deployment: aDeployment(), nextRounds: nextRounds() }),
        previewSchedule: () => nextRounds(Date.parse('2026-03-12T08:00:00.000Z')),
        ...config,
      },
    },
    { member: admin },
  )
}

const nextFive = (app: ReturnType<typeof renderApp>) =>
  Array.from(app.getByRole('list', { name: 'Next five rounds' }).querySelectorAll('li')).map(
    (li) => li.textContent,
  )

describe('workspace settings', () => {
  it('previews the next five rounds of the schedule being edited', async () => {
    const app = settingsPage()
    await waitForElement(() => findFormField(app.wrapper, 'Weekday'))
    await waitFor(() => expect(nextFive(app)).toHaveLength(5))
    findFormField(app.wrapper, 'Weekday')!.findControl()!.findSelect()!.openDropdown()
    findFormField(app.wrapper, 'Weekday')!.findControl()!.findSelect()!.selectOptionByValue('thursday')
    await waitFor(() =>
      expect(app.inputsOf('config.previewSchedule')).toContainEqual({
        schedule: { kind: 'weekly', weekday: 'thursday', time: '09:00' },
        timeZone: 'Europe/Berlin',
      }),
    )
    await waitFor(() => expect(nextFive(app)[0]).toBe('Mon, 12 Mar 2026, 09:00 CET'))
  })

  it('previews the rounds in the time zone chosen in the Select', async () => {
    const app = settingsPage()
    const zone = await waitForElement(() =>
      findFormField(app.wrapper, 'Time zone')?.findControl()?.findSelect(),
    )
    zone.openDropdown()
    // The list is long and virtual: find the zone first, as a person would.
    zone.findFilteringInput()!.setInputValue('Tokyo')
    zone.selectOptionByValue('Asia/Tokyo')
    await waitFor(() =>
      expect(app.inputsOf('config.previewSchedule')).toContainEqual({
        schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
        timeZone: 'Asia/Tokyo',
      }),
    )
    expect(findFormField(app.wrapper, 'Next five rounds')?.getElement().textContent).toContain(
      "In the workspace's time zone, Asia/Tokyo.",
    )
  })

  it('says when the settings cannot be loaded', async () => {
    const app = settingsPage({
      get: () => {
        throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Could not load the settings')
    expect(alert.getElement().textContent).toContain('The database is not reachable right now')
    expect(app.queryByRole('button', { name: 'Save settings' })).toBeNull()
  })

  it('saves a new meeting size, naming the version it was made on', async () => {
    const app = settingsPage({
      update: ({ settings }) => ({
        deployment: aDeployment({ ...settings, version: 5 }),
        nextRounds: nextRounds(),
      }),
    })
    await waitForElement(() => findFormField(app.wrapper, 'Meeting size'))
    findFormField(app.wrapper, 'Meeting size')!.findControl()!.findInput()!.setInputValue('3')
    app.getByRole('button', { name: 'Save settings' }).click()
    await waitFor(() =>
      expect(app.flashes().join()).toContain('Settings saved. Next round: Mon, 9 Mar 2026, 09:00 CET.'),
    )
    expect(app.inputsOf('config.update')).toEqual([
      {
        version: 4,
        settings: {
          name: 'Demo Co',
          timeZone: 'Europe/Berlin',
          schedule: { kind: 'weekly', weekday: 'monday', time: '09:00' },
          meetingSize: 3,
          remainderPolicy: 'larger-groups',
          participationMode: 'automatic',
          repeatDecayWeeks: 26,
          allowedEmailDomains: ['democo.example'],
          enabledChannels: ['email', 'slack'],
          identityProviders: [{ kind: 'local' }],
        },
      },
    ])
  })

  it('checks the settings with the shared schema before saving', async () => {
    const app = settingsPage()
    await waitForElement(() => findFormField(app.wrapper, 'Meeting size'))
    findFormField(app.wrapper, 'Meeting size')!.findControl()!.findInput()!.setInputValue('9')
    app.wrapper.findSegmentedControl()!.findSegmentById('cron')!.click()
    await waitForElement(() => findFormField(app.wrapper, 'Cron expression'))
    findFormField(app.wrapper, 'Cron expression')!.findControl()!.findInput()!.setInputValue('every monday')
    app.getByRole('button', { name: 'Save settings' }).click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Meeting size')?.findError()?.getElement().textContent).toBe(
        'must be at most 6',
      ),
    )
    expect(findFormField(app.wrapper, 'Cron expression')?.findError()?.getElement().textContent).toContain(
      '"every monday" is not a cron expression with five fields',
    )
    expect(app.container.textContent).toContain('Complete the schedule to see its rounds')
    expect(app.inputsOf('config.update')).toEqual([])
    // Fixed: each message goes as soon as its field is right, and the preview comes back.
    findFormField(app.wrapper, 'Meeting size')!.findControl()!.findInput()!.setInputValue('4')
    await waitFor(() => expect(findFormField(app.wrapper, 'Meeting size')?.findError()).toBeNull())
    expect(findFormField(app.wrapper, 'Cron expression')?.findError()).not.toBeNull()
    findFormField(app.wrapper, 'Cron expression')!.findControl()!.findInput()!.setInputValue('0 9 * * 4')
    await waitFor(() => expect(findFormField(app.wrapper, 'Cron expression')?.findError()).toBeNull())
    await waitFor(() => expect(nextFive(app)).toHaveLength(5))
  })

  it('shows the server’s refusal next to its field', async () => {
    const app = settingsPage({
      update: () => {
        throw invalidInput('settings.name: must be at most 100 characters')
      },
    })
    await waitForElement(() => findFormField(app.wrapper, 'Workspace name'))
    app.getByRole('button', { name: 'Save settings' }).click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Workspace name')?.findError()?.getElement().textContent).toBe(
        'must be at most 100 characters',
      ),
    )
  })

  it('says clearly when another admin saved first, and loads their version', async () => {
    let version = 4
    const app = settingsPage({
      get: () => ({
        deployment: aDeployment({ version, meetingSize: version === 4 ? 2 : 4 }),
        nextRounds: nextRounds(),
      }),
      update: () => {
        version = 5
        throw new ServerError(
          'CONFLICT',
          'The settings were changed by someone else (version 4, now 5); reload them',
        )
      },
    })
    await waitForElement(() => findFormField(app.wrapper, 'Meeting size'))
    findFormField(app.wrapper, 'Meeting size')!.findControl()!.findInput()!.setInputValue('3')
    app.getByRole('button', { name: 'Save settings' }).click()
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain(
      'Another admin saved the settings while you were editing',
    )
    expect(app.flashes().join()).toContain('Another admin saved the settings first')
    app.getByRole('button', { name: 'Load their version' }).click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Meeting size')!.findControl()!.findInput()!.getInputValue()).toBe(
        '4',
      ),
    )
    expect(app.wrapper.findAlert()).toBeNull()
  })

  it('tells a member that only admins can open it', async () => {
    const app = renderApp('/admin/settings', {}, { member: aMember({ role: 'member' }) })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Only admins can open this page')
    expect(app.calls.some((call) => call.path === 'config.get')).toBe(false)
    expect(app.wrapper.findSideNavigation()?.getElement().textContent).not.toContain('Workspace settings')
  })

  it('shows the admin section in the navigation to admins', async () => {
    const app = settingsPage()
    await waitForElement(() => findFormField(app.wrapper, 'Meeting size'))
    expect(app.wrapper.findSideNavigation()?.getElement().textContent).toContain('Workspace settings')
  })
})

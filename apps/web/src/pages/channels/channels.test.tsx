import { describe, expect, it } from 'bun:test'
import { aMember, aNotification, aWorkspace } from '../../testing/fixtures.ts'
import { findFormField, renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { type Handlers, invalidInput, ServerError } from '../../testing/trpc-test-link.ts'
import type { RouterOutputs } from '../../trpc.ts'

type Member = RouterOutputs['me']['get']

function channelsPage(me: Handlers['me'] = {}, member: Member = aMember()) {
  return renderApp('/settings/channels', { me: { notifications: () => [], ...me } }, { member })
}

/** The Container of one channel, by its header. */
const panel = (app: ReturnType<typeof renderApp>, label: string) =>
  app.wrapper.findAllContainers().find((c) => c.findHeader()?.getElement().textContent?.startsWith(label)) ??
  null

describe('notification channels', () => {
  it('shows per channel whether it is set up and how its last message went', async () => {
    const app = channelsPage({
      notifications: () => [
        aNotification({ channel: 'email', status: 'failed', reason: 'SES: address on the suppression list' }),
        aNotification({ channel: 'email', status: 'sent', updatedAt: '2026-02-23T08:00:05.000Z' }),
      ],
    })
    const email = await waitForElement(() => panel(app, 'Email'))
    await waitFor(() =>
      expect(email.getElement().textContent).toContain('Last message (Your new group): Failed'),
    )
    expect(email.getElement().textContent).toContain('SES: address on the suppression list')
    expect(panel(app, 'Slack')!.getElement().textContent).toContain('Not set up')
    expect(panel(app, 'Slack')!.findHeader()!.findButton()!.isDisabled()).toBe(true)
  })

  it('shows only the channels the workspace offers', async () => {
    const app = channelsPage({ workspace: () => aWorkspace({ enabledChannels: ['slack', 'email'] }) })
    await waitForElement(() => panel(app, 'Email'))
    expect(['Email', 'Slack', 'Telegram', 'Signal'].filter((label) => panel(app, label))).toEqual([
      'Email',
      'Slack',
    ])
    expect(findFormField(app.wrapper, 'Telegram chat id')).toBeNull()
    expect(app.wrapper.findAlert()).toBeNull()
  })

  it('says when a channel I set up is no longer offered, and leaves it out when saving another', async () => {
    const member = aMember({ channels: { email: { enabled: true }, telegram: { chatId: '42424242' } } })
    const app = channelsPage(
      {
        workspace: () => aWorkspace({ enabledChannels: ['email', 'slack'] }),
        updateChannels: ({ version, ...channels }) =>
          aMember({ channels: channels as Member['channels'], version: version + 1 }),
      },
      member,
    )
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Your workspace no longer offers Telegram')
    findFormField(app.wrapper, 'Slack member id')!.findControl()!.findInput()!.setInputValue('U024BE7LH')
    app.getByRole('button', { name: 'Save Slack' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Slack is set up.'))
    expect(app.inputsOf('me.updateChannels')).toEqual([
      { version: 3, email: { enabled: true }, slack: { memberId: 'U024BE7LH' } },
    ])
    await waitFor(() => expect(app.wrapper.findAlert()).toBeNull())
  })

  it('says when the workspace’s channels cannot be loaded', async () => {
    const app = channelsPage({
      workspace: () => {
        throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Could not load your channels')
    expect(alert.getElement().textContent).toContain('The database is not reachable right now')
  })

  it('sets up Slack, changing only Slack', async () => {
    const member = aMember({ channels: { email: { enabled: true }, telegram: { chatId: '42424242' } } })
    const app = channelsPage(
      {
        updateChannels: ({ version, ...channels }) =>
          aMember({ channels: channels as Member['channels'], version: version + 1 }),
      },
      member,
    )
    await waitForElement(() => findFormField(app.wrapper, 'Slack member id'))
    findFormField(app.wrapper, 'Slack member id')!.findControl()!.findInput()!.setInputValue('U024BE7LH')
    app.getByRole('button', { name: 'Save Slack' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Slack is set up.'))
    expect(app.inputsOf('me.updateChannels')).toEqual([
      {
        version: 3,
        email: { enabled: true },
        slack: { memberId: 'U024BE7LH' },
        telegram: { chatId: '42424242' },
      },
    ])
  })

  it('checks an address before saving it', async () => {
    const app = channelsPage()
    await waitForElement(() => findFormField(app.wrapper, 'Signal phone number'))
    findFormField(app.wrapper, 'Signal phone number')!.findControl()!.findInput()!.setInputValue('0170 1234')
    app.getByRole('button', { name: 'Save Signal' }).click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Signal phone number')?.findError()?.getElement().textContent).toBe(
        'must be a phone number in international format such as "+491701234567"',
      ),
    )
    expect(app.inputsOf('me.updateChannels')).toEqual([])
    // Fixed: the message goes at once, before the next save.
    findFormField(app.wrapper, 'Signal phone number')!
      .findControl()!
      .findInput()!
      .setInputValue('+491701234567')
    await waitFor(() => expect(findFormField(app.wrapper, 'Signal phone number')?.findError()).toBeNull())
    expect(app.inputsOf('me.updateChannels')).toEqual([])
  })

  it('shows the server’s refusal of a channel the workspace does not offer next to it', async () => {
    const app = channelsPage({
      updateChannels: () => {
        throw invalidInput('telegram: is not enabled in this workspace')
      },
    })
    await waitForElement(() => findFormField(app.wrapper, 'Telegram chat id'))
    findFormField(app.wrapper, 'Telegram chat id')!.findControl()!.findInput()!.setInputValue('123456789')
    app.getByRole('button', { name: 'Save Telegram' }).click()
    await waitFor(() =>
      expect(findFormField(app.wrapper, 'Telegram chat id')?.findError()?.getElement().textContent).toBe(
        'is not enabled in this workspace',
      ),
    )
  })

  it('sends me a test and shows its outcome when the dispatcher has sent it', async () => {
    let sent = false
    const app = channelsPage({
      sendTestMessage: ({ channel }) => {
        sent = true
        return { queued: true, channel, at: '2026-03-05T10:00:00.000Z' }
      },
      notifications: () => (sent ? [aNotification({ kind: 'test', status: 'sent' })] : []),
    })
    const email = await waitForElement(() => panel(app, 'Email'))
    await waitFor(() => expect(email.getElement().textContent).toContain('No messages on this channel yet'))
    app.getByRole('button', { name: 'Send me a test on Email' }).click()
    await waitFor(() => expect(app.flashes().join()).toContain('A test message to Email is on its way.'))
    expect(app.inputsOf('me.sendTestMessage')).toEqual([{ channel: 'email' }])
    await waitFor(() =>
      expect(panel(app, 'Email')!.getElement().textContent).toContain('Last message (Test message): Sent'),
    )
  })

  it('says why a test could not be sent', async () => {
    const app = channelsPage({
      sendTestMessage: () => {
        throw new ServerError(
          'CONFLICT',
          'channel: a test message to email is already on its way; try again in a minute',
        )
      },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: 'Send me a test on Email' }))).click()
    await waitFor(() => expect(app.flashes().join()).toContain('already on its way; try again in a minute'))
  })
})

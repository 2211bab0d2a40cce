import { describe, expect, it } from 'bun:test'
import { aMember, aNotification } from '../../testing/fixtures.ts'
import { renderApp, waitFor } from '../../testing/render-app.tsx'
import { ServerError } from '../../testing/trpc-test-link.ts'

const admin = aMember({ role: 'admin' })

describe('notifications (admin)', () => {
  it('lists failed notifications by member name with their reasons, and other statuses on request', async () => {
    const app = renderApp(
      '/admin/notifications',
      {
        admin: {
          notifications: ({ status }) => ({
            notifications:
              status === 'failed'
                ? [
                    aNotification({
                      memberId: 'demo-07',
                      memberName: 'Gustav Novak',
                      channel: 'telegram',
                      status: 'failed',
                      attempts: 3,
                      reason: 'Telegram: bot was blocked by the user',
                    }),
                  ]
                : [aNotification({ status: 'sent' })],
            nextCursor: null,
          }),
        },
      },
      { member: admin },
    )
    await waitFor(() => expect(app.wrapper.findTable()?.findRows()).toHaveLength(1))
    const row = app.wrapper.findTable()!.findRows()[0]!.getElement().textContent
    expect(row).toContain('Gustav Novak')
    expect(row).not.toContain('demo-07')
    expect(row).toContain('Telegram')
    expect(row).toContain('Telegram: bot was blocked by the user')
    app.wrapper.findSegmentedControl()!.findSegmentById('sent')!.click()
    await waitFor(() =>
      expect(app.wrapper.findTable()!.findRows()[0]!.getElement().textContent).toContain('Sent'),
    )
    expect(app.inputsOf('admin.notifications')).toEqual(
      [
        { status: 'failed', limit: 50 },
        { status: 'sent', limit: 50 },
      ].map((input) => ({ ...input, direction: 'forward' })),
    )
  })

  it('says when nothing failed', async () => {
    const app = renderApp(
      '/admin/notifications',
      { admin: { notifications: () => ({ notifications: [], nextCursor: null }) } },
      { member: admin },
    )
    await waitFor(() =>
      expect(app.wrapper.findTable()?.findEmptySlot()?.getElement().textContent).toContain(
        'No failed notifications',
      ),
    )
  })

  it('says when they cannot be loaded', async () => {
    const app = renderApp(
      '/admin/notifications',
      {
        admin: {
          notifications: () => {
            throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
          },
        },
      },
      { member: admin },
    )
    await waitFor(() => expect(app.wrapper.findAlert()?.getElement().textContent).toContain('not reachable'))
    // Not "no failed notifications": that would tell an admin everything got through.
    const empty = app.wrapper.findTable()!.findEmptySlot()!.getElement().textContent
    expect(empty).toContain('The notifications did not load')
    expect(empty).not.toContain('No failed notifications')
  })
})

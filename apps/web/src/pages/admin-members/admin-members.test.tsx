import { describe, expect, it } from 'bun:test'
import { aMember, anAdminViewOf } from '../../testing/fixtures.ts'
import { renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { type Handlers, ServerError } from '../../testing/trpc-test-link.ts'

const admin = aMember({ role: 'admin' })
const roster = [
  anAdminViewOf({ role: 'admin' }),
  anAdminViewOf({ id: 'demo-02', name: 'Ben Rossi', email: 'ben.rossi@democo.example', department: 'Sales' }),
  anAdminViewOf({
    id: 'demo-03',
    name: 'Chiara Nowak',
    email: 'chiara.nowak@democo.example',
    department: 'Marketing',
    participation: { status: 'paused', until: '2026-04-01' },
  }),
]

function membersPage(handlers: Handlers['admin'] = {}) {
  return renderApp(
    '/admin/members',
    { admin: { members: () => ({ members: roster, nextCursor: null }), ...handlers } },
    { member: admin },
  )
}

const rows = (app: ReturnType<typeof renderApp>) =>
  app.wrapper
    .findTable()!
    .findRows()
    .map((row) => row.getElement().textContent ?? '')

/** Selects the member in the row whose text includes `name`. */
function select(app: ReturnType<typeof renderApp>, name: string) {
  const index = rows(app).findIndex((row) => row.includes(name))
  app.wrapper
    .findTable()!
    .findRowSelectionArea(index + 1)!
    .click()
}

describe('members', () => {
  it('lists the members with their role and participation, and filters them', async () => {
    const app = membersPage()
    await waitFor(() => expect(rows(app)).toHaveLength(3))
    expect(rows(app)[2]).toContain('Paused until Wed, 1 Apr 2026')
    expect(rows(app)[0]).toContain('Admin')
    app.wrapper.findTextFilter()!.findInput().setInputValue('sales')
    await waitFor(() => expect(rows(app)).toHaveLength(1))
    expect(rows(app)[0]).toContain('Ben Rossi')
  })

  it('pauses the selected member', async () => {
    const app = membersPage({
      setParticipation: ({ memberId, participation }) => ({ ...roster[1]!, id: memberId, participation }),
    })
    await waitFor(() => expect(rows(app)).toHaveLength(3))
    select(app, 'Ben Rossi')
    app.getByRole('button', { name: 'Pause' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Ben Rossi is paused.'))
    expect(app.inputsOf('admin.setParticipation')).toEqual([
      { memberId: 'demo-02', participation: { status: 'paused' } },
    ])
  })

  it('resumes a paused member and makes another an admin', async () => {
    const app = membersPage({
      setParticipation: ({ participation }) => ({ ...roster[2]!, participation }),
      setRole: ({ role }) => ({ ...roster[1]!, role }),
    })
    await waitFor(() => expect(rows(app)).toHaveLength(3))
    select(app, 'Chiara Nowak')
    app.getByRole('button', { name: 'Resume' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Chiara Nowak is back in the rounds.'))
    select(app, 'Ben Rossi')
    app.getByRole('button', { name: 'Make admin' }).click()
    await waitFor(() => expect(app.flashes()).toContain('Ben Rossi is now an admin.'))
    expect(app.inputsOf('admin.setRole')).toEqual([{ memberId: 'demo-02', role: 'admin' }])
  })

  it('removes a member only after confirming', async () => {
    const app = membersPage({ remove: () => ({ removed: true, sessionsEnded: 2 }) })
    await waitFor(() => expect(rows(app)).toHaveLength(3))
    select(app, 'Ben Rossi')
    app.getByRole('button', { name: 'Remove' }).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    expect(modal.findHeader().getElement().textContent).toBe('Remove Ben Rossi?')
    expect(app.inputsOf('admin.remove')).toEqual([])
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() => expect(app.flashes()).toContain('Ben Rossi was removed and signed out everywhere.'))
    expect(app.inputsOf('admin.remove')).toEqual([{ memberId: 'demo-02' }])
    await waitFor(() => expect(app.inputsOf('admin.members').length).toBeGreaterThan(1))
  })

  it('says why a change was refused', async () => {
    const app = membersPage({
      setRole: () => {
        throw new ServerError(
          'CONFLICT',
          'role: a workspace needs at least one admin; make someone else admin first',
        )
      },
    })
    await waitFor(() => expect(rows(app)).toHaveLength(3))
    select(app, 'Ada Meyer')
    app.getByRole('button', { name: 'Make member' }).click()
    await waitFor(() => expect(app.flashes().join()).toContain('a workspace needs at least one admin'))
  })

  it('does not offer to remove myself', async () => {
    const app = membersPage()
    await waitFor(() => expect(rows(app)).toHaveLength(3))
    select(app, 'Ada Meyer')
    await waitFor(() =>
      expect(app.getByRole('button', { name: 'Remove' }).getAttribute('aria-disabled')).toBe('true'),
    )
  })

  it('says when the members cannot be loaded', async () => {
    const app = membersPage({
      members: () => {
        throw new ServerError('FORBIDDEN', 'Only admins of this workspace can do this.')
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('Only admins of this workspace can do this.')
    const empty = app.wrapper.findTable()!.findEmptySlot()!.getElement().textContent
    expect(empty).toContain('The members did not load')
    expect(empty).not.toContain('No members yet')
  })
})

import { describe, expect, it } from 'bun:test'
import { aPastMatch } from '../../testing/fixtures.ts'
import { findFormField, renderApp, waitFor, waitForElement } from '../../testing/render-app.tsx'
import { type Handlers, invalidInput, ServerError } from '../../testing/trpc-test-link.ts'

const week = 7 * 86_400_000
/** `count` past rounds, newest first, alternating who was in them. */
const rounds = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    aPastMatch({
      scheduledAt: new Date(Date.parse('2026-02-23T08:00:00.000Z') - i * week).toISOString(),
      status: i === 0 ? 'scheduled' : i % 3 === 0 ? 'didnt-meet' : 'met',
      rating: i === 0 || i % 3 === 0 ? null : 3 + (i % 3),
      people: [
        {
          id: `demo-${10 + i}`,
          name: i % 2 === 0 ? `Chiara Nowak ${i}` : `Dmitri Okafor ${i}`,
          department: i % 2 === 0 ? 'Marketing' : 'Finance',
          timeZone: 'Europe/Lisbon',
          localTime: '07:00',
          bio: '',
        },
      ],
    }),
  )

const history = (matches: ReturnType<typeof rounds>, more: Handlers['matches'] = {}) =>
  renderApp('/history', { matches: { history: () => ({ matches, nextCursor: null }), ...more } })

const rowTexts = (app: ReturnType<typeof renderApp>) =>
  app.wrapper
    .findTable()!
    .findRows()
    .map((row) => row.getElement().textContent ?? '')

describe('history', () => {
  it('lists my rounds newest first, ten to a page', async () => {
    const app = history(rounds(12))
    await waitFor(() => expect(rowTexts(app)).toHaveLength(10))
    expect(rowTexts(app)[0]).toContain('Chiara Nowak 0')
    expect(rowTexts(app)[0]).toContain('Not reported yet')
    expect(rowTexts(app)[2]).toContain('★★★★★')
    expect(app.wrapper.findTable()!.findHeaderSlot()!.getElement().textContent).toContain('(12)')
    app.wrapper.findPagination()!.findNextPageButton().click()
    await waitFor(() => expect(rowTexts(app)).toHaveLength(2))
    expect(rowTexts(app)[1]).toContain('Dmitri Okafor 11')
  })

  it('loads every page of history before filtering', async () => {
    const all = rounds(3)
    const app = renderApp('/history', {
      matches: {
        history: (input) =>
          input.cursor
            ? { matches: all.slice(2), nextCursor: null }
            : { matches: all.slice(0, 2), nextCursor: 'page-2' },
      },
    })
    await waitFor(() => expect(rowTexts(app)).toHaveLength(3))
    expect(app.inputsOf('matches.history')).toEqual([
      { limit: 50, direction: 'forward' },
      { limit: 50, cursor: 'page-2', direction: 'forward' },
    ])
  })

  it('filters by name, department or status, and says when nothing matches', async () => {
    const app = history(rounds(6))
    await waitFor(() => expect(rowTexts(app)).toHaveLength(6))
    app.wrapper.findTextFilter()!.findInput().setInputValue('finance')
    await waitFor(() => expect(rowTexts(app)).toHaveLength(3))
    expect(rowTexts(app).every((row) => row.includes('Dmitri Okafor'))).toBe(true)
    app.wrapper.findTextFilter()!.findInput().setInputValue("didn't meet")
    await waitFor(() => expect(rowTexts(app)).toHaveLength(1))
    expect(rowTexts(app)[0]).toContain('Dmitri Okafor 3')
    app.wrapper.findTextFilter()!.findInput().setInputValue('nobody like this')
    await waitFor(() =>
      expect(app.wrapper.findTable()!.findEmptySlot()?.getElement().textContent).toContain('No matches'),
    )
  })

  it('sorts by rating', async () => {
    const app = history(rounds(4))
    await waitFor(() => expect(rowTexts(app)).toHaveLength(4))
    const ratingHeader = app.wrapper.findTable()!.findColumnHeaders()[4]!.find('[role="button"]')!
    ratingHeader.click()
    await waitFor(() => expect(rowTexts(app)[3]).toContain('★★★★★'))
  })

  it('hides a column through the preferences', async () => {
    const app = history(rounds(2))
    await waitFor(() => expect(rowTexts(app)).toHaveLength(2))
    const headers = () =>
      app.wrapper
        .findTable()!
        .findColumnHeaders()
        .map((h) => h.getElement().textContent)
    expect(headers()).toContain('Why you were grouped')
    const preferences = app.wrapper.findCollectionPreferences()!
    preferences.findTriggerButton().click()
    const modal = await waitForElement(() => preferences.findModal())
    modal
      .findContentDisplayPreference()!
      .findOptionByIndex(4)!
      .findVisibilityToggle()
      .findNativeInput()
      .click()
    modal.findConfirmButton()!.click()
    await waitFor(() => expect(headers()).not.toContain('Why you were grouped'))
  })

  it('says there is nothing yet before the first round', async () => {
    const app = history([])
    await waitFor(() =>
      expect(app.wrapper.findTable()!.findEmptySlot()?.getElement().textContent).toContain('No rounds yet'),
    )
  })

  it('says when the history cannot be loaded', async () => {
    const app = renderApp('/history', {
      matches: {
        history: () => {
          throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
        },
      },
    })
    const alert = await waitForElement(() => app.wrapper.findAlert())
    expect(alert.getElement().textContent).toContain('The database is not reachable right now')
    const empty = app.wrapper.findTable()!.findEmptySlot()!.getElement().textContent
    expect(empty).toContain('Your history did not load')
    expect(empty).not.toContain('No rounds yet')
  })

  it('saves feedback (met, a rating and a note) from a Modal', async () => {
    const app = history(rounds(2), { report: (input) => ({ ...aPastMatch(), status: input.status }) })
    const feedback = await waitForElement(() => app.getAllByRole('button', { name: /Give feedback/ })[0])
    feedback.click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    modal.findContent().findSegmentedControl()!.findSegmentById('5')!.click()
    findFormField(modal, 'Note')!.findControl()!.findTextarea()!.setTextareaValue('Great walk by the river')
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() => expect(app.flashes()).toContain('Thanks: your feedback is saved.'))
    expect(app.inputsOf('matches.report')).toEqual([
      { scheduledAt: '2026-02-23T08:00:00.000Z', status: 'met', rating: 5, note: 'Great walk by the river' },
    ])
    await waitFor(() => expect(app.wrapper.findModal()).toBeNull())
  })

  it('opens the Modal with my earlier note and rating, and clears the note when I empty it', async () => {
    const [first, ...rest] = rounds(2)
    const app = history([{ ...first!, status: 'met', rating: 4, note: 'Coffee by the canal' }, ...rest], {
      report: (input) => ({ ...aPastMatch(), status: input.status, note: input.note ?? null }),
    })
    ;(await waitForElement(() => app.getAllByRole('button', { name: /Give feedback/ })[0])).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    const note = findFormField(modal, 'Note')!.findControl()!.findTextarea()!
    expect(note.getTextareaValue()).toBe('Coffee by the canal')
    expect(modal.findContent().findSegmentedControl()!.findSelectedSegment()!.getElement().textContent).toBe(
      '4',
    )
    note.setTextareaValue('')
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() => expect(app.flashes()).toContain('Thanks: your feedback is saved.'))
    expect(app.inputsOf('matches.report')).toEqual([
      { scheduledAt: '2026-02-23T08:00:00.000Z', status: 'met', rating: 4, note: '' },
    ])
  })

  it('leaves an unchanged note as it is', async () => {
    const [first] = rounds(1)
    const app = history([{ ...first!, status: 'met', rating: null, note: 'Coffee by the canal' }], {
      report: (input) => ({ ...aPastMatch(), status: input.status }),
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: /Give feedback/ }))).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() => expect(app.flashes()).toContain('Thanks: your feedback is saved.'))
    expect(app.inputsOf('matches.report')).toEqual([
      { scheduledAt: '2026-02-23T08:00:00.000Z', status: 'met' },
    ])
  })

  it('keeps the Modal open with the server’s reason next to the field', async () => {
    const app = history(rounds(1), {
      report: () => {
        throw invalidInput('rating: must be at most 5')
      },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: /Give feedback/ }))).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() =>
      expect(findFormField(modal, 'Rating')?.findError()?.getElement().textContent).toBe('must be at most 5'),
    )
    expect(app.flashes()).toEqual([])
  })

  it('keeps the Modal open with what I typed when the save fails, and says why in it', async () => {
    const app = history(rounds(1), {
      report: () => {
        throw new ServerError('SERVICE_UNAVAILABLE', 'The database is not reachable right now')
      },
    })
    ;(await waitForElement(() => app.queryByRole('button', { name: /Give feedback/ }))).click()
    const modal = await waitForElement(() => app.wrapper.findModal())
    findFormField(modal, 'Note')!.findControl()!.findTextarea()!.setTextareaValue('Lovely chat')
    modal.findFooter()!.findButton('[class*="variant-primary"]')!.click()
    await waitFor(() =>
      expect(modal.findContent().findForm()?.findError()?.getElement().textContent).toBe(
        'Could not save your feedback: The database is not reachable right now',
      ),
    )
    expect(app.wrapper.findModal()).not.toBeNull()
    expect(findFormField(modal, 'Note')!.findControl()!.findTextarea()!.getTextareaValue()).toBe(
      'Lovely chat',
    )
  })
})

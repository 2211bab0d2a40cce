// Renders the real app (routes, shell, pages) at a path, with the API answered by test handlers.
import createWrapper, {
  type ElementWrapper,
  FormFieldWrapper,
} from '@cloudscape-design/components/test-utils/dom'
import { QueryClient } from '@tanstack/react-query'
import { act, render } from '@testing-library/react'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { AppProviders } from '../components/app-providers.tsx'
import { routes } from '../routes.tsx'
import { type RouterOutputs, trpc } from '../trpc.ts'
import { aMember, aWorkspace, signedInAs } from './fixtures.ts'
import { type Call, type Handlers, testLink } from './trpc-test-link.ts'

export interface RenderOptions {
  /** The signed-in member (me.get and auth.me answer with it unless the handlers say otherwise). */
  member?: RouterOutputs['me']['get']
}

export function renderApp(path: string, handlers: Handlers = {}, options: RenderOptions = {}) {
  const member = options.member ?? aMember()
  const calls: Call[] = []
  const all: Handlers = {
    ...handlers,
    // What every page may ask for; a test that is about one of them gives its own handler.
    auth: { me: () => signedInAs(member), ...handlers.auth },
    me: { get: () => member, workspace: () => aWorkspace(), ...handlers.me },
  }
  const trpcClient = trpc.createClient({ links: [testLink(all, calls)] })
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: false, staleTime: Number.POSITIVE_INFINITY },
      mutations: { retry: false },
    },
  })
  const router = createMemoryRouter(routes, { initialEntries: [path] })
  const result = render(
    <AppProviders trpcClient={trpcClient} queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  )
  // The whole document: modals and dropdowns render outside the app's container.
  const wrapper = createWrapper(document.body)
  return {
    ...result,
    wrapper,
    router,
    calls,
    /** The inputs of every call to `path` so far. */
    inputsOf: (procedure: string) =>
      calls.filter((call) => call.path === procedure).map((call) => call.input),
    /** The Flashbar's messages' text. */
    flashes: () =>
      wrapper
        .findFlashbar()
        ?.findItems()
        .map((item) => item.getElement().textContent ?? '') ?? [],
  }
}

/**
 * Retries `check` until it stops throwing, letting React and the API answer in between. Polls on a timer rather
 * than on DOM mutations (testing-library's waitFor): some Cloudscape components mutate the DOM on every check,
 * which starves React's scheduler.
 */
export async function waitFor<T>(check: () => T, timeout = 5_000): Promise<T> {
  const start = Date.now()
  for (;;) {
    try {
      return check()
    } catch (error) {
      if (Date.now() - start > timeout) throw error
    }
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)))
  }
}

/** Waits until `find` returns something (a Cloudscape wrapper or an element), and returns it. */
export function waitForElement<T>(find: () => T | null | undefined, timeout = 5_000): Promise<T> {
  return waitFor(() => {
    const found = find()
    if (!found) throw new Error('Nothing found yet: the page does not show what this test waits for')
    return found
  }, timeout)
}

/** The FormField whose label is `label` (exactly), or null. */
export function findFormField(
  wrapper: Pick<ElementWrapper<Element>, 'findAllComponents'>,
  label: string,
): FormFieldWrapper | null {
  return (
    wrapper
      .findAllComponents(FormFieldWrapper)
      .find((field) => field.findLabel()?.getElement().textContent?.trim() === label) ?? null
  )
}

// The browser session: HttpOnly cookies the page cannot read, kept alive by POST /auth/refresh. A request that
// comes back 401 refreshes once and is sent again; tabs take turns (Web Locks), so two tabs never spend the
// same refresh token, which the server would treat as theft and end the session.
const CSRF_HEADERS = { 'x-percolate-csrf': '1' }
const REFRESHED_AT = 'percolate-refreshed-at'
/** Refresh this long before the 15-minute access token runs out. */
export const REFRESH_EVERY_MS = 12 * 60 * 1000

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request('percolate-session', work) as Promise<T>
  }
  return work()
}

let inFlight: Promise<boolean> | null = null

/** Refreshes the session; false when it has ended (sign in again). `since`: skip if another tab just did. */
export function refreshSession(since?: number): Promise<boolean> {
  inFlight ??= withLock(async () => {
    const last = Number(localStorage.getItem(REFRESHED_AT) ?? 0)
    if (since !== undefined && last > since) return true
    const response = await fetch('/auth/refresh', {
      method: 'POST',
      headers: CSRF_HEADERS,
      credentials: 'same-origin',
    })
    if (response.ok) localStorage.setItem(REFRESHED_AT, String(Date.now()))
    return response.ok
  }).finally(() => {
    inFlight = null
  })
  return inFlight
}

/** fetch for the tRPC link: same-origin evidence on every call, and one refresh-and-retry on 401. */
export async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const send = () =>
    fetch(input, {
      ...init,
      credentials: 'same-origin',
      headers: { ...(init?.headers as object), ...CSRF_HEADERS },
    })
  const startedAt = Date.now()
  const response = await send()
  if (response.status !== 401) return response
  // Another tab may have refreshed meanwhile: refreshSession skips the refresh then, and the retry just works.
  if (!(await refreshSession(startedAt))) return response
  return send()
}

export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', headers: CSRF_HEADERS, credentials: 'same-origin' })
  localStorage.removeItem(REFRESHED_AT)
}

/** The address of the sign-in button for a provider, coming back to `returnTo` afterwards. */
export function signInHref(providerKey: string, deploymentId: string, returnTo: string): string {
  const query = new URLSearchParams({ deployment: deploymentId, returnTo })
  return `/auth/login/${encodeURIComponent(providerKey)}?${query}`
}

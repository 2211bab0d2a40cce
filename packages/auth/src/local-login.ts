// Drives the local provider's login like a browser would (cookies, redirects, the form), for tests.
export class CookieJar {
  private readonly cookies = new Map<string, string>()
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      const name = pair!.slice(0, at).trim()
      const value = pair!.slice(at + 1).trim()
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name)
  }
  set(name: string, value: string): void {
    this.cookies.set(name, value)
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

/**
 * Follows the authorization request through the login form until the provider redirects to `redirectPrefix`;
 * returns that URL (the callback with code and state).
 */
export async function signInAtLocalProvider(
  authorizationUrl: URL,
  credentials: { email: string; password: string },
  redirectPrefix: string,
  jar = new CookieJar(),
): Promise<{ callbackUrl: URL; loginStatus: number }> {
  let url = authorizationUrl.href
  let loginStatus = 0
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(redirectPrefix)) return { callbackUrl: new URL(url), loginStatus }
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } })
    jar.store(response)
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).href
      continue
    }
    const page = await response.text()
    const action = /action="([^"]+)"/.exec(page)?.[1]
    if (response.status !== 200 || !action)
      throw new Error(`unexpected page ${response.status}: ${page.slice(0, 200)}`)
    const login = await fetch(new URL(action, url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(credentials),
    })
    jar.store(login)
    loginStatus = login.status
    if (login.status === 401) return { callbackUrl: new URL('about:blank'), loginStatus }
    url = new URL(login.headers.get('location')!, url).href
  }
  throw new Error('too many redirects')
}

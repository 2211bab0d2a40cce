// Links in notifications come from the app, but a bad one must not become a `javascript:` link in someone's inbox.

/** Returns `url` when it is an absolute http(s) URL; throws with what was wrong otherwise. */
export function assertHttpUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`notification link "${url}" is not an absolute URL`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`notification link "${url}" must use https (or http locally), not ${parsed.protocol}`)
  }
  return url
}

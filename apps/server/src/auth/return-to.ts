// Where to send someone after sign-in: only a path on this origin. Anything that a browser could read as another
// origin (//host, /\host, https:host, their percent-encoded forms, control characters) falls back to "/".
const BASE = 'http://percolate.invalid'

export function safeReturnTo(value: string | null | undefined, fallback = '/'): string {
  if (!value || value.length > 2_000) return fallback
  // Decode until stable (bounded), so encoded slashes and backslashes are judged as the browser will see them.
  let decoded = value
  for (let round = 0; round < 3; round++) {
    let next: string
    try {
      next = decodeURIComponent(decoded)
    } catch {
      return fallback
    }
    if (next === decoded) break
    decoded = next
  }
  for (const form of [value, decoded]) {
    if (!form.startsWith('/') || form.startsWith('//') || form.startsWith('/\\')) return fallback
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    if (/[\u0000-\u001f\u007f\\]/.test(form)) return fallback
  }
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return fallback
  }
  if (url.origin !== BASE) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}

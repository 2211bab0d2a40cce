// Same-origin evidence for every state-changing request that a browser's cookies authenticate (CSRF): the custom
// header the web app's tRPC client sets (a cross-site form or fetch without CORS cannot set it), an Origin equal
// to the public URL's, and a JSON body (text/plain, form and multipart bodies are what cross-site forms send).
export const CSRF_HEADER = 'x-percolate-csrf'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export type GuardResult = { ok: true } | { ok: false; status: 403 | 415; message: string }

export function checkStateChangingRequest(
  request: Request,
  publicOrigin: string,
  options: { requireJsonBody: boolean },
): GuardResult {
  if (SAFE_METHODS.has(request.method)) return { ok: true }
  if (request.headers.get(CSRF_HEADER) !== '1') {
    return {
      ok: false,
      status: 403,
      message: `Missing the ${CSRF_HEADER} header: requests must come from the app`,
    }
  }
  const origin = request.headers.get('origin')
  if (!origin)
    return { ok: false, status: 403, message: 'Missing the Origin header: requests must come from the app' }
  if (origin !== publicOrigin) {
    return {
      ok: false,
      status: 403,
      message: `Cross-origin request refused: ${origin} is not ${publicOrigin}`,
    }
  }
  const site = request.headers.get('sec-fetch-site')
  if (site && site !== 'same-origin') {
    return { ok: false, status: 403, message: `Cross-site request refused (Sec-Fetch-Site: ${site})` }
  }
  if (options.requireJsonBody) {
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'application/json') {
      return {
        ok: false,
        status: 415,
        message: `Only application/json bodies are accepted here, not ${type || 'a body without a type'}`,
      }
    }
  }
  return { ok: true }
}

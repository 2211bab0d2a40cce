// The real local SES (aws-ses-v2-local: SES v2 API, inbox UI at `/`, `GET /store`) behind a thin front that can be
// scripted to answer as SES does when it refuses: 429 TooManyRequestsException, MessageRejected, 5xx.

import type { AddressInfo } from 'node:net'
import startSesLocal from 'aws-ses-v2-local'
import type { FakeServer, FakeServerOptions, RecordedRequest } from './fake-server.ts'
import { startFakeServer } from './fake-server.ts'

/** A mail as `GET /store` lists it. */
export interface StoredEmail {
  messageId: string
  from: string
  destination: { to: string[]; cc: string[]; bcc: string[] }
  subject: string
  body: { html?: string; text?: string }
  /** `content` is base64. */
  attachments: { content: string; contentType: string; filename?: string; size: number }[]
  headers?: { name: string; value: string }[]
  /** Seconds since the epoch. */
  at: number
}

export interface LocalSes extends FakeServer {
  /** The SES endpoint for `SESv2Client` and the inbox UI (open it in a browser). */
  readonly endpoint: string
  /** Mail received since `since` (seconds since the epoch), oldest first. */
  store(since?: number): Promise<StoredEmail[]>
  clearStore(): Promise<void>
}

const SEND_PATH = '/v2/email/outbound-emails'

function sesError(status: number, type: string, message: string): Response {
  // SES v2 is REST-JSON: the SDK reads the error's name from this header.
  return Response.json({ message }, { status, headers: { 'x-amzn-errortype': type } })
}

export async function startLocalSes(options: FakeServerOptions = {}): Promise<LocalSes> {
  const backend = await startSesLocal({ host: '127.0.0.1', port: 0 })
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`

  const front = startFakeServer(
    options,
    (request) => request.path,
    async (request, fault) => {
      if (request.path === SEND_PATH && fault) {
        // SES names no delay: `retryAfterSeconds` is unused here, the dispatcher's backoff decides.
        if (fault.kind === 'rate-limit') {
          return sesError(429, 'TooManyRequestsException', 'Maximum sending rate exceeded.')
        }
        if (fault.kind === 'server-error') {
          return sesError(fault.status ?? 500, 'InternalServiceErrorException', 'Internal service error.')
        }
        if (fault.kind === 'permanent') {
          return sesError(400, fault.error ?? 'MessageRejected', 'Email address is not verified.')
        }
      }
      return forward(backendUrl, request)
    },
  )

  const store = async (since?: number) => {
    const query = since === undefined ? '' : `?since=${since}`
    const response = await fetch(`${backendUrl}/store${query}`)
    return ((await response.json()) as { emails: StoredEmail[] }).emails
  }
  const stopFront = front.stop
  return Object.assign(front, {
    endpoint: front.url,
    store,
    async clearStore() {
      await fetch(`${backendUrl}/clear-store`, { method: 'POST' })
    },
    async stop() {
      await stopFront()
      await new Promise<void>((resolve) => backend.close(() => resolve()))
    },
  })
}

async function forward(base: string, request: RecordedRequest): Promise<Response> {
  const headers = new Headers(request.headers)
  headers.delete('host')
  headers.delete('content-length')
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  const response = await fetch(`${base}${request.path}${request.search}`, {
    method: request.method,
    headers,
    ...(hasBody && { body: request.rawBody }),
  })
  const answer = new Headers(response.headers)
  for (const name of ['content-encoding', 'content-length', 'transfer-encoding']) answer.delete(name)
  return new Response(await response.arrayBuffer(), { status: response.status, headers: answer })
}

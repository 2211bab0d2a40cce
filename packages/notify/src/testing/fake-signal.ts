// A local signal-cli-rest-api (`POST /v2/send`) that answers as it does: 201 `{ timestamp }`; 400 `{ error }`
// naming an unregistered recipient; 429 when Signal rate-limits; and, scripted as a permanent fault, the 201
// whose body lists a recipient that failed.
import { asRecord, type FakeServer, type FakeServerOptions, json, startFakeServer } from './fake-server.ts'

export interface FakeSignalOptions extends FakeServerOptions {
  /** The account registered with signal-cli (default: any number). */
  senderNumber?: string
  /** Numbers with no Signal account. */
  unregisteredNumbers?: string[]
}

export interface SignalSent {
  number: string
  recipients: string[]
  message: string
  timestamp: string
}

export interface FakeSignal extends FakeServer {
  readonly messages: SignalSent[]
}

export function startFakeSignal(options: FakeSignalOptions = {}): FakeSignal {
  const messages: SignalSent[] = []
  let clock = 0

  const server = startFakeServer(
    options,
    (request) => request.path,
    (request, fault) => {
      if (request.method !== 'POST' || request.path !== '/v2/send') return json({ error: 'Not Found' }, 404)
      const body = asRecord(request.body)
      const recipients = Array.isArray(body.recipients) ? body.recipients.map(String) : []
      // signal-cli's timestamps are milliseconds and unique per account.
      clock = Math.max(clock + 1, request.at)
      const timestamp = String(clock)
      if (fault?.kind === 'rate-limit') {
        return json({ error: 'Failed to send message: [429] Rate limit exceeded' }, 429, {
          'retry-after': String(fault.retryAfterSeconds),
        })
      }
      if (fault?.kind === 'server-error') {
        return json({ error: 'signal-cli exited unexpectedly' }, fault.status ?? 500)
      }
      if (fault?.kind === 'permanent') {
        return json(
          {
            timestamp,
            results: recipients.map((number) => ({
              recipientAddress: { number },
              type: fault.error ?? 'UNREGISTERED_FAILURE',
            })),
          },
          201,
        )
      }
      if (recipients.length === 0) {
        return json({ error: "Couldn't process request - please provide at least one recipient" }, 400)
      }
      const number = String(body.number ?? '')
      if (!number || (options.senderNumber && number !== options.senderNumber)) {
        return json({ error: `User ${number} is not registered.` }, 400)
      }
      const unregistered = recipients.filter((recipient) => options.unregisteredNumbers?.includes(recipient))
      if (unregistered.length > 0) {
        const lines = unregistered.map((recipient) => `${recipient}: Unregistered user "${recipient}"`)
        return json({ error: `Failed to send (some) messages:\n${lines.join('\n')}\n${timestamp}\n` }, 400)
      }
      messages.push({ number, recipients, message: String(body.message ?? ''), timestamp })
      return json({ timestamp }, 201)
    },
    () => {
      messages.length = 0
    },
  )
  return Object.assign(server, { messages })
}

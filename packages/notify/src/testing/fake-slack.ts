// A local Slack Web API (conversations.open, chat.postMessage) that answers as Slack does: errors as HTTP 200
// `{ ok: false, error }`, 429 + Retry-After past about one message a second per conversation.
import { type Rate, RateLimiter } from '../rate-limiter.ts'
import { asRecord, type FakeServer, type FakeServerOptions, json, startFakeServer } from './fake-server.ts'

export interface FakeSlackOptions extends FakeServerOptions {
  /** The bot token it accepts (default: any `xoxb-` token). */
  botToken?: string
  /** Workspace members by id; `false` marks a deactivated one. Default: every `U…`/`W…` id exists. */
  users?: Record<string, boolean>
  /** Per-conversation limit enforced with 429s (default 1/s with a burst of 3); `false` turns it off. */
  rateLimit?: Rate | false
}

export interface SlackPosted {
  channel: string
  /** The member the DM goes to. */
  user: string
  text: string
  blocks?: unknown[]
  ts: string
}

export interface FakeSlack extends FakeServer {
  /** Messages Slack accepted, in order. */
  readonly messages: SlackPosted[]
}

export function startFakeSlack(options: FakeSlackOptions = {}): FakeSlack {
  const messages: SlackPosted[] = []
  const dmUsers = new Map<string, string>()
  let sequence = 0
  const newLimiter = () =>
    options.rateLimit === false
      ? null
      : new RateLimiter({ perRecipient: options.rateLimit ?? { perSecond: 1, burst: 3 } })
  let limiter = newLimiter()

  const userExists = (id: string) => (options.users ? id in options.users : /^[UW][A-Z0-9]{6,20}$/.test(id))
  const userActive = (id: string) => options.users?.[id] !== false

  const server = startFakeServer(
    options,
    (request) => request.path.replace(/^\/(api\/)?/, ''),
    (request, fault) => {
      const method = request.path.replace(/^\/(api\/)?/, '')
      if (fault?.kind === 'rate-limit') {
        return json({ ok: false, error: 'ratelimited' }, 429, {
          'retry-after': String(fault.retryAfterSeconds),
        })
      }
      if (fault?.kind === 'server-error')
        return new Response('upstream error', { status: fault.status ?? 503 })
      if (fault?.kind === 'permanent') return json({ ok: false, error: fault.error ?? 'channel_not_found' })

      const token = request.headers.get('authorization')?.replace(/^Bearer /, '')
      if (!token) return json({ ok: false, error: 'not_authed' })
      if (options.botToken ? token !== options.botToken : !token.startsWith('xoxb-')) {
        return json({ ok: false, error: 'invalid_auth' })
      }
      const body = asRecord(request.body)
      switch (method) {
        case 'conversations.open': {
          const user = String(body.users ?? '')
          if (!userExists(user)) return json({ ok: false, error: 'user_not_found' })
          if (!userActive(user)) return json({ ok: false, error: 'user_disabled' })
          const channel = `D${user.slice(1)}`
          dmUsers.set(channel, user)
          return json({ ok: true, channel: { id: channel } })
        }
        case 'chat.postMessage': {
          const channel = String(body.channel ?? '')
          // A user id posts to the app's DM with them, as Slack allows.
          const user = dmUsers.get(channel) ?? (userExists(channel) ? channel : undefined)
          if (!user) return json({ ok: false, error: 'channel_not_found' })
          if (!userActive(user)) return json({ ok: false, error: 'account_inactive' })
          const text = typeof body.text === 'string' ? body.text : ''
          const blocks = Array.isArray(body.blocks) ? body.blocks : undefined
          if (!text && !blocks) return json({ ok: false, error: 'no_text' })
          const wait = limiter?.tryAcquire(channel) ?? 0
          if (wait > 0) {
            return json({ ok: false, error: 'ratelimited' }, 429, {
              'retry-after': String(Math.ceil(wait / 1000)),
            })
          }
          sequence += 1
          const ts = `${Math.floor(request.at / 1000)}.${String(sequence).padStart(6, '0')}`
          messages.push({ channel, user, text, ...(blocks && { blocks }), ts })
          return json({ ok: true, channel, ts, message: { text, ts } })
        }
        default:
          return json({ ok: false, error: 'unknown_method' }, 404)
      }
    },
    () => {
      messages.length = 0
      limiter = newLimiter()
    },
  )
  return Object.assign(server, { messages })
}

// What people receive, read back the way their clients would: the local SES's store (`GET /store`), each email's
// one-click links and List-Unsubscribe header, its calendar invite parsed with ical.js, and what the local Slack,
// Telegram and Signal servers took in (dev.ts's chat inbox).
import type { StoredEmail } from '@percolate/notify/testing/local-ses'
import ICAL from 'ical.js'

export type { StoredEmail }

export interface ParsedInvite {
  method: string
  uid: string
  summary: string
  start: string
  end: string
  organizer: string
  attendees: { email: string; name: string | null }[]
}

export interface ParsedEmail {
  to: string
  from: string
  subject: string
  text: string
  html: string
  /** The buttons' targets: /actions/met, /actions/didnt-meet, /actions/pause (signed links). */
  links: { met: string | null; didNotMeet: string | null; pause: string | null }
  /** RFC 8058: the one-click URL, when the List-Unsubscribe-Post header says it takes a POST. */
  oneClickUnsubscribe: string | null
  invite: ParsedInvite | null
  /** Why the invite did not parse, when it did not. */
  inviteError: string | null
}

export async function fetchEmails(sesUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesUrl}/store`)
  if (!response.ok) throw new Error(`the local SES answered GET /store with ${response.status}`)
  return ((await response.json()) as { emails: StoredEmail[] }).emails
}

const decodeEntities = (text: string) =>
  text
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')

/** The first href in the HTML that points at `/actions/<action>?token=`. */
function actionLink(html: string, action: string): string | null {
  for (const match of html.matchAll(/href="([^"]+)"/g)) {
    const href = decodeEntities(match[1]!)
    if (new URL(href, 'http://x/').pathname === `/actions/${action}` && href.includes('token=')) return href
  }
  return null
}

export function parseInvite(ics: string): ParsedInvite {
  const calendar = new ICAL.Component(ICAL.parse(ics))
  const vevent = calendar.getFirstSubcomponent('vevent')
  if (!vevent) throw new Error('the invite has no VEVENT')
  const event = new ICAL.Event(vevent)
  return {
    method: String(calendar.getFirstPropertyValue('method') ?? ''),
    uid: event.uid,
    summary: event.summary,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    organizer: String(vevent.getFirstPropertyValue('organizer') ?? '').replace(/^mailto:/i, ''),
    attendees: event.attendees.map((attendee) => {
      const name = attendee.getParameter('cn')
      return {
        email: String(attendee.getFirstValue()).replace(/^mailto:/i, ''),
        name: typeof name === 'string' ? name : null,
      }
    }),
  }
}

export function parseEmail(email: StoredEmail): ParsedEmail {
  const html = email.body.html ?? ''
  const header = (name: string) =>
    email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value ?? null
  const unsubscribe = header('List-Unsubscribe')
  const ics = email.attachments.find(
    (a) => a.contentType.startsWith('text/calendar') || a.filename?.endsWith('.ics'),
  )
  let invite: ParsedInvite | null = null
  let inviteError: string | null = null
  if (ics) {
    try {
      invite = parseInvite(Buffer.from(ics.content, 'base64').toString('utf8'))
    } catch (error) {
      inviteError = error instanceof Error ? error.message : String(error)
    }
  } else {
    inviteError = 'no .ics attachment'
  }
  return {
    to: email.destination.to.join(', '),
    from: email.from,
    subject: email.subject,
    text: email.body.text ?? '',
    html,
    links: {
      met: actionLink(html, 'met'),
      didNotMeet: actionLink(html, 'didnt-meet'),
      pause: actionLink(html, 'pause'),
    },
    oneClickUnsubscribe:
      unsubscribe && header('List-Unsubscribe-Post') === 'List-Unsubscribe=One-Click'
        ? (/<(https?:[^>]+)>/.exec(unsubscribe)?.[1] ?? null)
        : null,
    invite,
    inviteError,
  }
}

/** What the local chat servers received (dev.ts's chat inbox). */
export interface ChatInbox {
  slack: { channel: string; user: string; text: string }[]
  telegram: { chatId: string; text: string }[]
  signal: { number: string; recipients: string[]; message: string }[]
}

export async function fetchChat(chatUrl: string): Promise<ChatInbox> {
  const response = await fetch(chatUrl)
  if (!response.ok) throw new Error(`the chat inbox answered ${response.status}`)
  return (await response.json()) as ChatInbox
}

/** Who each chat message went to: "slack:U…", "telegram:<chat id>", "signal:+…" (one per recipient). */
export function chatRecipients(inbox: ChatInbox): string[] {
  return [
    ...inbox.slack.map((m) => `slack:${m.user}`),
    ...inbox.telegram.map((m) => `telegram:${m.chatId}`),
    ...inbox.signal.flatMap((m) => m.recipients.map((r) => `signal:${r}`)),
  ]
}

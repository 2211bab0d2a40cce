// A notification as platform-neutral content: the templates build it from plain data, and each renderer (email
// HTML, plain text, Slack blocks, Telegram HTML) turns it into its platform's format. Every string in here is
// plain text, never markup: escaping is the renderers' job, in one place each.

/** A run of text; `strong` for emphasis, `url` to make it a link. */
export interface Span {
  text: string
  strong?: boolean
  url?: string
}

export type Inline = string | Span

export interface PersonCard {
  name: string
  /** Short facts, shown on one line: department, location, time zone and local time. */
  facts: string[]
  bio?: string
  interests?: string[]
}

export interface Action {
  label: string
  url: string
  style?: 'primary' | 'secondary'
}

export type ContentBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'people'; people: PersonCard[] }
  | { kind: 'list'; title: string; items: string[] }
  | { kind: 'actions'; actions: Action[] }

export interface NotificationContent {
  subject: string
  /** The line mail clients show after the subject. */
  preview: string
  blocks: ContentBlock[]
  /** Small print: why they got this and how to stop it. */
  footer: Inline[]
}

export function spanOf(inline: Inline): Span {
  return typeof inline === 'string' ? { text: inline } : inline
}

/** Cuts `text` to at most `max` characters on a word boundary, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** Ends `text` with a full stop unless it already ends with punctuation. */
export function asSentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

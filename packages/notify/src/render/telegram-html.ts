// Content → a Telegram Bot API message in `parse_mode: HTML`: user text escaped, actions as URL buttons.
import {
  type ContentBlock,
  type Inline,
  type NotificationContent,
  spanOf,
  truncate,
} from '../content/content.ts'
import { assertHttpUrl } from '../content/safe-url.ts'

export interface TelegramMessage {
  /** Text for `parse_mode: "HTML"` (at most 4096 characters after entity parsing). */
  html: string
  /** `reply_markup.inline_keyboard`: rows of URL buttons. */
  buttons?: { text: string; url: string }[][]
}

// Telegram rejects texts over 4096 characters: bios share a budget that keeps a group of six well under it.
const BIO_BUDGET = 1800
const MAX_BIO = 300

/** Telegram's HTML mode needs exactly these replaced, in text and in attribute values. */
export function escapeTelegramHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}

export function renderTelegramMessage(content: NotificationContent): TelegramMessage {
  const parts = content.blocks.flatMap((block) => (block.kind === 'actions' ? [] : [renderBlock(block)]))
  parts.push(`<i>${renderInlines(content.footer)}</i>`)
  const html = parts.join('\n\n')
  const buttons = content.blocks
    .flatMap((block) => (block.kind === 'actions' ? block.actions : []))
    .map((action) => [{ text: action.label, url: assertHttpUrl(action.url) }])
  return buttons.length > 0 ? { html, buttons } : { html }
}

function renderBlock(block: Exclude<ContentBlock, { kind: 'actions' }>): string {
  switch (block.kind) {
    case 'heading':
      return `<b>${escapeTelegramHtml(block.text)}</b>`
    case 'paragraph':
      return renderInlines(block.content)
    case 'people': {
      const maxBio = Math.min(MAX_BIO, Math.floor(BIO_BUDGET / Math.max(1, block.people.length)))
      return block.people
        .map((person) =>
          [
            `👤 <b>${escapeTelegramHtml(person.name)}</b>`,
            person.facts.length > 0 ? `<i>${escapeTelegramHtml(person.facts.join(' · '))}</i>` : '',
            person.bio ? escapeTelegramHtml(truncate(person.bio, maxBio)) : '',
            person.interests?.length ? `Interests: ${escapeTelegramHtml(person.interests.join(', '))}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        )
        .join('\n\n')
    }
    case 'list':
      return [
        `<b>${escapeTelegramHtml(block.title)}</b>`,
        ...block.items.map((item) => `• ${escapeTelegramHtml(item)}`),
      ].join('\n')
  }
}

function renderInlines(inlines: readonly Inline[]): string {
  return inlines
    .map(spanOf)
    .map((span) => {
      let html = escapeTelegramHtml(span.text)
      if (span.strong) html = `<b>${html}</b>`
      if (span.url) html = `<a href="${escapeTelegramHtml(assertHttpUrl(span.url))}">${html}</a>`
      return html
    })
    .join('')
}

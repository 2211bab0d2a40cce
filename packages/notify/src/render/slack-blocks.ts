// Content → Slack Block Kit. User text only ever goes into `plain_text` and `rich_text` elements, which Slack
// shows literally: a bio saying "*bold*" or "<!channel>" stays text. Nothing is rendered as mrkdwn.
import {
  type ContentBlock,
  type Inline,
  type NotificationContent,
  spanOf,
  truncate,
} from '../content/content.ts'
import { assertHttpUrl } from '../content/safe-url.ts'

export interface SlackPlainText {
  type: 'plain_text'
  text: string
  emoji?: boolean
}

export type SlackRichTextElement =
  | { type: 'text'; text: string; style?: { bold?: boolean; italic?: boolean } }
  | { type: 'link'; url: string; text: string; style?: { bold?: boolean } }

export interface SlackRichTextSection {
  type: 'rich_text_section'
  elements: SlackRichTextElement[]
}

export type SlackBlock =
  | { type: 'header'; text: SlackPlainText }
  | {
      type: 'rich_text'
      elements: (
        | SlackRichTextSection
        | { type: 'rich_text_list'; style: 'bullet'; elements: SlackRichTextSection[] }
      )[]
    }
  | {
      type: 'actions'
      elements: { type: 'button'; action_id: string; text: SlackPlainText; url: string; style?: 'primary' }[]
    }
  | { type: 'divider' }

export interface SlackMessage {
  /** The notification and accessibility fallback; escaped, and posted with `mrkdwn: false`. */
  text: string
  blocks: SlackBlock[]
}

const MAX_HEADER = 150
const MAX_BUTTON = 75

/** Slack's control characters in message text: `&`, `<` and `>` (mentions, links and commands start with `<`). */
export function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

export function renderSlackMessage(content: NotificationContent): SlackMessage {
  const blocks = content.blocks.map(renderBlock)
  blocks.push({ type: 'divider' }, { type: 'rich_text', elements: [section(content.footer, true)] })
  return { text: escapeSlackText(`${content.subject}. ${content.preview}`), blocks }
}

function renderBlock(block: ContentBlock): SlackBlock {
  switch (block.kind) {
    case 'heading':
      return {
        type: 'header',
        text: { type: 'plain_text', text: truncate(block.text, MAX_HEADER), emoji: false },
      }
    case 'paragraph':
      return { type: 'rich_text', elements: [section(block.content)] }
    case 'people':
      return {
        type: 'rich_text',
        elements: block.people.map((person, index) =>
          section([
            ...(index > 0 ? ['\n'] : []),
            { text: person.name, strong: true },
            person.facts.length > 0 ? `\n${person.facts.join(' · ')}` : '',
            person.bio ? `\n${person.bio}` : '',
            person.interests?.length ? `\nInterests: ${person.interests.join(', ')}` : '',
          ]),
        ),
      }
    case 'list':
      return {
        type: 'rich_text',
        elements: [
          section([{ text: block.title, strong: true }]),
          { type: 'rich_text_list', style: 'bullet', elements: block.items.map((item) => section([item])) },
        ],
      }
    case 'actions':
      return {
        type: 'actions',
        elements: block.actions.map((action, index) => ({
          type: 'button',
          action_id: `percolate-link-${index}`,
          text: { type: 'plain_text', text: truncate(action.label, MAX_BUTTON), emoji: false },
          url: assertHttpUrl(action.url),
          ...(action.style === 'primary' && { style: 'primary' as const }),
        })),
      }
  }
}

function section(inlines: readonly Inline[], italic = false): SlackRichTextSection {
  const elements = inlines
    .map(spanOf)
    .filter((span) => span.text !== '')
    .map((span): SlackRichTextElement => {
      if (span.url) {
        return {
          type: 'link',
          url: assertHttpUrl(span.url),
          text: span.text,
          ...(span.strong && { style: { bold: true } }),
        }
      }
      const style = { ...(span.strong && { bold: true }), ...(italic && { italic: true }) }
      return { type: 'text', text: span.text, ...(Object.keys(style).length > 0 && { style }) }
    })
  return { type: 'rich_text_section', elements }
}

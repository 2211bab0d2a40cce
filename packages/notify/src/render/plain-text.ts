// Content → plain text: the email's text part and the Signal message. No markup, so nothing to escape.
import { type ContentBlock, type Inline, type NotificationContent, spanOf } from '../content/content.ts'
import { assertHttpUrl } from '../content/safe-url.ts'

export function renderPlainText(content: NotificationContent): string {
  const parts = content.blocks.map(renderBlock)
  parts.push(`--\n${renderInlines(content.footer)}`)
  return `${parts.join('\n\n')}\n`
}

function renderBlock(block: ContentBlock): string {
  switch (block.kind) {
    case 'heading':
      return block.text
    case 'paragraph':
      return renderInlines(block.content)
    case 'people':
      return block.people
        .map((person) =>
          [
            `* ${person.name}`,
            person.facts.length > 0 ? `  ${person.facts.join(' · ')}` : '',
            person.bio ? `  ${person.bio.replaceAll('\n', '\n  ')}` : '',
            person.interests?.length ? `  Interests: ${person.interests.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        )
        .join('\n\n')
    case 'list':
      return [`${block.title}:`, ...block.items.map((item) => `- ${item}`)].join('\n')
    case 'actions':
      return block.actions.map((action) => `${action.label}: ${assertHttpUrl(action.url)}`).join('\n')
  }
}

function renderInlines(inlines: readonly Inline[]): string {
  return inlines
    .map(spanOf)
    .map((span) => (span.url ? `${span.text} (${assertHttpUrl(span.url)})` : span.text))
    .join('')
}

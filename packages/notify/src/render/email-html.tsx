// Content → the HTML part of an email, with React Email's components (tables and inline styles that mail clients
// render). React escapes every text node, so user text cannot become markup.
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from '@react-email/components'
import { render } from '@react-email/render'
import type { CSSProperties } from 'react'
import {
  type ContentBlock,
  type Inline,
  type NotificationContent,
  type Span,
  spanOf,
} from '../content/content.ts'
import { assertHttpUrl } from '../content/safe-url.ts'

const font = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
const styles = {
  body: { backgroundColor: '#f4f5f7', fontFamily: font, margin: 0, padding: '24px 0' },
  container: { backgroundColor: '#ffffff', borderRadius: 8, maxWidth: 560, padding: '32px 32px 24px' },
  heading: { color: '#16191f', fontSize: 22, lineHeight: '28px', margin: '0 0 16px' },
  text: { color: '#16191f', fontSize: 15, lineHeight: '22px', margin: '0 0 16px' },
  person: { borderLeft: '3px solid #0972d3', margin: '0 0 16px', padding: '4px 0 4px 12px' },
  personName: { color: '#16191f', fontSize: 16, fontWeight: 600, lineHeight: '22px', margin: 0 },
  facts: { color: '#5f6b7a', fontSize: 13, lineHeight: '20px', margin: '0 0 6px' },
  bio: { color: '#16191f', fontSize: 14, lineHeight: '20px', margin: '0 0 4px', whiteSpace: 'pre-line' },
  listTitle: { color: '#16191f', fontSize: 15, fontWeight: 600, lineHeight: '22px', margin: '0 0 4px' },
  listItem: { color: '#16191f', fontSize: 15, lineHeight: '22px', margin: '0 0 2px', paddingLeft: 12 },
  actions: { margin: '8px 0 16px' },
  primary: {
    backgroundColor: '#0972d3',
    borderRadius: 6,
    color: '#ffffff',
    fontSize: 15,
    fontWeight: 600,
    margin: '0 8px 8px 0',
    padding: '10px 16px',
  },
  secondary: {
    backgroundColor: '#ffffff',
    border: '1px solid #0972d3',
    borderRadius: 6,
    color: '#0972d3',
    fontSize: 15,
    fontWeight: 600,
    margin: '0 8px 8px 0',
    padding: '9px 15px',
  },
  hr: { borderColor: '#e9ebed', margin: '24px 0 16px' },
  footer: { color: '#5f6b7a', fontSize: 12, lineHeight: '18px', margin: 0 },
  link: { color: '#0972d3' },
} satisfies Record<string, CSSProperties>

export function NotificationEmail({ content }: { content: NotificationContent }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{content.preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          {content.blocks.map((block, index) => (
            // Blocks never reorder: their position is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: static content
            <EmailBlock key={index} block={block} />
          ))}
          <Hr style={styles.hr} />
          <Text style={styles.footer}>
            <Inlines inlines={content.footer} />
          </Text>
        </Container>
      </Body>
    </Html>
  )
}

function EmailBlock({ block }: { block: ContentBlock }) {
  switch (block.kind) {
    case 'heading':
      return (
        <Heading as="h1" style={styles.heading}>
          {block.text}
        </Heading>
      )
    case 'paragraph':
      return (
        <Text style={styles.text}>
          <Inlines inlines={block.content} />
        </Text>
      )
    case 'people':
      return (
        <Section>
          {block.people.map((person) => (
            <Section key={person.name} style={styles.person}>
              <Text style={styles.personName}>{person.name}</Text>
              {person.facts.length > 0 && <Text style={styles.facts}>{person.facts.join(' · ')}</Text>}
              {person.bio && <Text style={styles.bio}>{person.bio}</Text>}
              {person.interests && person.interests.length > 0 && (
                <Text style={styles.facts}>Interests: {person.interests.join(', ')}</Text>
              )}
            </Section>
          ))}
        </Section>
      )
    case 'list':
      return (
        <Section style={{ margin: '0 0 16px' }}>
          <Text style={styles.listTitle}>{block.title}</Text>
          {block.items.map((item) => (
            <Text key={item} style={styles.listItem}>
              • {item}
            </Text>
          ))}
        </Section>
      )
    case 'actions':
      return (
        <Section style={styles.actions}>
          {block.actions.map((action) => (
            <Button
              key={action.label}
              href={assertHttpUrl(action.url)}
              style={action.style === 'primary' ? styles.primary : styles.secondary}
            >
              {action.label}
            </Button>
          ))}
        </Section>
      )
  }
}

function Inlines({ inlines }: { inlines: readonly Inline[] }) {
  return (
    <>
      {inlines.map(spanOf).map((span, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static content, never reordered
        <InlineSpan key={index} span={span} />
      ))}
    </>
  )
}

function InlineSpan({ span }: { span: Span }) {
  const text = span.strong ? <strong>{span.text}</strong> : span.text
  if (!span.url) return <>{text}</>
  return (
    <Link href={assertHttpUrl(span.url)} style={styles.link}>
      {text}
    </Link>
  )
}

export function renderEmailHtml(content: NotificationContent): Promise<string> {
  return render(<NotificationEmail content={content} />)
}

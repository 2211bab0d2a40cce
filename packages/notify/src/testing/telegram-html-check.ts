// What Telegram's `parse_mode: HTML` accepts, so the fake rejects what the real API would: only its tags,
// properly nested, and `<` only where a tag starts. The error texts are Telegram's.

const ALLOWED_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
])

/** Returns Telegram's "can't parse entities" description, or undefined when the text parses. */
export function checkTelegramHtml(html: string): string | undefined {
  const open: string[] = []
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>/y
  for (let index = 0; index < html.length; index++) {
    const char = html[index]
    if (char === '&') {
      if (!/^&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.test(html.slice(index, index + 12))) {
        return `Bad Request: can't parse entities: Unsupported HTML entity at byte offset ${index}`
      }
      continue
    }
    if (char === '>') return `Bad Request: can't parse entities: Unexpected end tag at byte offset ${index}`
    if (char !== '<') continue
    tag.lastIndex = index
    const match = tag.exec(html)
    if (!match) return `Bad Request: can't parse entities: Unexpected character at byte offset ${index}`
    const [, closing, rawName, attributes] = match
    const name = (rawName ?? '').toLowerCase()
    if (!ALLOWED_TAGS.has(name)) {
      return `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${index}`
    }
    if (closing) {
      if (open.pop() !== name) {
        return `Bad Request: can't parse entities: Unmatched end tag at byte offset ${index}, expected "</${name}>"`
      }
    } else {
      if (name === 'a' && !/^\s+href="[^"]*"\s*$/.test(attributes ?? '')) {
        return `Bad Request: can't parse entities: Can't find end of a href at byte offset ${index}`
      }
      open.push(name)
    }
    index = tag.lastIndex - 1
  }
  if (open.length > 0)
    return `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${open.at(-1)}"`
  return undefined
}

/** The text a reader sees: tags removed, entities decoded. */
export function telegramVisibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replaceAll('&amp;', '&')
}

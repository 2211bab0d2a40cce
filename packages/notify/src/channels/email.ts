// Email through Amazon SES v2 SendEmail (Simple content: subject, text + HTML, headers, attachments). Every
// message that names an unsubscribe URL carries RFC 8058 one-click headers.
import { SESv2Client, type SESv2ClientConfig, SendEmailCommand } from '@aws-sdk/client-sesv2'
import type { Channel, EmailAddress, MessageAttachment, OutgoingMessage, SendResult } from '../channel.ts'

export interface EmailConfig {
  /** Sender, e.g. `Percolate <percolate@example.com>` (a verified SES identity). */
  from: string
  region: string
  /** The local SES in development and tests; omit in AWS. */
  endpoint?: string
  /** Default: the SDK's credential chain (IRSA in Kubernetes). */
  credentials?: SESv2ClientConfig['credentials']
  configurationSetName?: string
  /** Replaces the client built from the fields above. */
  client?: SESv2Client
}

/** SES errors that repeat on retry: the message, sender or account has to change first. */
const PERMANENT_ERRORS = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
  'BadRequestException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
])

/** Errors that mean "later": throttling (MaxSendRate, daily quota) and AWS's own trouble. */
const RETRYABLE_ERRORS = new Set([
  'TooManyRequestsException',
  'Throttling',
  'ThrottlingException',
  'LimitExceededException',
  'InternalServiceErrorException',
  'ServiceUnavailable',
  'RequestTimeout',
  'ExpiredTokenException',
  'CredentialsProviderError',
])

export function createEmailChannel(config: EmailConfig): Channel<EmailAddress> {
  const client =
    config.client ??
    new SESv2Client({
      region: config.region,
      ...(config.endpoint && { endpoint: config.endpoint }),
      ...(config.credentials && { credentials: config.credentials }),
      // The dispatcher owns retries (with Retry-After and the outbox); the SDK's own would hide them.
      maxAttempts: 1,
    })

  return {
    kind: 'email',
    async send(address: EmailAddress, message: OutgoingMessage): Promise<SendResult> {
      const command = new SendEmailCommand({
        FromEmailAddress: config.from,
        Destination: { ToAddresses: [address.email] },
        ...(config.configurationSetName && { ConfigurationSetName: config.configurationSetName }),
        EmailTags: [{ Name: 'outbox-item', Value: tagValue(message.id) }],
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              ...(message.html && { Html: { Data: message.html, Charset: 'UTF-8' } }),
            },
            ...(message.unsubscribeUrl && { Headers: unsubscribeHeaders(message.unsubscribeUrl) }),
            ...(message.attachments && { Attachments: message.attachments.map(toSesAttachment) }),
          },
        },
      })
      try {
        const output = await client.send(command)
        return { outcome: 'sent', providerMessageId: output.MessageId ?? '' }
      } catch (error) {
        return classifySesError(error)
      }
    },
  }
}

/** RFC 8058: mail clients POST `List-Unsubscribe=One-Click` to the URL, with no cookies and no redirect. */
export function unsubscribeHeaders(url: string): { Name: string; Value: string }[] {
  return [
    { Name: 'List-Unsubscribe', Value: `<${url}>` },
    { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
  ]
}

function toSesAttachment(attachment: MessageAttachment) {
  return {
    FileName: attachment.filename,
    ContentType: attachment.contentType,
    ContentDisposition: 'ATTACHMENT' as const,
    ContentTransferEncoding: 'BASE64' as const,
    RawContent:
      typeof attachment.content === 'string'
        ? new TextEncoder().encode(attachment.content)
        : attachment.content,
  }
}

/** SES tag values allow letters, digits, `_` and `-` only. */
function tagValue(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || 'none'
}

/** Reads an SDK error the way SES means it. */
export function classifySesError(error: unknown): SendResult {
  const name = error instanceof Error ? error.name : 'UnknownError'
  const message = error instanceof Error ? error.message : String(error)
  const reason = `SES ${name}: ${message}`
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  if (RETRYABLE_ERRORS.has(name)) return { outcome: 'retry', reason }
  if (PERMANENT_ERRORS.has(name)) return { outcome: 'failed', reason }
  if (status === undefined || status >= 500 || status === 429) return { outcome: 'retry', reason }
  return { outcome: 'failed', reason }
}

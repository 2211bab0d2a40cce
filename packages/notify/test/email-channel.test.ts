import { afterAll, beforeEach, describe, expect, it } from 'bun:test'
import { classifySesError, createEmailChannel } from '../src/channels/email.ts'
import { renderMatchNotification } from '../src/templates/match-notification.ts'
import { startLocalSes } from '../src/testing/local-ses.ts'
import { hostileBio, invite, links, matchInput, message } from './support/fixtures.ts'
import { parseInvite } from './support/parse-ics.ts'

const ses = await startLocalSes()
const channel = createEmailChannel({
  from: 'Percolate <percolate@acme.test>',
  region: 'eu-west-1',
  endpoint: ses.endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
})
const ada = { email: 'ada@acme.test' }

beforeEach(async () => {
  ses.reset()
  await ses.clearStore()
})
afterAll(() => ses.stop())

describe('email channel (SES v2 against the local SES)', () => {
  it('sends the match email with text, HTML, one-click unsubscribe headers and the invite', async () => {
    const rendered = await renderMatchNotification(matchInput({ invite }))
    const result = await channel.send(ada, { ...rendered, id: 'acme#round#4#ada#email' })
    const [mail] = await ses.store()
    expect(result).toEqual({ outcome: 'sent', providerMessageId: mail!.messageId })
    expect(mail).toMatchObject({
      from: 'Percolate <percolate@acme.test>',
      destination: { to: ['ada@acme.test'] },
      subject: `You're meeting Grace Hopper and Eve <script>alert("x")</script> & *Co*`,
    })
    expect(mail!.headers).toEqual([
      { name: 'List-Unsubscribe', value: `<${links.unsubscribe}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ])
    expect(mail!.body.text).toContain('Monday 9 March at 15:00 CET')
    expect(mail!.body.text).toContain(`We met: ${links.met}`)
    expect(mail!.body.html).toContain(`href="${links.met.replace('&', '&amp;')}"`)
    expect(mail!.body.html).not.toContain('<script>')
    expect(mail!.body.html).toContain('I write &lt;b&gt;bold&lt;/b&gt;')
    expect(hostileBio).toContain('<b>bold</b>')

    const [attachment] = mail!.attachments
    expect(attachment).toMatchObject({
      filename: 'invite.ics',
      contentType: 'text/calendar; charset=UTF-8; method=REQUEST',
    })
    const parsed = parseInvite(Buffer.from(attachment!.content, 'base64').toString('utf8'))
    expect(parsed.method).toBe('REQUEST')
    expect(parsed.uid).toBe('acme.20260309T080000Z.group-4@percolate.test')
    expect(parsed.start.toISOString()).toBe('2026-03-09T14:00:00.000Z')
    expect(parsed.startZone).toBe('UTC')
    expect(parsed.attendees.map((a) => a.email)).toEqual([
      'ada@acme.test',
      'grace@acme.test',
      'eve@acme.test',
    ])
  })

  it('sends a plain message without headers or attachments', async () => {
    await channel.send(ada, message)
    const [mail] = await ses.store()
    expect(mail).toMatchObject({ subject: 'Hello', body: { text: 'Hello there' }, attachments: [] })
    expect(mail!.headers ?? []).toEqual([])
  })

  it('asks to retry when SES throttles (TooManyRequestsException), and the retry goes through', async () => {
    ses.faults.enqueue({ kind: 'rate-limit', retryAfterSeconds: 1 })
    expect(await channel.send(ada, message)).toEqual({
      outcome: 'retry',
      reason: 'SES TooManyRequestsException: Maximum sending rate exceeded.',
    })
    expect((await channel.send(ada, message)).outcome).toBe('sent')
    expect(ses.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
    expect(await ses.store()).toHaveLength(1)
  })

  it('retries on a 5xx and when SES cannot be reached', async () => {
    ses.faults.enqueue({ kind: 'server-error', status: 500 })
    expect(await channel.send(ada, message)).toMatchObject({
      outcome: 'retry',
      reason: 'SES InternalServiceErrorException: Internal service error.',
    })
    const unreachable = createEmailChannel({
      from: 'percolate@acme.test',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    expect(await unreachable.send(ada, message)).toMatchObject({ outcome: 'retry' })
  })

  it.each(['MessageRejected', 'MailFromDomainNotVerifiedException', 'AccountSuspendedException'])(
    'fails for good on %s',
    async (error) => {
      ses.faults.enqueue({ kind: 'permanent', error })
      expect(await channel.send(ada, message)).toEqual({
        outcome: 'failed',
        reason: `SES ${error}: Email address is not verified.`,
      })
      expect(await ses.store()).toHaveLength(0)
    },
  )
})

describe('classifySesError', () => {
  const sesError = (name: string, httpStatusCode?: number) =>
    Object.assign(new Error('from SES'), { name, ...(httpStatusCode && { $metadata: { httpStatusCode } }) })

  it.each([
    ['Throttling', 400],
    ['TooManyRequestsException', 429],
    ['LimitExceededException', 400],
    ['ServiceUnavailable', 503],
    ['SomethingNew', 502],
  ])('retries %s', (name, status) => {
    expect(classifySesError(sesError(name, status)).outcome).toBe('retry')
  })

  it.each([
    ['MessageRejected', 400],
    ['SendingPausedException', 400],
    ['SomethingNew', 400],
  ])('gives up on %s', (name, status) => {
    expect(classifySesError(sesError(name, status))).toEqual({
      outcome: 'failed',
      reason: `SES ${name}: from SES`,
    })
  })
})

import { afterAll, beforeEach, describe, expect, it } from 'bun:test'
import { createSignalChannel } from '../src/channels/signal.ts'
import { startFakeSignal } from '../src/testing/fake-signal.ts'
import { message } from './support/fixtures.ts'

const sender = '+4915700000001'
const signal = startFakeSignal({ senderNumber: sender, unregisteredNumbers: ['+4915799999999'] })
const channel = createSignalChannel({ baseUrl: signal.url, senderNumber: sender })
const ada = { number: '+4917012345678' }

beforeEach(() => signal.reset())
afterAll(() => signal.stop())

describe('Signal channel', () => {
  it('posts the plain text to /v2/send and keeps the timestamp as the message id', async () => {
    const result = await channel.send(ada, message)
    expect(result).toEqual({ outcome: 'sent', providerMessageId: signal.messages[0]!.timestamp })
    expect(signal.requests[0]).toMatchObject({ method: 'POST', path: '/v2/send' })
    expect(signal.messages).toEqual([
      { number: sender, recipients: [ada.number], message: message.text, timestamp: expect.any(String) },
    ])
  })

  it('asks to retry after the Retry-After of a 429, and the retry goes through', async () => {
    signal.faults.enqueue({ kind: 'rate-limit', retryAfterSeconds: 60 })
    expect(await channel.send(ada, message)).toEqual({
      outcome: 'retry',
      reason: 'Signal: Failed to send message: [429] Rate limit exceeded',
      retryAfterSeconds: 60,
    })
    expect((await channel.send(ada, message)).outcome).toBe('sent')
    expect(signal.requests).toHaveLength(2)
    expect(signal.messages).toHaveLength(1)
  })

  it('retries on a 5xx and when nothing answers', async () => {
    signal.faults.enqueue({ kind: 'server-error', status: 500 })
    expect(await channel.send(ada, message)).toEqual({
      outcome: 'retry',
      reason: 'Signal: signal-cli exited unexpectedly',
    })
    const unreachable = createSignalChannel({ baseUrl: 'http://127.0.0.1:9', senderNumber: sender })
    expect(await unreachable.send(ada, message)).toMatchObject({ outcome: 'retry' })
  })

  it('fails for good on a 201 whose body lists the recipient as unregistered', async () => {
    signal.faults.enqueue({ kind: 'permanent' })
    expect(await channel.send(ada, message)).toEqual({
      outcome: 'failed',
      reason: `Signal: UNREGISTERED_FAILURE for ${ada.number}`,
    })
  })

  it('retries a 201 whose body lists a rate-limited recipient', async () => {
    signal.faults.enqueue({ kind: 'permanent', error: 'RATE_LIMIT_FAILURE' })
    expect(await channel.send(ada, message)).toMatchObject({ outcome: 'retry' })
  })

  it('fails for good on a 400 naming an unregistered user', async () => {
    const result = await channel.send({ number: '+4915799999999' }, message)
    expect(result).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('Unregistered user') })
  })

  it('fails for good when the sender number is not registered', async () => {
    const wrong = createSignalChannel({ baseUrl: signal.url, senderNumber: '+4915700000002' })
    expect(await wrong.send(ada, message)).toEqual({
      outcome: 'failed',
      reason: 'Signal: User +4915700000002 is not registered.',
    })
  })
})

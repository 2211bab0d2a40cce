import { describe, expect, it } from 'bun:test'
import { createRunLog, redactPersonalData } from '../src/log-lines.ts'

describe('log lines', () => {
  it('masks email addresses and international phone numbers, and leaves ids and times alone', () => {
    expect(
      redactPersonalData(
        'SES MessageRejected: identities failed the check: Ada.Meyer+news@democo.example, x@y.co.uk',
      ),
    ).toBe('SES MessageRejected: identities failed the check: <email>, <email>')
    expect(redactPersonalData('Signal: UNREGISTERED_FAILURE for +4915550000123')).toBe(
      'Signal: UNREGISTERED_FAILURE for <phone>',
    )
    const ids = 'demo-17#2026-03-02T08:00:00.000+01:00#match#email U0300001 Telegram chat 31337'
    expect(redactPersonalData(ids)).toBe(ids)
  })

  it('stamps the run id on every line and masks nested values before writing', () => {
    const written: Record<string, unknown>[] = []
    const log = createRunLog('run-1', (line) => written.push(line))
    log({
      step: 'dispatch',
      reason: 'to a@b.example',
      groups: [{ memberIds: ['m-000001'], note: '+4917012345678' }],
    })
    log({ step: 'run', durationMs: 12 })
    expect(written).toEqual([
      {
        runId: 'run-1',
        step: 'dispatch',
        reason: 'to <email>',
        groups: [{ memberIds: ['m-000001'], note: '<phone>' }],
      },
      { runId: 'run-1', step: 'run', durationMs: 12 },
    ])
  })
})

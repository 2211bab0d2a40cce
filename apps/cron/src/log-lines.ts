// The binary's log: one JSON line per step, each carrying the invocation's run id (one Job's lines among many), and
// no personal data beyond ids. Provider answers are logged as reasons, and some quote the address they refused
// (Signal names the number, SES the email address): those are masked here, where every line passes.

export type LogLine = Record<string, unknown>
export type Log = (line: LogLine) => void

/** One per invocation: `kubectl logs` of a Job, or a log search, tells one run's lines from the next one's. */
export function newRunId(): string {
  return crypto.randomUUID()
}

const EMAIL_ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}/g
/** International numbers (E.164), as Signal and phone-number settings write them. */
const PHONE_NUMBER = /\+[1-9]\d{6,14}\b/g

/** Masks email addresses and phone numbers in a text meant for logs or an operator's screen. */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL_ADDRESS, '<email>').replace(PHONE_NUMBER, '<phone>')
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactPersonalData(value)
  if (Array.isArray(value)) return value.map(redactValue)
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactValue(inner)]))
  return value
}

/**
 * A log that stamps every line with the run id and masks personal data before `write` sees it. The Lambda passes a
 * function: one container handles many invocations, one at a time.
 */
export function createRunLog(runId: string | (() => string), write: Log): Log {
  return (line) =>
    write(redactValue({ runId: typeof runId === 'string' ? runId : runId(), ...line }) as LogLine)
}

/** Writes each line as JSON on stdout: the default outside tests. */
export const writeJsonLine: Log = (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

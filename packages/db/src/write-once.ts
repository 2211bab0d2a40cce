// Many writes, each applied at most once: transactions of up to 100 items, each item carrying its own condition
// (usually "does not exist yet"). An item whose condition fails is already there, written by an earlier or a
// concurrent run, and is dropped from the batch; the rest is sent again. Conflicts with concurrent transactions
// and throttling are retried with backoff. Reruns and concurrent runs therefore converge on one set of items.
import {
  type ExecuteTransactWriteInput,
  type ExecuteTransactWriteOptions,
  execute,
  isTransactionCancelled,
} from 'dynamodb-toolbox/entity/actions/transactWrite'

export type WriteTransaction = Exclude<ExecuteTransactWriteInput[number], ExecuteTransactWriteOptions>

/** DynamoDB's limit of items per TransactWriteItems. */
export const TRANSACTION_LIMIT = 100
const RETRYABLE = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'])

export interface WriteOnceResult {
  /** Items this call wrote. */
  written: number
  /** Items whose condition failed: they were already written. */
  alreadyThere: number
}

export async function writeEachOnce(
  transactions: readonly WriteTransaction[],
  options: { maxAttempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<WriteOnceResult> {
  const maxAttempts = options.maxAttempts ?? 10
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const result: WriteOnceResult = { written: 0, alreadyThere: 0 }
  for (let start = 0; start < transactions.length; start += TRANSACTION_LIMIT) {
    let pending = transactions.slice(start, start + TRANSACTION_LIMIT)
    let attempt = 0
    while (pending.length > 0) {
      try {
        await execute(...pending)
        result.written += pending.length
        break
      } catch (error) {
        if (!isTransactionCancelled(error)) throw error
        const reasons = error.CancellationReasons ?? []
        const done = reasons.map((reason) => reason.Code === 'ConditionalCheckFailed')
        if (done.some(Boolean)) {
          result.alreadyThere += done.filter(Boolean).length
          pending = pending.filter((_, index) => !done[index])
          continue
        }
        attempt += 1
        const retryable = reasons.some((reason) => reason.Code !== undefined && RETRYABLE.has(reason.Code))
        if (!retryable || attempt >= maxAttempts) throw error
        await sleep(Math.min(5_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2))
      }
    }
  }
  return result
}

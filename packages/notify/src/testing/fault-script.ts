// Scripted trouble for the local provider fakes: the next requests (to one route, or any) answer with a rate
// limit, a server error, a permanent error, or slowly. Each fake turns a fault into its provider's exact shape.

export type Fault =
  /** HTTP 429 with the provider's way of saying how long to wait. */
  | { kind: 'rate-limit'; retryAfterSeconds: number; route?: string }
  /** HTTP 5xx. */
  | { kind: 'server-error'; status?: number; route?: string }
  /** The provider's permanent error for this request (`error` replaces the fake's default one). */
  | { kind: 'permanent'; error?: string; route?: string }
  /** Answers normally, but only after `delayMs`: a client with a shorter time-out sees a hung provider. */
  | { kind: 'slow'; delayMs: number; route?: string }

export class FaultScript {
  private readonly queue: Fault[] = []

  /** Answers the next `times` matching requests with `fault`. */
  enqueue(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.queue.push(fault)
  }

  /** The fault for a request to `route`, if one is queued for it (or for any route). */
  take(route: string): Fault | undefined {
    const index = this.queue.findIndex((fault) => fault.route === undefined || fault.route === route)
    return index === -1 ? undefined : this.queue.splice(index, 1)[0]
  }

  get pending(): number {
    return this.queue.length
  }

  clear(): void {
    this.queue.length = 0
  }
}

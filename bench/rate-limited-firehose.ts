// The streams-per-hour bench's two simulated parts: a virtual clock (time moves only when every task
// waits on it, so 30 s of traffic take a few seconds of CPU) and a Firehose fake that enforces a
// per-stream byte rate with a token bucket, answering entries over it with
// ServiceUnavailableException ("Slow down."), as Firehose does. throughput.ts runs the router
// against them.
import type { PutRecordBatchCommandInput, PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';

/** A clock whose time moves only when every task waits on it: the earliest timer fires next. */
export class VirtualClock {
  private timers: { at: number; seq: number; fire: () => void }[] = [];
  private seq = 0;
  constructor(public t: number) {}

  sleep = (ms: number): Promise<void> =>
    new Promise((fire) => {
      const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fire };
      let i = this.timers.length;
      while (i > 0 && this.timers[i - 1].at > timer.at) i--;
      this.timers.splice(i, 0, timer);
    });

  /** Runs until no task is left waiting: between timers, every ready task runs to its next wait. */
  async run(): Promise<void> {
    for (;;) {
      // Only this clock schedules macrotasks, so two turns of the event loop drain all ready work.
      for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
      const next = this.timers.shift();
      if (!next) return;
      this.t = next.at;
      next.fire();
    }
  }
}

/** Firehose with a token bucket per stream: `bytesPerSecond`, starting full at one second's worth. */
export class RateLimitedFirehose {
  private buckets = new Map<string, { tokens: number; at: number }>();
  /** Bytes accepted inside the measuring window, per stream. */
  readonly acceptedInWindow = new Map<string, number>();
  calls = 0;
  throttledEntries = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly bytesPerSecond: number,
    private readonly window: { from: number; to: number },
    private readonly latencyMs = 20,
  ) {}

  // Duck-typed, like the bench's InstantFirehose: only PutRecordBatch is expected.
  async send(command: { input?: Partial<PutRecordBatchCommandInput> }): Promise<PutRecordBatchCommandOutput> {
    const { DeliveryStreamName: stream, Records } = command.input ?? {};
    if (!stream || !Array.isArray(Records)) throw new Error('the throughput fake only takes PutRecordBatch');
    this.calls++;
    await this.clock.sleep(this.latencyMs); // the round trip, in virtual time
    const now = this.clock.t;
    const cap = this.bytesPerSecond;
    const b = this.buckets.get(stream) ?? { tokens: cap, at: now };
    b.tokens = Math.min(cap, b.tokens + ((now - b.at) * this.bytesPerSecond) / 1000);
    b.at = now;
    this.buckets.set(stream, b);
    let failed = 0;
    const RequestResponses = Records.map((r, i) => {
      const size = r.Data?.byteLength ?? 0;
      if (size > b.tokens) {
        failed++;
        this.throttledEntries++;
        return { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };
      }
      b.tokens -= size;
      if (now >= this.window.from && now < this.window.to)
        this.acceptedInWindow.set(stream, (this.acceptedInWindow.get(stream) ?? 0) + size);
      return { RecordId: `r-${this.calls}-${i}` };
    });
    return { FailedPutCount: failed, RequestResponses, $metadata: {} };
  }
}

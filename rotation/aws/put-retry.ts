// The Firehose error rules of delivery (delivery.ts): which PutRecordBatch errors, of the whole
// call or of one entry, mean a missing stream, a throttle or a plain failure, how long to back off
// before a resend and how many resends, and the bound on calls in flight (the placer's S3 calls use
// it too). Kept apart so the rules read without the delivery around them.

const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;
export const DEFAULT_MAX_ATTEMPTS = 10;

/** Exponential backoff with equal jitter: at least half the exponential step, never above the cap. */
export function backoffMs(attempt: number, random: () => number): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.floor(step / 2 + random() * (step / 2));
}

/** A missing stream: the error of a whole call, and (defensively) an entry's ErrorCode too. */
export const STREAM_NOT_FOUND = 'ResourceNotFoundException';

// PutRecordBatch documents only ResourceNotFoundException for a missing stream. The state check is
// defensive: a stream that is not ACTIVE cannot take records, and the fallback always can.
export function streamUnavailable(err: unknown): boolean {
  const { name, message } = err as { name?: string; message?: string };
  if (name === STREAM_NOT_FOUND) return true;
  return (
    name === 'ResourceInUseException' || /\bnot (in )?ACTIVE\b|\bCREATING\b|\bDELETING\b/.test(message ?? '')
  );
}

/**
 * Firehose's "slow down": the per-entry ErrorCode PutRecordBatch answers for an entry over the
 * stream's throughput limit (ErrorMessage "Slow down."); the API reference lists it and
 * InternalFailure as the only per-entry codes.
 */
export const THROTTLED_ENTRY = 'ServiceUnavailableException';

/**
 * What one PutRecordBatch entry's ErrorCode means: undefined for none (the entry was accepted),
 * 'throttled' for THROTTLED_ENTRY, 'missing-stream' for STREAM_NOT_FOUND (defensive: PutRecordBatch
 * documents it for the whole call), and 'other' for InternalFailure or any code not listed today.
 */
export function entryError(code: string | undefined): 'throttled' | 'missing-stream' | 'other' | undefined {
  if (!code) return undefined;
  if (code === STREAM_NOT_FOUND) return 'missing-stream';
  return code === THROTTLED_ENTRY ? 'throttled' : 'other';
}

/**
 * A whole PutRecordBatch refused for throughput, after the SDK's own retries (its standard
 * strategy retries all three in place with backoff). PutRecordBatch documents only
 * ServiceUnavailableException; the other two are the names the SDK gives throttles of any call.
 */
export function throttledCall(err: unknown): boolean {
  const { name } = err as { name?: string };
  return name === THROTTLED_ENTRY || name === 'ThrottlingException' || name === 'LimitExceededException';
}

/** At most `n` calls in flight; the wait in the queue is not bounded by anything but the calls. */
export function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    while (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

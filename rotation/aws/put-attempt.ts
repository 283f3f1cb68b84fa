// One PutRecordBatch of one chunk, and what its answer means entry by entry: delivered, rerouted
// to the fallback, to be resent, or failed. The retries, the concurrency slot and the fallback
// sends around it are delivery's (delivery.ts); this module only makes and reads one call.
import { FirehoseClient, PutRecordBatchCommand, PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { FallbackReason, Outbound, Route } from '../core/routing';
import { stillOpen } from '../core/time-window';
import { DeliveryFailureReason } from './delivery-report';
import { describeError, streamUnavailable } from './put-retry';

/** The delivery one call belongs to: where and until when it may send, and where fates are told. */
export interface AttemptScope {
  client: Pick<FirehoseClient, 'send'>;
  now: () => DateTime;
  /** No send starts at or after this instant. */
  deadline: DateTime;
  fallbackStreamName: string;
  /** Aborts every send in flight when the deadline comes. */
  cutoff: AbortSignal;
  /** Hears of every PutRecordBatch sent. */
  called: () => void;
  /** Hears of each entry Firehose accepted, once. */
  delivered: (stream: string, entries: readonly Outbound[]) => void;
  /** Hears of entries that will not be delivered; they go back to Kinesis. */
  fail: (stream: string, entries: Outbound[], reason: DeliveryFailureReason, detail: string) => void;
  /** The entries with the fallback as their new route. */
  toFallback: (entries: Outbound[], reason: FallbackReason, detail: string, stream: string) => Outbound[];
}

export interface AttemptResult {
  /** Entries now routed to the fallback, for delivery to send there. */
  rerouted: Outbound[];
  /** Entries Firehose did not take, to be resent to the same stream. */
  retry: Outbound[];
}

/**
 * One PutRecordBatch of `entries`. The window and the deadline are checked here, at the moment of
 * sending (inside the caller's concurrency slot): time spent queued or backing off must not let a
 * write reach an hour that has closed (its stream may be deleted soon after) or start after the
 * deadline.
 */
export async function attempt(
  scope: AttemptScope,
  stream: string,
  entries: Outbound[],
): Promise<AttemptResult> {
  const { now, deadline, cutoff, fail, toFallback } = scope;
  const t = now();
  // One window check per distinct route: records of an hour share one Route (routeCache) and a
  // chunk of an hourly stream has exactly one hour, so this is one check per chunk, not per entry.
  let lastRoute: Route | undefined;
  let lastOpen = true;
  const closed = entries.filter((e) => {
    if (e.route !== lastRoute) {
      lastRoute = e.route;
      lastOpen = e.route.kind !== 'hourly' || stillOpen(e.route.writeDeadlineMs, t);
    }
    return !lastOpen;
  });
  const rerouted = toFallback(closed, 'late', `hour closed at ${t.toISO()} before the send`, stream);
  const batch = closed.length ? entries.filter((e) => !closed.includes(e)) : entries;
  if (!batch.length) return { rerouted, retry: [] };
  if (t >= deadline) {
    fail(stream, batch, 'deadline', `invocation deadline ${deadline.toISO()} reached before the send`);
    return { rerouted, retry: [] };
  }
  const hourly = stream !== scope.fallbackStreamName;
  scope.called();
  let out: PutRecordBatchCommandOutput;
  try {
    const Records = batch.map((e) => ({ Data: e.data }));
    out = await scope.client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records }), {
      abortSignal: cutoff,
    });
  } catch (err) {
    if (cutoff.aborted) {
      fail(
        stream,
        batch,
        'deadline',
        `PutRecordBatch cut off at the invocation deadline ${deadline.toISO()}`,
      );
      return { rerouted, retry: [] };
    }
    if (hourly && streamUnavailable(err)) {
      return {
        rerouted: [...rerouted, ...toFallback(batch, 'unavailable', describeError(err), stream)],
        retry: [],
      };
    }
    fail(stream, batch, 'call-failed', describeError(err));
    return { rerouted, retry: [] };
  }
  const responses = out.RequestResponses ?? [];
  // The common answer: nothing failed, so every entry is delivered and nothing is resent.
  if (!out.FailedPutCount && !responses.some((r) => r?.ErrorCode)) {
    scope.delivered(stream, batch);
    return { rerouted, retry: [] };
  }
  // Firehose answers entry by entry, in order; without a full answer, resend all (at-least-once).
  const answered = !out.FailedPutCount || responses.length === batch.length;
  const failedAt = (i: number) => !answered || Boolean(responses[i]?.ErrorCode);
  const gone = batch.filter((_, i) => hourly && responses[i]?.ErrorCode === 'ResourceNotFoundException');
  rerouted.push(...toFallback(gone, 'unavailable', `ResourceNotFoundException for ${stream}`, stream));
  scope.delivered(
    stream,
    batch.filter((_, i) => !failedAt(i)),
  );
  return { rerouted, retry: batch.filter((e, i) => failedAt(i) && !gone.includes(e)) };
}

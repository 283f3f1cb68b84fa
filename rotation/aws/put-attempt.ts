// One PutRecordBatch of one chunk, and what its answer means entry by entry: delivered, rerouted
// to the fallback, moved to a sibling stream of the hour, to be resent, or failed. The retries,
// the concurrency slot and the fallback and sibling sends around it are delivery's (delivery.ts);
// this module only makes and reads one call.
import { FirehoseClient, PutRecordBatchCommand, PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { FallbackReason, Outbound, Route } from '../core/routing';
import { stillOpen } from '../core/time-window';
import { DeliveryFailureReason } from './delivery-tally';
import { missingSiblingTarget, throttleTarget } from '../core/spreading';
import { describeError, streamUnavailable, THROTTLED_ENTRY, throttledCall } from './put-retry';

/** Why entries move to a sibling: their stream throttled them, or it does not exist (yet). */
export type MoveReason = 'throttled' | 'unavailable';

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
  /** The entries with a sibling of their hour as their new route (core/spreading movedRoute). */
  toSibling: (entries: Outbound[], why: MoveReason, detail: string, stream: string) => Outbound[];
  /** Hears of entries Firehose refused for throughput, each time it does. */
  throttled: (stream: string, entries: readonly Outbound[]) => void;
}

export interface AttemptResult {
  /** Entries now routed to the fallback, for delivery to send there. */
  rerouted: Outbound[];
  /** Entries now routed to a sibling stream of their hour, for delivery to send there. */
  moved: Outbound[];
  /** Entries Firehose did not take, to be resent to the same stream. */
  retry: Outbound[];
}

function split<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
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
  if (!batch.length) return { rerouted, moved: [], retry: [] };
  if (t >= deadline) {
    fail(stream, batch, 'deadline', `invocation deadline ${deadline.toISO()} reached before the send`);
    return { rerouted, moved: [], retry: [] };
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
      return { rerouted, moved: [], retry: [] };
    }
    const detail = describeError(err);
    if (hourly && streamUnavailable(err)) {
      // A sibling not created yet sends its share to index 0 of the hour; index 0 to the fallback.
      const [toZero, gone] = split(batch, (e) => missingSiblingTarget(e.route) === 0);
      rerouted.push(...toFallback(gone, 'unavailable', detail, stream));
      return { rerouted, moved: scope.toSibling(toZero, 'unavailable', detail, stream), retry: [] };
    }
    let unmoved = batch;
    let moved: Outbound[] = [];
    if (throttledCall(err)) {
      scope.throttled(stream, batch);
      // The SDK has already retried in place; a sibling has its own limit. One move, then as before.
      const [movable, rest] = split(batch, (e) => hourly && throttleTarget(e.route) !== undefined);
      moved = scope.toSibling(movable, 'throttled', detail, stream);
      unmoved = rest;
    }
    fail(stream, unmoved, 'call-failed', detail);
    return { rerouted, moved, retry: [] };
  }
  const responses = out.RequestResponses ?? [];
  // The common answer: nothing failed, so every entry is delivered and nothing is resent.
  if (!out.FailedPutCount && !responses.some((r) => r?.ErrorCode)) {
    scope.delivered(stream, batch);
    return { rerouted, moved: [], retry: [] };
  }
  // Firehose answers entry by entry, in order; without a full answer, resend all (at-least-once).
  const answered = !out.FailedPutCount || responses.length === batch.length;
  const accepted: Outbound[] = [];
  const gone: Outbound[] = [];
  const throttled: Outbound[] = [];
  const movable: Outbound[] = [];
  const retry: Outbound[] = []; // in batch order, as the resend goes out
  batch.forEach((e, i) => {
    const code = responses[i]?.ErrorCode;
    if (answered && !code) accepted.push(e);
    else if (hourly && code === 'ResourceNotFoundException') gone.push(e);
    else if (code !== THROTTLED_ENTRY) retry.push(e);
    else {
      throttled.push(e);
      // A throttled share moves once to the next sibling; after that (or with one stream) it is
      // resent in place with backoff, as every failed entry is.
      (hourly && throttleTarget(e.route) !== undefined ? movable : retry).push(e);
    }
  });
  if (throttled.length) scope.throttled(stream, throttled);
  const [toZero, toFb] = split(gone, (e) => missingSiblingTarget(e.route) === 0);
  const notFound = `ResourceNotFoundException for ${stream}`;
  rerouted.push(...toFallback(toFb, 'unavailable', notFound, stream));
  const moved = [
    ...scope.toSibling(toZero, 'unavailable', notFound, stream),
    ...scope.toSibling(movable, 'throttled', `${THROTTLED_ENTRY} from ${stream}`, stream),
  ];
  scope.delivered(stream, accepted);
  return { rerouted, moved, retry };
}

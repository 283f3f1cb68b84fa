// Sends a routed batch with PutRecordBatch: chunks within AWS limits, a bounded number of calls in
// flight, resends of only the failed entries with backoff until the deadline, and rerouting to the
// fallback when an hourly stream is gone, not ACTIVE, or its hour closed while we were retrying.
// Whatever still fails is reported per record, so the handler can return it to Kinesis.
import { FirehoseClient, PutRecordBatchCommand, PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { setMaxListeners } from 'node:events';
import { MAX_RECORD_BYTES } from '../core/chunking';
import { CopyArena, packChunks, packingBytes, recordCount, recordsOf } from '../core/packing';
import { BatchPlan, FallbackReason, groupByStream, Outbound, Route, RoutingSettings } from '../core/routing';
import { RotationSettings } from '../core/settings';
import { stillOpen } from '../core/time-window';
import {
  countedRoute,
  Delivered,
  DeliveredTally,
  DeliveryCounts,
  DeliveryFailureReason,
  DeliveryReport,
  Failed,
  routeReason,
} from './delivery-report';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, describeError, limiter, streamUnavailable } from './put-retry';

export { countDelivery } from './delivery-report';
export type { Delivered, DeliveryCounts, DeliveryFailureReason, DeliveryReport, Failed };

export type DeliverySettings = RoutingSettings &
  Pick<RotationSettings, 'routerConcurrency' | 'recordPackingKiB'>;

/** The slice of a logger delivery needs; @aws-lambda-powertools/logger's Logger fits. */
export interface DeliveryLog {
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface DeliveryDeps {
  client: Pick<FirehoseClient, 'send'>;
  now: () => DateTime;
  sleep: (ms: number) => Promise<void>;
  /** No send starts, and no backoff ends, at or after this instant. */
  deadline: DateTime;
  /** Jitter source in [0, 1). */
  random?: () => number;
  log?: DeliveryLog;
  maxAttempts?: number;
}

const SILENT: DeliveryLog = { warn: () => undefined, error: () => undefined };

/** Delivery with one Delivered entry per delivered record (tests, tools); see deliverCounted. */
export async function deliver(
  deps: DeliveryDeps,
  s: DeliverySettings,
  plan: BatchPlan,
): Promise<DeliveryReport> {
  const delivered: Delivered[] = [];
  const { failed, calls } = await deliverEach(deps, s, plan, (stream, entries) => {
    for (const e of entries)
      for (const r of recordsOf(e))
        delivered.push({ id: r.id, stream, reason: routeReason(countedRoute(e, r)) });
  });
  return { delivered, failed, calls };
}

/**
 * The router's form: delivered records are only counted, so a batch of thousands does not build
 * (and the GC does not trace) an entry per record. Failures are kept in full for batchItemFailures.
 */
export async function deliverCounted(
  deps: DeliveryDeps,
  s: DeliverySettings,
  plan: BatchPlan,
): Promise<{ counts: DeliveryCounts; failed: Failed[] }> {
  const tally = new DeliveredTally();
  const { failed, calls } = await deliverEach(deps, s, plan, (stream, entries) =>
    tally.addAll(stream, entries),
  );
  return { counts: tally.counts(failed, calls), failed };
}

type Outcome = Omit<DeliveryReport, 'delivered'>;

/**
 * The delivery itself; `delivered` hears of each record Firehose accepted, once, in send order,
 * one call's accepted entries at a time.
 */
async function deliverEach(
  deps: DeliveryDeps,
  s: DeliverySettings,
  plan: BatchPlan,
  delivered: (stream: string, entries: readonly Outbound[]) => void,
): Promise<Outcome> {
  const {
    now,
    sleep,
    deadline,
    random = Math.random,
    log = SILENT,
    maxAttempts = DEFAULT_MAX_ATTEMPTS,
  } = deps;
  const report: Outcome = { failed: [], calls: 0 };
  const limit = limiter(s.routerConcurrency);
  // Every send, SDK retries and their waits included, is cut off at the deadline: a call that never
  // answers must not run the invocation into the Lambda timeout, which would fail the whole batch.
  // One signal for the invocation (one timer, not one per call); every send in flight listens to it.
  const cutoff = new AbortController();
  setMaxListeners(Infinity, cutoff.signal);

  for (const r of plan.rejected) {
    log.error('record larger than Firehose accepts; returned to Kinesis as a batch item failure', {
      sequenceNumber: r.id,
      bytes: r.bytes,
      limitBytes: MAX_RECORD_BYTES,
    });
    report.failed.push({ id: r.id, reason: r.reason, detail: r.detail });
  }

  const fail = (stream: string, entries: Outbound[], reason: DeliveryFailureReason, detail: string) => {
    if (!entries.length) return;
    log.error('records not delivered; returned to Kinesis as batch item failures', {
      stream,
      records: recordCount(entries),
      reason,
      detail,
    });
    for (const e of entries) for (const r of recordsOf(e)) report.failed.push({ id: r.id, reason, detail });
  };

  const toFallback = (entries: Outbound[], reason: FallbackReason, detail: string, stream: string) => {
    if (entries.length)
      log.warn('rerouting records to the fallback stream', {
        stream,
        records: recordCount(entries),
        reason,
        detail,
      });
    return entries.map((e) => ({
      ...e,
      route: { kind: 'fallback' as const, stream: s.fallbackStreamName, reason, detail },
    }));
  };

  /**
   * One PutRecordBatch of `entries`. The window and the deadline are checked inside the concurrency
   * slot, at the moment of sending: time spent queued or backing off must not let a write reach an
   * hour that has closed (its stream may be deleted soon after) or start after the deadline.
   */
  async function attempt(
    stream: string,
    entries: Outbound[],
  ): Promise<{ rerouted: Outbound[]; retry: Outbound[] }> {
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
    const hourly = stream !== s.fallbackStreamName;
    report.calls++;
    let out: PutRecordBatchCommandOutput;
    try {
      const Records = batch.map((e) => ({ Data: e.data }));
      out = await deps.client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records }), {
        abortSignal: cutoff.signal,
      });
    } catch (err) {
      if (cutoff.signal.aborted) {
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
      delivered(stream, batch);
      return { rerouted, retry: [] };
    }
    // Firehose answers entry by entry, in order; without a full answer, resend all (at-least-once).
    const answered = !out.FailedPutCount || responses.length === batch.length;
    const failedAt = (i: number) => !answered || Boolean(responses[i]?.ErrorCode);
    const gone = batch.filter((_, i) => hourly && responses[i]?.ErrorCode === 'ResourceNotFoundException');
    rerouted.push(...toFallback(gone, 'unavailable', `ResourceNotFoundException for ${stream}`, stream));
    delivered(
      stream,
      batch.filter((_, i) => !failedAt(i)),
    );
    return { rerouted, retry: batch.filter((e, i) => failedAt(i) && !gone.includes(e)) };
  }

  /** Sends one chunk until every entry is delivered, rerouted (returned) or failed. */
  async function sendChunk(stream: string, entries: Outbound[]): Promise<Outbound[]> {
    const rerouted: Outbound[] = [];
    let pending = entries;
    for (let n = 1; ; n++) {
      const batch = pending;
      const result = await limit(() => attempt(stream, batch));
      rerouted.push(...result.rerouted);
      pending = result.retry;
      if (!pending.length) return rerouted;
      if (n >= maxAttempts) {
        fail(stream, pending, 'retries-exhausted', `still failing after ${n} attempts`);
        return rerouted;
      }
      const delay = backoffMs(n, random);
      if (now().plus({ milliseconds: delay }) >= deadline) {
        fail(stream, pending, 'deadline', `no time left for a resend before ${deadline.toISO()}`);
        return rerouted;
      }
      await sleep(delay);
    }
  }

  // Packing happens here, once: a packed entry is resent, rerouted or failed as a whole.
  const arena = new CopyArena(plan.outbound);
  const sendStream = async (stream: string, entries: Outbound[], packBytes = 0) =>
    (
      await Promise.all(packChunks(entries, packBytes, undefined, arena).map((c) => sendChunk(stream, c)))
    ).flat();

  const timer = setTimeout(() => cutoff.abort(), Math.max(0, deadline.toMillis() - now().toMillis()));
  await Promise.all(
    [...groupByStream(plan.outbound)].map(async ([stream, entries]) => {
      const rerouted = await sendStream(stream, entries, packingBytes(s.recordPackingKiB));
      if (rerouted.length) await sendStream(s.fallbackStreamName, rerouted);
    }),
  ).finally(() => clearTimeout(timer));
  // Every send has settled (and the SDK serialised its bytes): the next delivery may reuse them.
  arena.release();
  return report;
}

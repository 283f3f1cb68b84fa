// Sends a routed batch with PutRecordBatch: chunks within AWS limits, a bounded number of calls in
// flight, resends of only the failed entries with backoff until the deadline, and rerouting to the
// fallback when an hourly stream is gone, not ACTIVE, or its hour closed while we were retrying.
// Whatever still fails is reported per record, so the handler can return it to Kinesis.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { setMaxListeners } from 'node:events';
import { MAX_RECORD_BYTES } from '../core/chunking';
import { CopyArena, packChunks, packingBytes, recordCount, recordsOf } from '../core/packing';
import { BatchPlan, FallbackReason, groupByStream, Outbound, RoutingSettings } from '../core/routing';
import { RotationSettings } from '../core/settings';
import { DeliveredTally, DeliveryCounts, DeliveryFailureReason, Failed } from './delivery-report';
import { attempt, AttemptScope } from './put-attempt';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, limiter } from './put-retry';

export type { DeliveryCounts, DeliveryFailureReason, Failed };

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
  /**
   * Arms the cutoff that aborts sends in flight at the deadline; returns its disarm. Default: a
   * real timer, since the deadline is the Lambda's. Runs on a fake clock pass their own, or the
   * real timer would cut them off at a real-time instant unrelated to their clock.
   */
  armCutoff?: (delayMs: number, abort: () => void) => () => void;
}

const realTimer = (delayMs: number, abort: () => void) => {
  const timer = setTimeout(abort, delayMs);
  return () => clearTimeout(timer);
};

const SILENT: DeliveryLog = { warn: () => undefined, error: () => undefined };

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

/** What a delivery ends with besides the delivered records, which it tells as they happen. */
export interface DeliveryOutcome {
  failed: Failed[];
  /** PutRecordBatch calls made (SDK-internal retries not counted). */
  calls: number;
}

/**
 * The one delivery path: deliverCounted (the router) and the per-record report of the tests
 * (test/support/delivery.ts) both run exactly this. `delivered` hears of each record Firehose
 * accepted, once, in send order, one call's accepted entries at a time.
 */
export async function deliverEach(
  deps: DeliveryDeps,
  s: DeliverySettings,
  plan: BatchPlan,
  delivered: (stream: string, entries: readonly Outbound[]) => void,
): Promise<DeliveryOutcome> {
  const {
    now,
    sleep,
    deadline,
    random = Math.random,
    log = SILENT,
    maxAttempts = DEFAULT_MAX_ATTEMPTS,
  } = deps;
  const report: DeliveryOutcome = { failed: [], calls: 0 };
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

  const scope: AttemptScope = {
    client: deps.client,
    now,
    deadline,
    fallbackStreamName: s.fallbackStreamName,
    cutoff: cutoff.signal,
    called: () => report.calls++,
    delivered,
    fail,
    toFallback,
  };

  /** Sends one chunk until every entry is delivered, rerouted (returned) or failed. */
  async function sendChunk(stream: string, entries: Outbound[]): Promise<Outbound[]> {
    const rerouted: Outbound[] = [];
    let pending = entries;
    for (let n = 1; ; n++) {
      const batch = pending;
      const result = await limit(() => attempt(scope, stream, batch));
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

  const disarm = (deps.armCutoff ?? realTimer)(Math.max(0, deadline.toMillis() - now().toMillis()), () =>
    cutoff.abort(),
  );
  await Promise.all(
    [...groupByStream(plan.outbound)].map(async ([stream, entries]) => {
      const rerouted = await sendStream(stream, entries, packingBytes(s.recordPackingKiB));
      if (rerouted.length) await sendStream(s.fallbackStreamName, rerouted);
    }),
  ).finally(disarm);
  // Every send has settled (and the SDK serialised its bytes): the next delivery may reuse them.
  arena.release();
  return report;
}

// Sends a routed batch with PutRecordBatch: chunks within AWS limits, a bounded number of calls in
// flight, resends of only the failed entries with backoff until the deadline, and rerouting to the
// fallback when an hourly stream is gone, not ACTIVE, or its hour closed while we were retrying.
// With several streams per hour, a throttled share moves once to a sibling and a missing sibling's
// share goes to index 0 of its hour (core/spreading). Whatever still fails is reported per record,
// so the handler can return it to Kinesis.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { setMaxListeners } from 'node:events';
import { CopyArena, packChunks, packingBytes } from '../core/packing';
import { BatchPlan, groupByStream, Outbound, RoutingSettings } from '../core/routing';
import { RotationSettings } from '../core/settings';
import { DeliveredTally, DeliveryCounts, DeliveryFailureReason, Failed } from './delivery-tally';
import { DeliveryLedger, DeliveryLog, DeliveryOutcome } from './delivery-ledger';
import { attempt, AttemptScope } from './put-attempt';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, limiter } from './put-retry';

export type { DeliveryCounts, DeliveryFailureReason, DeliveryLog, DeliveryOutcome, Failed };

export type DeliverySettings = RoutingSettings &
  Pick<RotationSettings, 'routerConcurrency' | 'recordPackingKiB'>;

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
  const { failed, calls, throttled } = await deliverEach(deps, s, plan, (stream, entries) =>
    tally.addAll(stream, entries),
  );
  return { counts: tally.counts(failed, calls, throttled), failed };
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
  const ledger = new DeliveryLedger(log, s.fallbackStreamName);
  const limit = limiter(s.routerConcurrency);
  // Every send, SDK retries and their waits included, is cut off at the deadline: a call that never
  // answers must not run the invocation into the Lambda timeout, which would fail the whole batch.
  // One signal for the invocation (one timer, not one per call); every send in flight listens to it.
  const cutoff = new AbortController();
  setMaxListeners(Infinity, cutoff.signal);
  ledger.rejected(plan.rejected);
  const { fail } = ledger;
  const scope: AttemptScope = {
    client: deps.client,
    now,
    deadline,
    fallbackStreamName: s.fallbackStreamName,
    cutoff: cutoff.signal,
    called: ledger.called,
    delivered,
    fail,
    toFallback: ledger.toFallback,
    toSibling: ledger.toSibling,
    throttled: ledger.throttled,
  };

  /** Entries a send hands on: to the fallback, or to another stream of their hour. */
  interface Handed {
    rerouted: Outbound[];
    moved: Outbound[];
  }

  /** Sends one chunk until every entry is delivered, handed on (returned) or failed. */
  async function sendChunk(stream: string, entries: Outbound[]): Promise<Handed> {
    const handed: Handed = { rerouted: [], moved: [] };
    let pending = entries;
    for (let n = 1; ; n++) {
      const batch = pending;
      const result = await limit(() => attempt(scope, stream, batch));
      handed.rerouted.push(...result.rerouted);
      handed.moved.push(...result.moved);
      pending = result.retry;
      if (!pending.length) return handed;
      if (n >= maxAttempts) {
        fail(stream, pending, 'retries-exhausted', `still failing after ${n} attempts`);
        return handed;
      }
      const delay = backoffMs(n, random);
      if (now().plus({ milliseconds: delay }) >= deadline) {
        fail(stream, pending, 'deadline', `no time left for a resend before ${deadline.toISO()}`);
        return handed;
      }
      await sleep(delay);
    }
  }

  // Packing happens here, once: a packed entry is resent, rerouted, moved or failed as a whole.
  const arena = new CopyArena(plan.outbound);
  const sendStream = async (stream: string, entries: Outbound[], packBytes = 0): Promise<Handed> => {
    const sent = await Promise.all(
      packChunks(entries, packBytes, undefined, arena).map((c) => sendChunk(stream, c)),
    );
    return { rerouted: sent.flatMap((h) => h.rerouted), moved: sent.flatMap((h) => h.moved) };
  };
  /**
   * Sends to a stream, then what it moved to siblings, and so on; returns what goes to the
   * fallback. It ends: a record moves for a throttle at most once (movedRoute), and for a missing
   * sibling only to index 0, whose own absence sends it to the fallback.
   */
  const sendHour = async (stream: string, entries: Outbound[], packBytes = 0): Promise<Outbound[]> => {
    const { rerouted, moved } = await sendStream(stream, entries, packBytes);
    if (!moved.length) return rerouted;
    const further = await Promise.all([...groupByStream(moved)].map(([to, e]) => sendHour(to, e)));
    return rerouted.concat(...further);
  };

  const disarm = (deps.armCutoff ?? realTimer)(Math.max(0, deadline.toMillis() - now().toMillis()), () =>
    cutoff.abort(),
  );
  await Promise.all(
    [...groupByStream(plan.outbound)].map(async ([stream, entries]) => {
      const rerouted = await sendHour(stream, entries, packingBytes(s.recordPackingKiB));
      // The fallback is not hourly: nothing sent there is moved or rerouted again.
      if (rerouted.length) await sendStream(s.fallbackStreamName, rerouted);
    }),
  ).finally(disarm);
  // Every send has settled (and the SDK serialised its bytes): the next delivery may reuse them.
  arena.release();
  return ledger.outcome;
}

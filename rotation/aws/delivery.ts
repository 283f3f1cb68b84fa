// One router invocation's delivery of a routed batch with PutRecordBatch, as one object: chunks
// within AWS limits, a bounded number of calls in flight, resends of only the failed entries with
// backoff until the deadline, and rerouting to the fallback when an hourly stream is gone, not
// ACTIVE, or its hour closed while we were retrying. With several streams per hour, a throttled
// share moves once to a sibling and a missing sibling's share goes to index 0 of its hour
// (core/event-hour). Whatever still fails is reported per record, so the handler can return it to
// Kinesis. The Firehose error rules are put-retry.ts's; the counts are delivery-tally.ts's.
import { FirehoseClient, PutRecordBatchCommand, PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { setMaxListeners } from 'node:events';
import { MAX_RECORD_BYTES } from '../core/chunking';
import '../core/luxon-strict'; // the backoff deadline is luxon arithmetic: throws, never NaN
import { CopyArena, packChunks, packingBytes, recordCount, recordsOf } from '../core/packing';
import {
  BatchPlan,
  FallbackReason,
  groupByStream,
  Outbound,
  Rejected,
  Route,
  RoutingSettings,
} from '../core/routing';
import { RotationSettings } from '../core/settings';
import { closedAt, HourlyRoute, missingSiblingTarget, movedRoute, throttleTarget } from '../core/event-hour';
import {
  DeliveredTally,
  DeliveryCounts,
  DeliveryFailureReason,
  DeliveryOutcome,
  Failed,
} from './delivery-tally';
import { describeError } from './error-name';
import {
  backoffMs,
  DEFAULT_MAX_ATTEMPTS,
  entryError,
  limiter,
  STREAM_NOT_FOUND,
  streamUnavailable,
  THROTTLED_ENTRY,
  throttledCall,
} from './put-retry';

export type { DeliveryCounts };

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

/** The slice of a logger delivery needs; @aws-lambda-powertools/logger's Logger fits. */
export interface DeliveryLog {
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** Hears of each record Firehose accepted, once, in send order, one call's accepted entries at a time. */
type DeliveredListener = (stream: string, entries: readonly Outbound[]) => void;

/** Why entries move to a sibling: their stream throttled them, or it does not exist (yet). */
type MoveReason = 'throttled' | 'unavailable';

/** Entries a send hands on: to the fallback, or to another stream of their hour. */
interface Handed {
  rerouted: Outbound[];
  moved: Outbound[];
}

/** What one PutRecordBatch leaves besides what it handed on: entries to resend to the same stream. */
interface Attempted extends Handed {
  retry: Outbound[];
}

const realTimer = (delayMs: number, abort: () => void) => {
  const timer = setTimeout(abort, delayMs);
  return () => clearTimeout(timer);
};

const SILENT: DeliveryLog = { warn: () => undefined, error: () => undefined };

function split<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

/**
 * One delivery of one batch plan, run once. Its state is the invocation's: what has been decided
 * (failed records, calls, throttled records, each decision logged as it is made), the bound on calls
 * in flight, the cutoff at the deadline and the packed bytes; its steps are the methods below, from
 * the whole batch down to one call and back up to the decisions.
 */
export class Delivery {
  /**
   * The router's form: delivered records are only counted, so a batch of thousands does not build
   * (and the GC does not trace) an entry per record. Failures are kept in full for batchItemFailures.
   */
  static async counted(
    deps: DeliveryDeps,
    s: DeliverySettings,
    plan: BatchPlan,
  ): Promise<{ counts: DeliveryCounts; failed: Failed[] }> {
    const tally = new DeliveredTally();
    const outcome = await new Delivery(deps, s, plan, (stream, entries) =>
      tally.addAll(stream, entries),
    ).run();
    return { counts: tally.counts(outcome), failed: outcome.failed };
  }

  private readonly outcome: DeliveryOutcome = { failed: [], calls: 0, throttled: 0 };
  private readonly log: DeliveryLog;
  private readonly limit: ReturnType<typeof limiter>;
  // Every send, SDK retries and their waits included, is cut off at the deadline: a call that never
  // answers must not run the invocation into the Lambda timeout, which would fail the whole batch.
  // One signal for the invocation (one timer, not one per call); every send in flight listens to it.
  private readonly cutoff = new AbortController();
  // Packing happens once, into this arena: a packed entry is resent, rerouted, moved or failed whole.
  private readonly arena: CopyArena;

  /**
   * `delivered` hears of each record Firehose accepted, once, in send order. The router's counted
   * form and the per-record report of the tests (test/support/delivery.ts) both run exactly this.
   */
  constructor(
    private readonly deps: DeliveryDeps,
    private readonly s: DeliverySettings,
    private readonly plan: BatchPlan,
    private readonly delivered: DeliveredListener,
  ) {
    this.log = deps.log ?? SILENT;
    this.limit = limiter(s.routerConcurrency);
    setMaxListeners(Infinity, this.cutoff.signal);
    this.arena = new CopyArena(plan.outbound);
  }

  /** Once per instance: the outcome and the packed bytes are this run's. */
  async run(): Promise<DeliveryOutcome> {
    const { now, deadline } = this.deps;
    this.rejected(this.plan.rejected);
    const disarm = (this.deps.armCutoff ?? realTimer)(
      Math.max(0, deadline.toMillis() - now().toMillis()),
      () => this.cutoff.abort(),
    );
    await Promise.all(
      [...groupByStream(this.plan.outbound)].map(async ([stream, entries]) => {
        const rerouted = await this.sendHour(stream, entries, packingBytes(this.s.recordPackingKiB));
        // The fallback is not hourly: nothing sent there is moved or rerouted again.
        if (rerouted.length) await this.sendStream(this.s.fallbackStreamName, rerouted);
      }),
    ).finally(disarm);
    // Every send has settled (and the SDK serialised its bytes): the next delivery may reuse them.
    this.arena.release();
    return this.outcome;
  }

  /**
   * Sends to a stream, then what it moved to siblings, and so on; returns what goes to the
   * fallback. It ends: a record moves for a throttle at most once (movedRoute), and for a missing
   * sibling only to index 0, whose own absence sends it to the fallback.
   */
  private async sendHour(stream: string, entries: Outbound[], packBytes = 0): Promise<Outbound[]> {
    const { rerouted, moved } = await this.sendStream(stream, entries, packBytes);
    if (!moved.length) return rerouted;
    const further = await Promise.all([...groupByStream(moved)].map(([to, e]) => this.sendHour(to, e)));
    return rerouted.concat(...further);
  }

  private async sendStream(stream: string, entries: Outbound[], packBytes = 0): Promise<Handed> {
    const sent = await Promise.all(
      packChunks(entries, packBytes, undefined, this.arena).map((c) => this.sendChunk(stream, c)),
    );
    return { rerouted: sent.flatMap((h) => h.rerouted), moved: sent.flatMap((h) => h.moved) };
  }

  /** Sends one chunk until every entry is delivered, handed on (returned) or failed. */
  private async sendChunk(stream: string, entries: Outbound[]): Promise<Handed> {
    const { now, sleep, deadline, random = Math.random, maxAttempts = DEFAULT_MAX_ATTEMPTS } = this.deps;
    const handed: Handed = { rerouted: [], moved: [] };
    let pending = entries;
    for (let n = 1; ; n++) {
      const batch = pending;
      const result = await this.limit(() => this.attempt(stream, batch));
      handed.rerouted.push(...result.rerouted);
      handed.moved.push(...result.moved);
      pending = result.retry;
      if (!pending.length) return handed;
      if (n >= maxAttempts) {
        this.fail(stream, pending, 'retries-exhausted', `still failing after ${n} attempts`);
        return handed;
      }
      const delay = backoffMs(n, random);
      if (now().plus({ milliseconds: delay }) >= deadline) {
        this.fail(stream, pending, 'deadline', `no time left for a resend before ${deadline.toISO()}`);
        return handed;
      }
      await sleep(delay);
    }
  }

  /**
   * One PutRecordBatch of `entries`. The window and the deadline are checked here, at the moment of
   * sending (inside the concurrency slot): time spent queued or backing off must not let a write
   * reach an hour that has closed (its stream may be deleted soon after) or start after the deadline.
   */
  private async attempt(stream: string, entries: Outbound[]): Promise<Attempted> {
    const { now, deadline, client } = this.deps;
    const t = now();
    // One window check per distinct route: records of an hour share one Route (routeCache) and a
    // chunk of an hourly stream has exactly one hour, so this is one check per chunk, not per entry.
    let lastRoute: Route | undefined;
    let lastOpen = true;
    const closed = entries.filter((e) => {
      if (e.route !== lastRoute) {
        lastRoute = e.route;
        lastOpen = e.route.kind !== 'hourly' || !closedAt(e.route.writeDeadlineMs, t);
      }
      return !lastOpen;
    });
    const rerouted = this.toFallback(closed, 'late', `hour closed at ${t.toISO()} before the send`, stream);
    const batch = closed.length ? entries.filter((e) => !closed.includes(e)) : entries;
    if (!batch.length) return { rerouted, moved: [], retry: [] };
    if (t >= deadline) {
      this.fail(stream, batch, 'deadline', `invocation deadline ${deadline.toISO()} reached before the send`);
      return { rerouted, moved: [], retry: [] };
    }
    this.outcome.calls++;
    let out: PutRecordBatchCommandOutput;
    try {
      const Records = batch.map((e) => ({ Data: e.data }));
      out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records }), {
        abortSignal: this.cutoff.signal,
      });
    } catch (err) {
      return this.callFailed(stream, batch, err, rerouted);
    }
    return this.answered(stream, batch, out, rerouted);
  }

  /** A call refused as a whole: cut off at the deadline, a missing stream, a throttle or another error. */
  private callFailed(stream: string, batch: Outbound[], err: unknown, rerouted: Outbound[]): Attempted {
    if (this.cutoff.signal.aborted) {
      const detail = `PutRecordBatch cut off at the invocation deadline ${this.deps.deadline.toISO()}`;
      this.fail(stream, batch, 'deadline', detail);
      return { rerouted, moved: [], retry: [] };
    }
    const hourly = stream !== this.s.fallbackStreamName;
    const detail = describeError(err);
    if (hourly && streamUnavailable(err)) {
      // A sibling not created yet sends its share to index 0 of the hour; index 0 to the fallback.
      const [toZero, gone] = split(batch, (e) => missingSiblingTarget(e.route) === 0);
      rerouted.push(...this.toFallback(gone, 'unavailable', detail, stream));
      return { rerouted, moved: this.toSibling(toZero, 'unavailable', detail, stream), retry: [] };
    }
    let unmoved = batch;
    let moved: Outbound[] = [];
    if (throttledCall(err)) {
      this.outcome.throttled += recordCount(batch);
      // The SDK has already retried in place; a sibling has its own limit. One move, then as before.
      const [movable, rest] = split(batch, (e) => hourly && throttleTarget(e.route) !== undefined);
      moved = this.toSibling(movable, 'throttled', detail, stream);
      unmoved = rest;
    }
    this.fail(stream, unmoved, 'call-failed', detail);
    return { rerouted, moved, retry: [] };
  }

  /** What Firehose's answer means entry by entry: delivered, rerouted, moved or to be resent. */
  private answered(
    stream: string,
    batch: Outbound[],
    out: PutRecordBatchCommandOutput,
    rerouted: Outbound[],
  ): Attempted {
    const responses = out.RequestResponses ?? [];
    // The common answer: nothing failed, so every entry is delivered and nothing is resent.
    if (!out.FailedPutCount && !responses.some((r) => entryError(r?.ErrorCode))) {
      this.delivered(stream, batch);
      return { rerouted, moved: [], retry: [] };
    }
    const hourly = stream !== this.s.fallbackStreamName;
    // Firehose answers entry by entry, in order; without a full answer, resend all (at-least-once).
    const answered = !out.FailedPutCount || responses.length === batch.length;
    const accepted: Outbound[] = [];
    const gone: Outbound[] = [];
    const throttled: Outbound[] = [];
    const movable: Outbound[] = [];
    const retry: Outbound[] = []; // in batch order, as the resend goes out
    batch.forEach((e, i) => {
      const error = entryError(responses[i]?.ErrorCode);
      if (answered && !error) accepted.push(e);
      else if (hourly && error === 'missing-stream') gone.push(e);
      else if (error !== 'throttled') retry.push(e);
      else {
        throttled.push(e);
        // A throttled share moves once to the next sibling; after that (or with one stream) it is
        // resent in place with backoff, as every failed entry is.
        (hourly && throttleTarget(e.route) !== undefined ? movable : retry).push(e);
      }
    });
    if (throttled.length) this.outcome.throttled += recordCount(throttled);
    const [toZero, toFb] = split(gone, (e) => missingSiblingTarget(e.route) === 0);
    const notFound = `${STREAM_NOT_FOUND} for ${stream}`;
    rerouted.push(...this.toFallback(toFb, 'unavailable', notFound, stream));
    const moved = [
      ...this.toSibling(toZero, 'unavailable', notFound, stream),
      ...this.toSibling(movable, 'throttled', `${THROTTLED_ENTRY} from ${stream}`, stream),
    ];
    this.delivered(stream, accepted);
    return { rerouted, moved, retry };
  }

  // The decisions, each with its log line.

  /** Records the plan refused before any send (larger than Firehose accepts). */
  private rejected(records: readonly Rejected[]): void {
    for (const r of records) {
      this.log.error('record larger than Firehose accepts; returned to Kinesis as a batch item failure', {
        sequenceNumber: r.id,
        bytes: r.bytes,
        limitBytes: MAX_RECORD_BYTES,
      });
      this.outcome.failed.push({ id: r.id, reason: r.reason, detail: r.detail });
    }
  }

  /** Entries that will not be delivered; their records go back to Kinesis. */
  private fail(stream: string, entries: Outbound[], reason: DeliveryFailureReason, detail: string): void {
    if (!entries.length) return;
    this.log.error('records not delivered; returned to Kinesis as batch item failures', {
      stream,
      records: recordCount(entries),
      reason,
      detail,
    });
    for (const e of entries)
      for (const r of recordsOf(e)) this.outcome.failed.push({ id: r.id, reason, detail });
  }

  /** The entries with the fallback as their new route. */
  private toFallback(
    entries: Outbound[],
    reason: FallbackReason,
    detail: string,
    stream: string,
  ): Outbound[] {
    if (entries.length)
      this.log.warn('rerouting records to the fallback stream', {
        stream,
        records: recordCount(entries),
        reason,
        detail,
      });
    return entries.map((e) => ({
      ...e,
      route: { kind: 'fallback' as const, stream: this.s.fallbackStreamName, reason, detail },
    }));
  }

  /** The entries with a sibling of their hour as their new route (core/event-hour movedRoute). */
  private toSibling(entries: Outbound[], why: MoveReason, detail: string, stream: string): Outbound[] {
    if (!entries.length) return [];
    const moved = entries.map((e) => {
      const route = e.route as HourlyRoute; // only hourly routes with siblings get here
      return { ...e, route: movedRoute(route, why === 'throttled' ? throttleTarget(route)! : 0) };
    });
    this.log.warn('moving records to a sibling stream of their hour', {
      stream,
      to: moved[0].route.stream,
      records: recordCount(entries),
      reason: why,
      detail,
    });
    return moved;
  }
}

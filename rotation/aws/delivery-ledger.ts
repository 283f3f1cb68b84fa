// What one delivery has decided so far: the records that failed (for batchItemFailures), the
// calls made, the throttled records, and the log line that goes with each decision. One object
// per delivery instead of closures sharing a report: put-attempt and delivery hand it their
// decisions, and the outcome is read once at the end.
import { MAX_RECORD_BYTES } from '../core/chunking';
import { recordCount, recordsOf } from '../core/packing';
import { FallbackReason, Outbound, Rejected } from '../core/routing';
import { HourlyRoute, movedRoute, throttleTarget } from '../core/spreading';
import type { DeliveryFailureReason, Failed } from './delivery-tally';
import type { MoveReason } from './put-attempt';

/** The slice of a logger delivery needs; @aws-lambda-powertools/logger's Logger fits. */
export interface DeliveryLog {
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** What a delivery ends with besides the delivered records, which it tells as they happen. */
export interface DeliveryOutcome {
  failed: Failed[];
  /** PutRecordBatch calls made (SDK-internal retries not counted). */
  calls: number;
  /** Records in entries Firehose refused for throughput, once per refusal (a resend may count again). */
  throttled: number;
}

export class DeliveryLedger {
  readonly outcome: DeliveryOutcome = { failed: [], calls: 0, throttled: 0 };

  constructor(
    private readonly log: DeliveryLog,
    private readonly fallbackStreamName: string,
  ) {}

  /** Records the plan refused before any send (larger than Firehose accepts). */
  rejected(records: readonly Rejected[]): void {
    for (const r of records) {
      this.log.error('record larger than Firehose accepts; returned to Kinesis as a batch item failure', {
        sequenceNumber: r.id,
        bytes: r.bytes,
        limitBytes: MAX_RECORD_BYTES,
      });
      this.outcome.failed.push({ id: r.id, reason: r.reason, detail: r.detail });
    }
  }

  readonly called = (): void => {
    this.outcome.calls++;
  };

  readonly throttled = (_stream: string, entries: readonly Outbound[]): void => {
    this.outcome.throttled += recordCount(entries);
  };

  /** Entries that will not be delivered; their records go back to Kinesis. */
  readonly fail = (stream: string, entries: Outbound[], reason: DeliveryFailureReason, detail: string) => {
    if (!entries.length) return;
    this.log.error('records not delivered; returned to Kinesis as batch item failures', {
      stream,
      records: recordCount(entries),
      reason,
      detail,
    });
    for (const e of entries)
      for (const r of recordsOf(e)) this.outcome.failed.push({ id: r.id, reason, detail });
  };

  /** The entries with the fallback as their new route. */
  readonly toFallback = (entries: Outbound[], reason: FallbackReason, detail: string, stream: string) => {
    if (entries.length)
      this.log.warn('rerouting records to the fallback stream', {
        stream,
        records: recordCount(entries),
        reason,
        detail,
      });
    return entries.map((e) => ({
      ...e,
      route: { kind: 'fallback' as const, stream: this.fallbackStreamName, reason, detail },
    }));
  };

  /** The entries with a sibling of their hour as their new route (core/spreading movedRoute). */
  readonly toSibling = (entries: Outbound[], why: MoveReason, detail: string, stream: string) => {
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
  };
}

// What a batch's delivery comes to: per-record outcomes, or just their counts (the router's form,
// summed as records are delivered so no per-record entry is built). Pure; delivery re-exports it.
import type { FallbackReason, Outbound } from '../core/routing';

export type DeliveryFailureReason = 'too-large' | 'call-failed' | 'retries-exhausted' | 'deadline';

export interface Delivered {
  id: string;
  stream: string;
  reason: 'hourly' | FallbackReason;
}

export interface Failed {
  id: string;
  reason: DeliveryFailureReason;
  detail: string;
}

export interface DeliveryReport {
  delivered: Delivered[];
  failed: Failed[];
  /** PutRecordBatch calls made (SDK-internal retries not counted). */
  calls: number;
}

export const reasonOf = (e: Outbound): Delivered['reason'] =>
  e.route.kind === 'hourly' ? 'hourly' : e.route.reason;

export interface DeliveryCounts {
  records: number;
  delivered: number;
  failed: number;
  /** Delivered records per destination stream. */
  perStream: Record<string, number>;
  /** Delivered records per route: 'hourly' or the fallback reason. */
  perReason: Record<string, number>;
  /** Failed records per failure reason. */
  perFailure: Record<string, number>;
  calls: number;
}

/** Running totals of delivered records; keys appear in the order records were delivered. */
export class DeliveredTally {
  delivered = 0;
  readonly perStream: Record<string, number> = {};
  readonly perReason: Record<string, number> = {};

  /** add() for the records of one call's entries (packed or not), one update per run sharing a route. */
  addAll(stream: string, entries: readonly Outbound[]): void {
    for (let i = 0; i < entries.length;) {
      const route = entries[i].route;
      let end = i;
      let records = 0;
      for (; end < entries.length && entries[end].route === route; end++)
        records += entries[end].packed?.length ?? 1;
      this.addRun(stream, reasonOf(entries[i]), records);
      i = end;
    }
  }

  add(stream: string, reason: string): void {
    this.addRun(stream, reason, 1);
  }

  private addRun(stream: string, reason: string, n: number): void {
    this.delivered += n;
    this.perStream[stream] = (this.perStream[stream] ?? 0) + n;
    this.perReason[reason] = (this.perReason[reason] ?? 0) + n;
  }

  counts(failed: readonly Failed[], calls: number): DeliveryCounts {
    const perFailure: Record<string, number> = {};
    for (const f of failed) perFailure[f.reason] = (perFailure[f.reason] ?? 0) + 1;
    return {
      records: this.delivered + failed.length,
      delivered: this.delivered,
      failed: failed.length,
      perStream: this.perStream,
      perReason: this.perReason,
      perFailure,
      calls,
    };
  }
}

export function countDelivery(report: DeliveryReport): DeliveryCounts {
  const tally = new DeliveredTally();
  for (const d of report.delivered) tally.add(d.stream, d.reason);
  return tally.counts(report.failed, report.calls);
}

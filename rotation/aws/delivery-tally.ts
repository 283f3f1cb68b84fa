// What a batch's delivery comes to: its failures in full and its deliveries only counted (the
// router's form, summed as records are delivered so no per-record entry is built). These counts are
// the router's metrics and its summary log line. Pure.
import type { FallbackReason, Outbound, Route } from '../core/routing';

/**
 * Whether the records of entry `e` count under their own routes: a packed entry not rerouted. The
 * fallback packs records of different reasons together; delivery gives a rerouted entry a new route
 * object, and then all its records count under that one.
 */
const ownRoutes = (e: Outbound): boolean => e.packed !== undefined && e.route === e.packed[0].route;

export type DeliveryFailureReason = 'too-large' | 'call-failed' | 'retries-exhausted' | 'deadline';

export interface Failed {
  id: string;
  reason: DeliveryFailureReason;
  detail: string;
}

/** What a delivered record counts under: its hourly stream, or why it went to the fallback. */
type DeliveredReason = 'hourly' | FallbackReason;

const routeReason = (route: Route): DeliveredReason => (route.kind === 'hourly' ? 'hourly' : route.reason);

/** What a delivery ends with besides the delivered records, which it tells as they happen. */
export interface DeliveryOutcome {
  failed: Failed[];
  /** PutRecordBatch calls made (SDK-internal retries not counted). */
  calls: number;
  /** Records in entries Firehose refused for throughput, once per refusal (a resend may count again). */
  throttled: number;
}

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
  /** Records in entries Firehose refused for throughput ("slow down"), once per refusal. */
  throttled: number;
}

/** Running totals of delivered records; keys appear in the order records were delivered. */
export class DeliveredTally {
  delivered = 0;
  readonly perStream: Record<string, number> = {};
  readonly perReason: Record<string, number> = {};

  /** add() for the records of one call's entries (packed or not), one update per run sharing a route. */
  addAll(stream: string, entries: readonly Outbound[]): void {
    let run: Route | undefined;
    let n = 0;
    const count = (route: Route, records: number) => {
      if (route !== run) {
        if (n) this.addRun(stream, routeReason(run!), n);
        run = route;
        n = 0;
      }
      n += records;
    };
    for (const e of entries) {
      if (ownRoutes(e)) for (const r of e.packed!) count(r.route, 1);
      else count(e.route, e.packed ? e.packed.length : 1);
    }
    if (n) this.addRun(stream, routeReason(run!), n);
  }

  private addRun(stream: string, reason: string, n: number): void {
    this.delivered += n;
    this.perStream[stream] = (this.perStream[stream] ?? 0) + n;
    this.perReason[reason] = (this.perReason[reason] ?? 0) + n;
  }

  counts({ failed, calls, throttled }: DeliveryOutcome): DeliveryCounts {
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
      throttled,
    };
  }
}

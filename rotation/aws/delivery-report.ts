// What a batch's delivery comes to: per-record outcomes, or just their counts (the router's form,
// summed as records are delivered so no per-record entry is built). Pure; delivery re-exports it.
import type { FallbackReason, Outbound, Route } from '../core/routing';

/**
 * Whether the records of entry `e` count under their own routes: a packed entry not rerouted. The
 * fallback packs records of different reasons together; delivery gives a rerouted entry a new route
 * object, and then all its records count under that one.
 */
export const ownRoutes = (e: Outbound): boolean => e.packed !== undefined && e.route === e.packed[0].route;

/** The route record `r` of entry `e` is counted under. */
export const countedRoute = (e: Outbound, r: Outbound): Route => (ownRoutes(e) ? r.route : e.route);

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

export const routeReason = (route: Route): Delivered['reason'] =>
  route.kind === 'hourly' ? 'hourly' : route.reason;

export const reasonOf = (e: Outbound): Delivered['reason'] => routeReason(e.route);

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

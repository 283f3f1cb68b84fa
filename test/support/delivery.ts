// The per-record delivery report tests assert on, built over the router's own delivery path
// (deliverEach, which deliverCounted runs too): these are adapters, not a second delivery.
import {
  deliverEach,
  DeliveryCounts,
  DeliveryDeps,
  DeliveryOutcome,
  DeliverySettings,
} from '../../rotation/aws/delivery';
import { DeliveredReason, ownRoutes, routeReason } from '../../rotation/aws/delivery-tally';
import { recordsOf } from '../../rotation/core/packing';
import { BatchPlan, Outbound, Route } from '../../rotation/core/routing';

export interface Delivered {
  id: string;
  stream: string;
  reason: DeliveredReason;
}

export interface DeliveryReport extends DeliveryOutcome {
  delivered: Delivered[];
}

/** The route record `r` of entry `e` counts under, by the rule DeliveredTally.addAll applies. */
const countedRoute = (e: Outbound, r: Outbound): Route => (ownRoutes(e) ? r.route : e.route);

/** Delivery with one Delivered entry per delivered record, in the order Firehose accepted them. */
export async function deliver(
  deps: DeliveryDeps,
  s: DeliverySettings,
  plan: BatchPlan,
): Promise<DeliveryReport> {
  const delivered: Delivered[] = [];
  const { failed, calls, throttled } = await deliverEach(deps, s, plan, (stream, entries) => {
    for (const e of entries)
      for (const r of recordsOf(e))
        delivered.push({ id: r.id, stream, reason: routeReason(countedRoute(e, r)) });
  });
  return { delivered, failed, calls, throttled };
}

/**
 * The counts a per-record report comes to, summed here independently of DeliveredTally, so the
 * router's counted form can be checked against it.
 */
export function countDelivery(report: DeliveryReport): DeliveryCounts {
  const bump = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
  const perStream: Record<string, number> = {};
  const perReason: Record<string, number> = {};
  const perFailure: Record<string, number> = {};
  for (const d of report.delivered) {
    bump(perStream, d.stream);
    bump(perReason, d.reason);
  }
  for (const f of report.failed) bump(perFailure, f.reason);
  return {
    records: report.delivered.length + report.failed.length,
    delivered: report.delivered.length,
    failed: report.failed.length,
    perStream,
    perReason,
    perFailure,
    calls: report.calls,
    throttled: report.throttled,
  };
}

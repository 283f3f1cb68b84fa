// The per-record delivery report tests assert on, built over the router's own delivery (the
// Delivery object Delivery.counted runs too): these are adapters, not a second delivery.
import { Delivery, DeliveryCounts, DeliveryDeps, DeliverySettings } from '../../rotation/aws/delivery';
import { DeliveryOutcome } from '../../rotation/aws/delivery-tally';
import { recordsOf } from '../../rotation/core/packing';
import { BatchPlan, FallbackReason, Outbound, Route } from '../../rotation/core/routing';

/** What a delivered record counts under: its hourly stream, or why it went to the fallback. */
type DeliveredReason = 'hourly' | FallbackReason;

export interface Delivered {
  id: string;
  stream: string;
  reason: DeliveredReason;
}

export interface DeliveryReport extends DeliveryOutcome {
  delivered: Delivered[];
}

/**
 * The route record `r` of entry `e` counts under, restated here (not imported) so the router's
 * DeliveredTally is checked against an independent reading of the rule: a packed entry that kept
 * its route (the packing gives it its first record's route object) counts each record under the
 * record's own route; an entry delivery rerouted or moved has a new route object, and all its
 * records count under that one.
 */
const countedRoute = (e: Outbound, r: Outbound): Route =>
  e.packed !== undefined && e.route === e.packed[0].route ? r.route : e.route;

const reasonOf = (route: Route): DeliveredReason => (route.kind === 'hourly' ? 'hourly' : route.reason);

/** Delivery with one Delivered entry per delivered record, in the order Firehose accepted them. */
export async function deliver(
  deps: DeliveryDeps,
  s: DeliverySettings,
  plan: BatchPlan,
): Promise<DeliveryReport> {
  const delivered: Delivered[] = [];
  const { failed, calls, throttled } = await new Delivery(deps, s, plan, (stream, entries) => {
    for (const e of entries)
      for (const r of recordsOf(e))
        delivered.push({ id: r.id, stream, reason: reasonOf(countedRoute(e, r)) });
  }).run();
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

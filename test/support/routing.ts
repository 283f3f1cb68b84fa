// The routing decisions tests state record by record, as thin adapters over the planner the router
// runs (planColumns, via routeBatch): a test of decideRoute or planBatch is a test of that path.
import { DateTime } from 'luxon';
import { planColumns } from '../../rotation/core/batch-plan';
import { BatchPlan, Route, RoutingSettings } from '../../rotation/core/routing';

/** One Kinesis record: its sequence number (the batchItemFailures identifier) and raw bytes. */
export interface SourceRecord {
  id: string;
  data: Uint8Array;
  /** The Kinesis partition key; defaults to the id (read only with streamsPerHour > 1). */
  partitionKey?: string;
}

/** Routes every record once, at one `now`; each ends up in exactly one of outbound or rejected. */
export function planBatch(records: readonly SourceRecord[], now: DateTime, s: RoutingSettings): BatchPlan {
  return planColumns(
    records.map((r) => r.id),
    records.map((r) => r.data),
    now,
    s,
    records.map((r) => r.partitionKey ?? r.id),
  );
}

/**
 * Where the router sends one record's bytes at `now`, for a record that is one event; a record it
 * would reject, or split into several events (JSON Lines, KPL), is a test error.
 */
export function decideRoute(data: Uint8Array, now: DateTime, s: RoutingSettings): Route {
  const plan = planColumns(['record'], [data], now, s);
  if (plan.rejected.length) throw new Error(`decideRoute: ${plan.rejected[0].detail}`);
  if (plan.outbound.length !== 1) throw new Error(`decideRoute: ${plan.outbound.length} events`);
  return plan.outbound[0].route;
}

/** Each event of a batch as "<id> <bytes as text> → <stream>[ <reason>]", in plan order. */
export function planLines(records: readonly SourceRecord[], now: DateTime, s: RoutingSettings): string[] {
  const plan = planBatch(records, now, s);
  const text = (d: Uint8Array) => JSON.stringify(Buffer.from(d).toString());
  return [
    ...plan.outbound.map(
      (o) =>
        `${o.id} ${text(o.data)} → ${o.route.stream}${o.route.kind === 'fallback' ? ` ${o.route.reason}` : ''}`,
    ),
    ...plan.rejected.map((r) => `${r.id} rejected ${r.reason}`),
  ];
}

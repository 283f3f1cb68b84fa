// The routing decisions tests state record by record, as thin adapters over the planner the router
// runs (planColumns, via routeBatch): a test of decideRoute or planBatch is a test of that path.
import { DateTime } from 'luxon';
import { planColumns } from '../../rotation/core/batch-plan';
import { BatchPlan, Route, RoutingSettings } from '../../rotation/core/routing';
import { settings } from './fixtures';

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

/**
 * The index among its hour's N streams that the router gives each partition key, in order: one
 * batch through planBatch, a record per key, all of one open hour. 0 for every key when N = 1.
 */
export function streamIndexes(keys: readonly string[], n: number): number[] {
  // A quota that fits 16 streams per hour: the settings refuse N that the default 50 cannot hold.
  const s = settings({ streamsPerHour: n, quota: 100 });
  const data = new TextEncoder().encode('{"timestamp":"2026-11-22T05:10:00Z"}');
  const records = keys.map((partitionKey, i) => ({ id: `k${i}`, data, partitionKey }));
  const now = DateTime.fromISO('2026-11-22T05:20:00Z', { zone: 'utc' });
  return planBatch(records, now, s).outbound.map((o) => {
    if (o.route.kind !== 'hourly') throw new Error(`streamIndexes: ${o.id} not routed to its hour`);
    return o.route.index ?? 0;
  });
}

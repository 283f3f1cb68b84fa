// The routing decisions tests state record by record, as thin adapters over the planner the router
// runs (planColumns, via routeBatch): a test of decideRoute or planBatch is a test of that path.
import { DateTime } from 'luxon';
import { BatchPlan, planColumns, Route, RoutingSettings } from '../../rotation/core/routing';

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

/** Where the router sends one record's bytes at `now`; a record it would reject is a test error. */
export function decideRoute(data: Uint8Array, now: DateTime, s: RoutingSettings): Route {
  const plan = planColumns(['record'], [data], now, s);
  if (plan.rejected.length) throw new Error(`decideRoute: ${plan.rejected[0].detail}`);
  return plan.outbound[0].route;
}

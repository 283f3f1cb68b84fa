// One batch's plan: every Kinesis record framed into its events, each event routed by its own event
// time (core/event-hour) and sized against Firehose's record limit. A record carries one event, or
// several when its producer packed them: KPL aggregation (core/kpl) or JSON Lines (one complete
// JSON document per line). Pure: no AWS or Pulumi imports.
import { DateTime } from 'luxon';
import { MAX_RECORD_BYTES } from './chunking';
import { lineTimeReader, routeCache, spreader } from './event-hour';
import { deaggregate, isKplAggregate } from './kpl';
import { BatchPlan, FallbackReason, notOneDocument, Route, RoutingSettings, withNewline } from './routing';

const NEWLINE = 0x0a;

/**
 * The lines of a "\n"-terminated record that has more than one, as views of its bytes (each with
 * its own "\n"); undefined for a record of one line, which is nearly every record: one memchr.
 */
function lineViews(data: Uint8Array): Uint8Array[] | undefined {
  let lf = data.indexOf(NEWLINE);
  if (lf === -1 || lf === data.length - 1) return undefined;
  const lines: Uint8Array[] = [];
  let start = 0;
  while (lf !== -1) {
    lines.push(data.subarray(start, lf + 1));
    start = lf + 1;
    lf = data.indexOf(NEWLINE, start);
  }
  return lines;
}

const fallback = (s: RoutingSettings, reason: FallbackReason, detail: string): Route => ({
  kind: 'fallback',
  stream: s.fallbackStreamName,
  reason,
  detail,
});

/**
 * Routes for one `now` and settings, each event time read by the router's one rule (event-hour's
 * lineTimeReader, the one the placer reads lines with): one decode and one parse per event, the
 * router's main CPU on small records (docs/performance.md). `whole` is a record's route as one
 * event (the rules of docs/router.md); `lines` the routes of a JSON Lines record's lines, or
 * undefined at the first line that is not a complete JSON document by those same rules (then the
 * record is routed whole).
 */
function routeDecider(s: RoutingSettings, routeOf: (millis: number) => Route) {
  const timeOf = lineTimeReader(s);
  const routeLine = (data: Uint8Array): Route | undefined => {
    const time = timeOf(data);
    if (typeof time === 'number') return routeOf(time);
    return notOneDocument(time.reason) ? undefined : fallback(s, time.reason, time.detail);
  };
  return {
    whole(data: Uint8Array): Route {
      const time = timeOf(data);
      return typeof time === 'number' ? routeOf(time) : fallback(s, time.reason, time.detail);
    },
    lines(lines: readonly Uint8Array[]): Route[] | undefined {
      const routes: Route[] = [];
      for (const line of lines) {
        const route = routeLine(line);
        if (!route) return undefined;
        routes.push(route);
      }
      return routes;
    },
  };
}

/**
 * Routes every event once, at one `now`; each ends up in exactly one of outbound or rejected, with
 * its Kinesis record's sequence number as `id`. Identifiers and bytes come side by side, as the
 * router holds them: no object per record beyond its Outbound. `partitionKeys` (the Kinesis
 * records' keys, same order) spread an hour's events over its streams when streamsPerHour > 1 (a
 * KPL user record by its own key); with one stream per hour they are not read, and no key is hashed.
 */
export function planColumns(
  ids: readonly string[],
  datas: readonly Uint8Array[],
  now: DateTime,
  s: RoutingSettings,
  partitionKeys?: readonly string[],
): BatchPlan {
  const plan: BatchPlan = { outbound: [], rejected: [] };
  const decide = routeDecider(s, routeCache(now, s));
  const spread = s.streamsPerHour > 1 ? spreader(s) : undefined;
  if (spread && partitionKeys?.length !== ids.length) {
    throw new Error(
      `planColumns: streamsPerHour ${s.streamsPerHour} spreads by partition key; got ${partitionKeys?.length ?? 'no'} keys for ${ids.length} records`,
    );
  }
  /** One event: refused when Firehose would refuse it (before it is parsed), else sent by `route`. */
  const add = (id: string, data: Uint8Array, route: Route | undefined, key: string | undefined) => {
    if (data.byteLength > MAX_RECORD_BYTES) {
      plan.rejected.push({
        id,
        reason: 'too-large',
        bytes: data.byteLength,
        detail: `record is ${data.byteLength} bytes with its newline; Firehose accepts at most ${MAX_RECORD_BYTES}`,
      });
      return;
    }
    const r = route ?? decide.whole(data);
    plan.outbound.push({ id, data, route: spread && r.kind === 'hourly' ? spread(r, key!) : r });
  };
  /** A "\n"-terminated record (or KPL user record): its lines when it is JSON Lines, else whole. */
  const addRecord = (id: string, data: Uint8Array, key: string | undefined) => {
    const lines = lineViews(data);
    const routes = lines && decide.lines(lines);
    if (routes) for (let k = 0; k < routes.length; k++) add(id, lines[k], routes[k], key);
    else add(id, data, undefined, key);
  };
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const raw = datas[i];
    const key = spread ? partitionKeys![i] : undefined; // unread with one stream per hour
    if (!isKplAggregate(raw)) {
      addRecord(id, withNewline(raw), key);
      continue;
    }
    const users = deaggregate(raw);
    if (!users.ok) add(id, withNewline(raw), fallback(s, 'bad-aggregate', users.detail), key);
    else
      for (let k = 0; k < users.datas.length; k++)
        addRecord(id, users.datas[k], users.partitionKeys[k] ?? key);
  }
  return plan;
}

// The event-hour rule, top to bottom: which hour, and which of its streams, an event goes to. The
// record's bytes give its event time (lineTimeReader), the time its UTC hour (hourStartMs), the
// hour's window at `now` whether it is early, open or late (closedAt is the one test of late, which
// delivery asks again at send time); an open hour's route names its stream (routeCache), and the
// partition key picks one of its N streams (spreader). The placer files fallback lines by the same
// rule. Helpers: event-time.ts (formats), routing.ts (line rule, route shape), time-window.ts (the
// instants the rotation plans with, so the two cannot disagree), generations.ts (names). Pure.
import { DateTime } from 'luxon';
import './luxon-strict'; // an event's hour is luxon arithmetic: an impossible instant throws, never NaN
import { eventMillisFastReader, eventMillisReader } from './event-time';
import { streamNameFor, streamNamesFor } from './generations';
import { LINE_DETAIL, lineProblem, LineProblem, Route, RoutingSettings } from './routing';
import { horizonEnd, opensAt, WindowSettings, writeDeadline } from './time-window';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A record's event time in epoch ms, or why it has none (see lineTimeReader). */
type LineTime = number | { reason: LineProblem; detail: string };

/**
 * The router's one rule for a record's event time, from its newline-terminated bytes: UTF-8, one
 * JSON document on one line, the configured field in the configured format. The router routes by
 * it; the placer (core/placement.ts) reads fallback lines with it, so both agree on every record.
 * A number allocates nothing per record; only a problem builds an object.
 */
export function lineTimeReader(
  s: Pick<RoutingSettings, 'eventTimeField' | 'eventTimeFormat'>,
): (data: Uint8Array) => LineTime {
  const fastMillisOf = eventMillisFastReader(s.eventTimeField, s.eventTimeFormat);
  const millisOf = eventMillisReader(s.eventTimeField, s.eventTimeFormat);
  return (data) => {
    let doc: unknown;
    let text: string;
    try {
      text = utf8.decode(data);
      doc = JSON.parse(text);
    } catch (err) {
      return { reason: 'not-json', detail: err instanceof TypeError ? 'not valid UTF-8' : 'not valid JSON' };
    }
    const line = lineProblem(data, text);
    if (line) return { reason: line, detail: LINE_DETAIL[line] };
    const millis = fastMillisOf(doc);
    if (!Number.isNaN(millis)) return millis;
    const time = millisOf(doc);
    return time.ok ? time.millis : { reason: time.reason, detail: time.detail };
  };
}

const HOUR_MS = 3_600_000;

/** An event's hour: the start (epoch ms) of the UTC hour holding instant `millis`. */
export function hourStartMs(millis: number): number {
  return Math.floor(millis / HOUR_MS) * HOUR_MS;
}

/**
 * Has the hour whose writes end at `writeDeadlineMs` (writeDeadline: its end plus latenessMinutes,
 * epoch ms) closed at `now`? The one test of "late": the router's decision asks it, and delivery
 * asks it again at the moment of sending, with the deadline the route carries, so that time spent
 * queued or backing off never lets a write reach an hour whose stream may be deleted soon after.
 * For an hour found open, only this can change: opensAt has passed for good and horizonEnd only
 * moves forward with `now`. An epoch-ms comparison: delivery asks once per PutRecordBatch, where
 * luxon arithmetic was a measurable share of CPU.
 */
export function closedAt(writeDeadlineMs: number, now: DateTime): boolean {
  return now.toMillis() >= writeDeadlineMs;
}

/**
 * Where hour H stands at `now`: 'early' before opensAt(H), earlyMinutes before it starts (I1: its
 * streams stay empty until then), 'open' until its write deadline, 'late' from then on.
 * 'beyond-horizon' is an hour that has opened but lies past the planning horizon, so it has no
 * stream; valid settings never reach it (lookaheadHours ≥ 1 and earlyMinutes ≤ 60: an hour that has
 * opened is at most the next one, always inside the horizon), and the CLI's picture keeps the check.
 */
function hourStanding(
  hour: DateTime,
  now: DateTime,
  s: WindowSettings,
): 'early' | 'open' | 'late' | 'beyond-horizon' {
  if (now < opensAt(hour, s)) return 'early';
  if (closedAt(writeDeadline(hour, s).toMillis(), now)) return 'late';
  return hour < horizonEnd(now, s) ? 'open' : 'beyond-horizon';
}

/** May the router send a record of hour H to H's stream at `now`? */
export function isOpen(hour: DateTime, now: DateTime, s: WindowSettings): boolean {
  return hourStanding(hour, now, s) === 'open';
}

/** Where the router sends an event of `hour` at `now`: its own stream while open, else fallback. */
function routeHour(hour: DateTime, now: DateTime, s: RoutingSettings): Route {
  const standing = hourStanding(hour, now, s);
  if (standing === 'open') {
    // Carried for closedAt at send time. The rotation names the hour's stream the same way (a
    // former prefix for hours made under it).
    const writeDeadlineMs = writeDeadline(hour, s).toMillis();
    return { kind: 'hourly', stream: streamNameFor(hour, s), hour, writeDeadlineMs };
  }
  // 'beyond-horizon' keeps the reason the router has always given it.
  const reason = standing === 'early' ? 'early' : 'late';
  return { kind: 'fallback', stream: s.fallbackStreamName, reason };
}

/**
 * A route per event hour, computed once: routeHour depends only on the hour for a fixed `now`, and
 * a batch spans a handful of hours, so luxon's hour arithmetic runs per hour, not per record.
 * Routes are immutable (delivery replaces a route, never edits it), so records can share one.
 */
export function routeCache(now: DateTime, s: RoutingSettings): (millis: number) => Route {
  const routes = new Map<number, Route>();
  return (millis) => {
    const hourMs = hourStartMs(millis);
    let route = routes.get(hourMs);
    if (!route) {
      route = routeHour(DateTime.fromMillis(hourMs, { zone: 'utc' }), now, s);
      routes.set(hourMs, route);
    }
    return route;
  };
}

// Streams per hour (settings.streamsPerHour = N): which of an hour's N streams a record goes to,
// and the routes delivery moves records to when a stream throttles or a sibling does not exist yet
// (docs/router.md, "Streams per hour").
export type HourlyRoute = Extract<Route, { kind: 'hourly' }>;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a 32 over the key's UTF-16 code units (for an ASCII key, exactly FNV-1a over its UTF-8
 * bytes): cheap, stable across runs and machines, and nothing cryptographic is needed. Kinesis
 * partition keys are at most 256 characters, so this is a few hundred multiplies at most.
 */
function fnv1a32(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * The index (0..n-1) of a partition key's stream. The hash is xor-folded first: FNV's low bits
 * depend only on the low bits of the key's characters, and n is often a power of two, where the
 * modulo would read only those bits.
 */
function streamIndex(partitionKey: string, n: number): number {
  const h = fnv1a32(partitionKey);
  return ((h ^ (h >>> 16)) >>> 0) % n;
}

/**
 * Spreads the records of open hours over the hour's N streams by partition key: records with one
 * key stay on one stream (and keep their relative order there, as Kinesis keeps it per key). Each
 * hour's N routes are built once and shared by its records, as routeCache shares one per hour.
 */
export function spreader(s: RoutingSettings): (route: HourlyRoute, partitionKey: string) => HourlyRoute {
  const n = s.streamsPerHour;
  const byHour = new Map<Route, HourlyRoute[]>();
  return (route, partitionKey) => {
    let routes = byHour.get(route);
    if (!routes) {
      const siblings = streamNamesFor(route.hour, s);
      routes = siblings.map((stream, index) => ({ ...route, stream, siblings, index }));
      byHour.set(route, routes);
    }
    return routes[streamIndex(partitionKey, n)];
  };
}

/** Where a throttled share of `route` moves: the next sibling, round robin; undefined if it may not. */
export function throttleTarget(route: Route): number | undefined {
  if (route.kind !== 'hourly' || !route.siblings || route.moved) return undefined;
  return ((route.index ?? 0) + 1) % route.siblings.length;
}

/** Whether records on `route` may go to index 0 of their hour when their stream is unavailable. */
export function missingSiblingTarget(route: Route): number | undefined {
  return route.kind === 'hourly' && route.siblings && route.index ? 0 : undefined;
}

const moves = new WeakMap<Route, HourlyRoute[]>();

/**
 * The route of a record delivery moved to sibling `index` of its hour, marked `moved` so it moves
 * at most once for a throttle (and then retries in place): a busy hour cannot make records circle
 * its streams. One route object per (route, index), so moved records still share routes.
 */
export function movedRoute(route: HourlyRoute, index: number): HourlyRoute {
  const siblings = route.siblings;
  if (!siblings || index < 0 || index >= siblings.length) {
    throw new RangeError(`no sibling ${index} for ${route.stream}`);
  }
  let routes = moves.get(route);
  if (!routes) moves.set(route, (routes = []));
  return (routes[index] ??= { ...route, stream: siblings[index], index, moved: true });
}

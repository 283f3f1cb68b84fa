// The router's decisions: which stream each record goes to, and the exact bytes it sends. Pure:
// no AWS or Pulumi imports. The open/closed question is answered by time-window, the module the
// rotation plans with, so the router never writes to an hour whose stream may already be gone.
import { DateTime } from 'luxon';
import { eventMillisFastReader, eventMillisReader } from './event-time';
import { MAX_RECORD_BYTES } from './chunking';
import { streamNameFor } from './generations';
import { RotationSettings } from './settings';
import { spreader } from './spreading';
import { isOpen, opensAt, writeDeadline } from './time-window';

export type RoutingSettings = Pick<
  RotationSettings,
  | 'streamPrefix'
  | 'fallbackStreamName'
  | 'eventTimeField'
  | 'eventTimeFormat'
  | 'latenessMinutes'
  | 'bufferingIntervalSeconds'
  | 'safetyMarginMinutes'
  | 'horizonDays'
  | 'formerGenerations'
  | 'streamsPerHour'
  | 'earlyMinutes'
>;

/**
 * Why a record went to the fallback stream; 'unavailable' is set by delivery, not here.
 * 'multi-line' and 'byte-order-mark' are valid JSON that, kept unchanged, would not be one JSON
 * document per line under an hourly partition (see lineProblem).
 */
export type FallbackReason =
  | 'late'
  | 'early'
  | 'no-timestamp'
  | 'bad-timestamp'
  | 'not-json'
  | 'multi-line'
  | 'byte-order-mark'
  | 'unavailable';

export type Route =
  | {
      kind: 'hourly';
      stream: string;
      hour: DateTime;
      /** writeDeadline(hour), epoch ms */ writeDeadlineMs: number;
      /**
       * Only with streamsPerHour > 1 (core/spreading): the hour's streams in index order and this
       * route's index among them; with one stream per hour a route is exactly what it always was.
       */
      siblings?: readonly string[];
      index?: number;
      /** Set by delivery on a route it moved records to (throttled, or their sibling missing). */
      moved?: boolean;
    }
  | { kind: 'fallback'; stream: string; reason: FallbackReason; detail?: string };

/** A record ready to send: the bytes Firehose gets (newline-terminated) and where they go. */
export interface Outbound {
  id: string;
  data: Uint8Array;
  route: Route;
  /** Set on a packed entry (core/packing): the records whose bytes `data` concatenates, in order. */
  packed?: readonly Outbound[];
}

/** A record that cannot be sent at all; it goes back to Kinesis as a batch item failure. */
export interface Rejected {
  id: string;
  reason: 'too-large';
  bytes: number;
  detail: string;
}

export interface BatchPlan {
  outbound: Outbound[];
  rejected: Rejected[];
}

const NEWLINE = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The partition invariant: every line of every object under an hourly partition is one complete
 * JSON document. `text` is a record that parsed as JSON, decoded, with its "\n" terminator; `data`
 * its bytes. A raw CR or LF inside valid JSON is whitespace between tokens, so it splits the
 * document across lines (pretty-printed, a leading newline, a blank line after it); one CR right
 * before the terminating LF is allowed: line readers drop it, JSON parsers skip it as whitespace.
 * A leading UTF-8 byte-order mark would start the line with bytes JSON parsers refuse. Such records
 * go to the fallback unchanged rather than being rewritten: the lake keeps producers' bytes.
 */
export function lineProblem(data: Uint8Array, text: string): 'multi-line' | 'byte-order-mark' | undefined {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return 'byte-order-mark';
  const lf = text.indexOf('\n');
  let end = text.length - 1; // the terminator
  if (text.charCodeAt(end - 1) === 0x0d) end--;
  if (lf < end) return 'multi-line';
  const cr = text.indexOf('\r');
  return cr !== -1 && cr < end ? 'multi-line' : undefined;
}

const LINE_DETAIL = {
  'multi-line': 'a line break (CR or LF) inside the JSON document would split it across lines',
  'byte-order-mark': 'starts with a UTF-8 byte-order mark, which line-based JSON readers refuse',
};

/**
 * Decodes every record of a batch into one shared buffer, each "\n"-terminated like withNewline:
 * one allocation per batch instead of a pooled buffer (and often a fresh 8 KiB pool) plus a
 * newline copy per record. The views live exactly as long as the batch, which holds them anyway.
 */
export function decodeKinesisBatch(base64s: readonly string[]): Uint8Array[] {
  // An upper bound is enough (write returns the exact length): 3 bytes per 4 characters, up to 3
  // more for an unpadded tail, 1 for the newline. Buffer.byteLength scans the padding per record.
  let total = 0;
  for (const b of base64s) total += (b.length >>> 2) * 3 + 4;
  const arena = Buffer.allocUnsafe(total);
  const out = new Array<Uint8Array>(base64s.length);
  let at = 0;
  for (let i = 0; i < base64s.length; i++) {
    let end = at + arena.write(base64s[i], at, 'base64');
    if (end === at || arena[end - 1] !== NEWLINE) arena[end++] = NEWLINE;
    out[i] = arena.subarray(at, end);
    at = end;
  }
  return out;
}

export function decodeKinesisData(base64: string): Uint8Array {
  return decodeKinesisBatch([base64])[0];
}

/** Appends "\n" only when missing, so JSON Lines readers see one record per line. */
export function withNewline(data: Uint8Array): Uint8Array {
  if (data.byteLength > 0 && data[data.byteLength - 1] === NEWLINE) return data;
  const out = new Uint8Array(data.byteLength + 1);
  out.set(data);
  out[data.byteLength] = NEWLINE;
  return out;
}

/** Where the router sends an event of `hour` at `now`: its own stream while open, else fallback. */
export function routeHour(hour: DateTime, now: DateTime, s: RoutingSettings): Route {
  if (isOpen(hour, now, s)) {
    const writeDeadlineMs = writeDeadline(hour, s).toMillis();
    // The rotation names the hour's stream the same way (a former prefix for hours made under it).
    return { kind: 'hourly', stream: streamNameFor(hour, s), hour, writeDeadlineMs };
  }
  // isOpen fails either because the hour has not opened yet (earlyMinutes before it starts, I1)
  // or because its deadline passed.
  const reason = now < opensAt(hour, s) ? 'early' : 'late';
  return { kind: 'fallback', stream: s.fallbackStreamName, reason };
}

const HOUR_MS = 3_600_000;

/**
 * A route per event hour, computed once: routeHour depends only on the hour for a fixed `now`, and
 * a batch spans a handful of hours, so luxon's hour arithmetic runs per hour, not per record.
 * Routes are immutable (delivery replaces a route, never edits it), so records can share one.
 */
export function routeCache(now: DateTime, s: RoutingSettings): (millis: number) => Route {
  const routes = new Map<number, Route>();
  return (millis) => {
    const hourMs = Math.floor(millis / HOUR_MS) * HOUR_MS;
    let route = routes.get(hourMs);
    if (!route) {
      route = routeHour(DateTime.fromMillis(hourMs, { zone: 'utc' }), now, s);
      routes.set(hourMs, route);
    }
    return route;
  };
}

const fallback = (s: RoutingSettings, reason: FallbackReason, detail: string): Route => ({
  kind: 'fallback',
  stream: s.fallbackStreamName,
  reason,
  detail,
});

/**
 * The route of one record's bytes, for one `now` and settings: the field path is split once, not
 * per record, and the parse needs no result object. planColumns calls it per record.
 */
function routeDecider(s: RoutingSettings, routeOf: (millis: number) => Route): (data: Uint8Array) => Route {
  const fastMillisOf = eventMillisFastReader(s.eventTimeField, s.eventTimeFormat);
  const millisOf = eventMillisReader(s.eventTimeField, s.eventTimeFormat);
  return (data) => {
    let doc: unknown;
    let text: string;
    try {
      text = utf8.decode(data);
      doc = JSON.parse(text);
    } catch (err) {
      return fallback(s, 'not-json', err instanceof TypeError ? 'not valid UTF-8' : 'not valid JSON');
    }
    const line = lineProblem(data, text);
    if (line) return fallback(s, line, LINE_DETAIL[line]);
    const millis = fastMillisOf(doc);
    if (!Number.isNaN(millis)) return routeOf(millis);
    const time = millisOf(doc);
    if (!time.ok) return fallback(s, time.reason, time.detail);
    return routeOf(time.millis);
  };
}

/**
 * Routes every record once, at one `now`; each ends up in exactly one of outbound or rejected.
 * Identifiers and bytes come side by side, as the router holds them: no object per record, which
 * the GC would otherwise trace for the life of the batch. `partitionKeys` (the Kinesis records'
 * keys, same order) spread an hour's records over its streams when streamsPerHour > 1; with one
 * stream per hour they are not read, and no key is hashed.
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
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const raw = datas[i];
    const data = withNewline(raw);
    if (data.byteLength > MAX_RECORD_BYTES) {
      plan.rejected.push({
        id,
        reason: 'too-large',
        bytes: data.byteLength,
        detail: `record is ${data.byteLength} bytes with its newline; Firehose accepts at most ${MAX_RECORD_BYTES}`,
      });
    } else {
      const route = decide(data);
      plan.outbound.push({
        id,
        data,
        route: spread && route.kind === 'hourly' ? spread(route, partitionKeys![i]) : route,
      });
    }
  }
  return plan;
}

/** Groups by destination stream, keeping input order inside each group. */
export function groupByStream<T extends { route: Route }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  // Records arrive in runs of one hour (most are in the current one): skip the lookup within a run.
  let stream: string | undefined;
  let group: T[] = [];
  for (const item of items) {
    if (item.route.stream !== stream) {
      stream = item.route.stream;
      const known = groups.get(stream);
      if (known) group = known;
      else groups.set(stream, (group = []));
    }
    group.push(item);
  }
  return groups;
}

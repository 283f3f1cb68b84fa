// The router's vocabulary and its bytes: a route (where an event goes: core/event-hour decides it),
// an outbound event and a batch plan, and how a Kinesis record becomes the exact bytes Firehose gets
// (decoded, newline-terminated, one JSON document per line). Pure: no AWS or Pulumi imports.
import { DateTime } from 'luxon';
import { isKplAggregate } from './kpl';
import { RotationSettings } from './settings';

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
 * document per line under an hourly partition (see lineProblem). 'bad-aggregate' is a Kinesis
 * record with the KPL magic that cannot be de-aggregated (core/kpl), kept whole.
 */
export type FallbackReason =
  | 'late'
  | 'early'
  | 'no-timestamp'
  | 'bad-timestamp'
  | 'not-json'
  | 'multi-line'
  | 'byte-order-mark'
  | 'bad-aggregate'
  | 'unavailable';

export type Route =
  | {
      kind: 'hourly';
      stream: string;
      hour: DateTime;
      /** writeDeadline(hour), epoch ms: core/event-hour closedAt reads it at send time */
      writeDeadlineMs: number;
      /**
       * Only with streamsPerHour > 1 (core/event-hour spreader): the hour's streams in index order
       * and this route's index among them; with one stream per hour a route is exactly what it
       * always was.
       */
      siblings?: readonly string[];
      index?: number;
      /** Set by delivery on a route it moved records to (throttled, or their sibling missing). */
      moved?: boolean;
    }
  | { kind: 'fallback'; stream: string; reason: FallbackReason; detail?: string };

/**
 * An event ready to send: the bytes Firehose gets (newline-terminated) and where they go. A Kinesis
 * record carries one event, or several (KPL user records, JSON Lines): each is its own Outbound,
 * all with the record's sequence number as `id`, so any one failing fails the record.
 */
export interface Outbound {
  id: string;
  data: Uint8Array;
  route: Route;
  /** Set on a packed entry (core/packing): the records whose bytes `data` concatenates, in order. */
  packed?: readonly Outbound[];
}

/** An event that cannot be sent at all; its Kinesis record goes back as a batch item failure. */
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

export const LINE_DETAIL = {
  'multi-line': 'a line break (CR or LF) inside the JSON document would split it across lines',
  'byte-order-mark': 'starts with a UTF-8 byte-order mark, which line-based JSON readers refuse',
};

/**
 * Whether a fallback reason says the bytes are not one complete JSON document on one line (as
 * opposed to a document without a usable time): a JSON Lines record with such a line is not JSON
 * Lines, and is routed whole (docs/router.md, "several lines of which one is not a complete document").
 */
export const notOneDocument = (reason: FallbackReason): boolean =>
  reason === 'not-json' || reason === 'multi-line' || reason === 'byte-order-mark';

/**
 * Decodes every record of a batch into one shared buffer, each "\n"-terminated like withNewline:
 * one allocation per batch instead of a pooled buffer (and often a fresh 8 KiB pool) plus a
 * newline copy per record. The views live exactly as long as the batch, which holds them anyway.
 * A KPL aggregate (core/kpl) keeps its exact bytes, no newline: its MD5 covers them.
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
    if ((end === at || arena[end - 1] !== NEWLINE) && !isKplAggregate(arena, at, end)) arena[end++] = NEWLINE;
    out[i] = arena.subarray(at, end);
    at = end;
  }
  return out;
}

/** Appends "\n" only when missing, so JSON Lines readers see one record per line. */
export function withNewline(data: Uint8Array): Uint8Array {
  if (data.byteLength > 0 && data[data.byteLength - 1] === NEWLINE) return data;
  const out = new Uint8Array(data.byteLength + 1);
  out.set(data);
  out[data.byteLength] = NEWLINE;
  return out;
}

/** Why a record's bytes have no event time the router can use: it stays in the fallback. */
export type LineProblem = Exclude<FallbackReason, 'late' | 'early' | 'unavailable'>;

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

// The router's decisions: which stream each record goes to, and the exact bytes it sends. Pure:
// no AWS or Pulumi imports. The open/closed question is answered by time-window, the module the
// rotation plans with, so the router never writes to an hour whose stream may already be gone.
import { DateTime } from 'luxon';
import { eventTimeOf } from './event-time';
import { MAX_RECORD_BYTES } from './chunking';
import { streamName } from './names';
import { RotationSettings } from './settings';
import { hourOf, horizonEnd, isOpen } from './time-window';

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
>;

/** Why a record went to the fallback stream; 'unavailable' is set by delivery, not here. */
export type FallbackReason = 'late' | 'early' | 'no-timestamp' | 'bad-timestamp' | 'not-json' | 'unavailable';

export type Route =
  | { kind: 'hourly'; stream: string; hour: DateTime }
  | { kind: 'fallback'; stream: string; reason: FallbackReason; detail?: string };

/** One Kinesis record: its sequence number (the batchItemFailures identifier) and raw bytes. */
export interface SourceRecord {
  id: string;
  data: Uint8Array;
}

/** A record ready to send: the bytes Firehose gets (newline-terminated) and where they go. */
export interface Outbound {
  id: string;
  data: Uint8Array;
  route: Route;
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

export function decodeKinesisData(base64: string): Uint8Array {
  return Buffer.from(base64, 'base64');
}

/** Appends "\n" only when missing, so JSON Lines readers see one record per line. */
export function withNewline(data: Uint8Array): Uint8Array {
  if (data.byteLength > 0 && data[data.byteLength - 1] === NEWLINE) return data;
  const out = new Uint8Array(data.byteLength + 1);
  out.set(data);
  out[data.byteLength] = NEWLINE;
  return out;
}

function parseJson(data: Uint8Array): { ok: true; doc: unknown } | { ok: false; detail: string } {
  try {
    return { ok: true, doc: JSON.parse(utf8.decode(data)) };
  } catch (err) {
    return { ok: false, detail: err instanceof TypeError ? 'not valid UTF-8' : 'not valid JSON' };
  }
}

/** Where the router sends an event of `hour` at `now`: its own stream while open, else fallback. */
export function routeHour(hour: DateTime, now: DateTime, s: RoutingSettings): Route {
  if (isOpen(hour, now, s)) return { kind: 'hourly', stream: streamName(s.streamPrefix, hour), hour };
  // isOpen fails either because the hour is beyond the horizon or because its deadline passed.
  const reason = hour >= horizonEnd(now, s) ? 'early' : 'late';
  return { kind: 'fallback', stream: s.fallbackStreamName, reason };
}

export function decideRoute(data: Uint8Array, now: DateTime, s: RoutingSettings): Route {
  const fallback = (reason: FallbackReason, detail: string): Route => ({
    kind: 'fallback',
    stream: s.fallbackStreamName,
    reason,
    detail,
  });
  const parsed = parseJson(data);
  if (!parsed.ok) return fallback('not-json', parsed.detail);
  const time = eventTimeOf(parsed.doc, s.eventTimeField, s.eventTimeFormat);
  if (!time.ok) return fallback(time.reason, time.detail);
  return routeHour(hourOf(time.time), now, s);
}

/** Routes every record once, at one `now`; each ends up in exactly one of outbound or rejected. */
export function planBatch(records: readonly SourceRecord[], now: DateTime, s: RoutingSettings): BatchPlan {
  const plan: BatchPlan = { outbound: [], rejected: [] };
  for (const record of records) {
    const data = withNewline(record.data);
    if (data.byteLength > MAX_RECORD_BYTES) {
      plan.rejected.push({
        id: record.id,
        reason: 'too-large',
        bytes: data.byteLength,
        detail: `record is ${data.byteLength} bytes with its newline; Firehose accepts at most ${MAX_RECORD_BYTES}`,
      });
    } else {
      plan.outbound.push({ id: record.id, data, route: decideRoute(record.data, now, s) });
    }
  }
  return plan;
}

/** Groups by destination stream, keeping input order inside each group. */
export function groupByStream<T extends { route: Route }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.route.stream);
    if (group) group.push(item);
    else groups.set(item.route.stream, [item]);
  }
  return groups;
}

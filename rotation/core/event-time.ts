// Reads a record's event time from its JSON body. Pure: no AWS or Pulumi imports. The router maps
// the result to an hour through time-window, the same module the rotation plans with.
import { DateTime } from 'luxon';
import { commonIsoMillis } from './iso-millis';
import { EVENT_TIME_FORMATS } from './settings';
import './time-window'; // makes luxon throw on invalid dates, which parseEventTime relies on

export type EventTimeFormat = (typeof EVENT_TIME_FORMATS)[number];

/** Absent (or null) field vs a field whose value is not a usable instant: logged differently. */
export type EventTimeProblem = 'no-timestamp' | 'bad-timestamp';

export type EventTime =
  { ok: true; time: DateTime } | { ok: false; reason: EventTimeProblem; detail: string };

/**
 * In `auto`, numbers below this are epoch seconds, others epoch milliseconds. 1e11 s is the year
 * 5138 and 1e11 ms is March 1973, so neither reading of a plausible event time is ambiguous.
 */
export const EPOCH_MILLIS_THRESHOLD = 1e11;

// An explicit zone after the time part: Z, ±hh, ±hhmm or ±hh:mm. A date alone ends in "-dd",
// hence the anchor on "T".
const ISO_WITH_OFFSET = /T.*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

/** The value at a dotted path ("meta.ts"), own properties only so "constructor" is never read. */
export function fieldAt(doc: unknown, path: string): unknown {
  return fieldReader(path)(doc);
}

/**
 * fieldAt with the path split once: the router reads the same field from every record of a batch,
 * and splitting per record was a measurable share of its CPU. A plain field skips the loop.
 */
export function fieldReader(path: string): (doc: unknown) => unknown {
  const keys = path.split('.');
  if (keys.length === 1) {
    const key = keys[0];
    return (doc) =>
      typeof doc === 'object' && doc !== null && Object.hasOwn(doc, key)
        ? (doc as Record<string, unknown>)[key]
        : undefined;
  }
  return (doc) => {
    let value: unknown = doc;
    for (const key of keys) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

/** The router's hot-path form: epoch milliseconds, no DateTime allocated per record. */
export type EventMillis =
  { ok: true; millis: number } | { ok: false; reason: EventTimeProblem; detail: string };

const bad = (detail: string): { ok: false; reason: EventTimeProblem; detail: string } => ({
  ok: false,
  reason: 'bad-timestamp',
  detail,
});

function isoMillis(value: string): EventMillis {
  const fast = commonIsoMillis(value);
  if (fast !== undefined) return { ok: true, millis: fast };
  const time = fromIso(value);
  return time.ok ? { ok: true, millis: time.time.toMillis() } : time;
}

/** JS Date's range, which luxon enforces too: ±100,000,000 days around the epoch. */
const MAX_MILLIS = 8.64e15;

function epochMillis(value: number, unit: 'seconds' | 'millis'): EventMillis {
  const exact = unit === 'seconds' ? value * 1000 : value;
  const nearest = Math.round(exact);
  const millis = Math.abs(exact - nearest) < 1e-3 ? nearest : Math.floor(exact);
  if (Math.abs(millis) > MAX_MILLIS) return bad(`epoch ${unit} out of range: ${value}`);
  return { ok: true, millis };
}

/** parseEventTime without the DateTime: what the router needs per record. */
export function parseEventMillis(value: unknown, format: EventTimeFormat): EventMillis {
  if (value === undefined || value === null)
    return { ok: false, reason: 'no-timestamp', detail: 'field absent' };
  if (typeof value === 'string' && (format === 'auto' || format === 'iso8601')) return isoMillis(value);
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (format === 'epochSeconds') return epochMillis(value, 'seconds');
    if (format === 'epochMillis') return epochMillis(value, 'millis');
    if (format === 'auto') return epochMillis(value, value < EPOCH_MILLIS_THRESHOLD ? 'seconds' : 'millis');
  }
  return bad(
    `expected ${format === 'auto' ? 'an ISO-8601 string or epoch number' : format}, got ${describe(value)}`,
  );
}

export function eventMillisOf(doc: unknown, field: string, format: EventTimeFormat): EventMillis {
  return parseEventMillis(fieldAt(doc, field), format);
}

/**
 * The router's per-record form: epoch ms for the shapes nearly every record has, NaN when the
 * full reader must decide (and explain why). Returning a number allocates nothing per record;
 * whenever it is not NaN it equals eventMillisReader's millis, which goes through the same code.
 */
export function eventMillisFastReader(field: string, format: EventTimeFormat): (doc: unknown) => number {
  const read = fieldReader(field);
  const iso = format === 'auto' || format === 'iso8601';
  return (doc) => {
    const value = read(doc);
    if (typeof value === 'string') return iso ? (commonIsoMillis(value) ?? NaN) : NaN;
    if (typeof value !== 'number') return NaN;
    const time = parseEventMillis(value, format);
    return time.ok ? time.millis : NaN;
  };
}

/** eventMillisOf for one field and format, with the path split once (see fieldReader). */
export function eventMillisReader(field: string, format: EventTimeFormat): (doc: unknown) => EventMillis {
  const read = fieldReader(field);
  return (doc) => parseEventMillis(read(doc), format);
}

function fromIso(value: string): EventTime {
  let time: DateTime;
  try {
    time = DateTime.fromISO(value, { zone: 'utc' });
  } catch {
    return bad(`not an ISO-8601 time: ${quote(value)}`);
  }
  // Without an offset the producer's zone is unknown; guessing UTC would file it in the wrong hour.
  if (!ISO_WITH_OFFSET.test(value))
    return bad(`ISO-8601 time without offset or Z is ambiguous: ${quote(value)}`);
  return { ok: true, time };
}

function fromEpoch(value: number, unit: 'seconds' | 'millis'): EventTime {
  // floor, not round: 3599.9999 s still happened in the first hour. But 1795325400.123 * 1000 is
  // 1795325400122.9998 in binary floating point, so snap to a whole millisecond within 1 µs first.
  const exact = unit === 'seconds' ? value * 1000 : value;
  const nearest = Math.round(exact);
  const millis = Math.abs(exact - nearest) < 1e-3 ? nearest : Math.floor(exact);
  try {
    return { ok: true, time: DateTime.fromMillis(millis, { zone: 'utc' }) };
  } catch {
    return bad(`epoch ${unit} out of range: ${value}`);
  }
}

/** Interprets one field value per the configured format. */
export function parseEventTime(value: unknown, format: EventTimeFormat): EventTime {
  if (value === undefined || value === null)
    return { ok: false, reason: 'no-timestamp', detail: 'field absent' };
  if (typeof value === 'string' && (format === 'auto' || format === 'iso8601')) return fromIso(value);
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (format === 'epochSeconds') return fromEpoch(value, 'seconds');
    if (format === 'epochMillis') return fromEpoch(value, 'millis');
    if (format === 'auto') return fromEpoch(value, value < EPOCH_MILLIS_THRESHOLD ? 'seconds' : 'millis');
  }
  return bad(
    `expected ${format === 'auto' ? 'an ISO-8601 string or epoch number' : format}, got ${describe(value)}`,
  );
}

// Values end up in logs: keep them short.
const quote = (value: string) => `"${value.length > 64 ? `${value.slice(0, 64)}…` : value}"`;

function describe(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The event time of a parsed JSON document, read from `field` (dotted path allowed). */
export function eventTimeOf(doc: unknown, field: string, format: EventTimeFormat): EventTime {
  return parseEventTime(fieldAt(doc, field), format);
}

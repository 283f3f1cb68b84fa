// Reads a record's event time from its JSON body. Pure: no AWS or Pulumi imports. The router maps
// the result to an hour through time-window, the same module the rotation plans with.
import { DateTime } from 'luxon';
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
  let value: unknown = doc;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The router's hot-path form: epoch milliseconds, no DateTime allocated per record. */
export type EventMillis =
  { ok: true; millis: number } | { ok: false; reason: EventTimeProblem; detail: string };

const bad = (detail: string): { ok: false; reason: EventTimeProblem; detail: string } => ({
  ok: false,
  reason: 'bad-timestamp',
  detail,
});

// The shape almost every producer writes: extended date and time to the second, an optional
// fraction, and Z or an hh:mm offset. Anything else (week dates, basic format, 24:00, ...) goes to luxon.
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The number written by `len` ASCII digits at `at`, or -1 if any is not a digit. */
function digits(v: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Epoch ms of the ISO-8601 shape almost every producer writes — yyyy-MM-ddTHH:mm:ss, an optional
 * fraction, then Z or ±hh:mm — with every field in range; otherwise undefined and luxon decides.
 */
function commonIsoMillis(v: string): number | undefined {
  if (v.length < 20 || v[4] !== '-' || v[7] !== '-' || v[10] !== 'T' || v[13] !== ':' || v[16] !== ':')
    return undefined;
  const y = digits(v, 0, 4),
    mo = digits(v, 5, 2),
    d = digits(v, 8, 2);
  const h = digits(v, 11, 2),
    mi = digits(v, 14, 2),
    se = digits(v, 17, 2);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
    return undefined;
  if (d > (mo === 2 && leap(y) ? 29 : DAYS[mo - 1])) return undefined;
  let i = 19;
  let ms = 0;
  if (v[i] === '.') {
    let end = i + 1;
    while (end < v.length && v.charCodeAt(end) >= 48 && v.charCodeAt(end) <= 57) end++;
    if (end === i + 1 || end - i - 1 > 9) return undefined;
    ms = Math.floor(parseFloat(`0.${v.slice(i + 1, end)}`) * 1000); // luxon's rounding rule
    i = end;
  }
  let offset = 0;
  if (v[i] === 'Z' && i + 1 === v.length) offset = 0;
  else if ((v[i] === '+' || v[i] === '-') && i + 6 === v.length && v[i + 3] === ':') {
    const oh = digits(v, i + 1, 2),
      om = digits(v, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offset = (v[i] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  } else return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, se, ms) - offset;
}

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

// Reads a record's event time from its JSON body: the configured field in the configured format,
// as epoch ms. Pure: no AWS or Pulumi imports. The rule that maps it to an hour and a stream is
// core/event-hour's; this module only parses.
import { commonIsoMillis, IsoProblem, isoMillisOrProblem } from './iso-millis';
import { EVENT_TIME_FORMATS } from './settings';

export type EventTimeFormat = (typeof EVENT_TIME_FORMATS)[number];

/** Absent (or null) field vs a field whose value is not a usable instant: logged differently. */
type EventTimeProblem = 'no-timestamp' | 'bad-timestamp';

/**
 * In `auto`, numbers below this are epoch seconds, others epoch milliseconds. 1e11 s is the year
 * 5138 and 1e11 ms is March 1973, so neither reading of a plausible event time is ambiguous.
 */
const EPOCH_MILLIS_THRESHOLD = 1e11;

/**
 * The value at a dotted path ("meta.ts"): own properties of plain objects only, so neither
 * "constructor" nor an array's or a string's built-ins ("length", "0") are ever read as fields.
 * The path is split once: the router reads the same field from every record of a batch, and
 * splitting per record was a measurable share of its CPU. A plain field skips the loop.
 */
function fieldReader(path: string): (doc: unknown) => unknown {
  const keys = path.split('.');
  if (keys.length === 1) {
    const key = keys[0];
    return (doc) =>
      isRecord(doc) && Object.hasOwn(doc, key) ? (doc as Record<string, unknown>)[key] : undefined;
  }
  return (doc) => {
    let value: unknown = doc;
    for (const key of keys) {
      if (!isRecord(value) || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

// JSON.parse makes only plain objects, arrays and primitives: "not null, not an array" is "plain".
const isRecord = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The router's hot-path form: epoch milliseconds, no DateTime allocated per record. */
export type EventMillis =
  { ok: true; millis: number } | { ok: false; reason: EventTimeProblem; detail: string };

const bad = (detail: string): { ok: false; reason: EventTimeProblem; detail: string } => ({
  ok: false,
  reason: 'bad-timestamp',
  detail,
});

const ISO_PROBLEM: Record<IsoProblem, string> = {
  shape: 'not an RFC 3339 date-time',
  // Without an offset the producer's zone is unknown; guessing UTC would file it in the wrong hour.
  'no-offset': 'RFC 3339 time without offset or Z is ambiguous',
  range: 'date or time field out of range',
  'offset-range': 'UTC offset out of range (hh ≤ 23, mm ≤ 59)',
};

function isoMillis(value: string): EventMillis {
  const r = isoMillisOrProblem(value);
  return typeof r === 'number' ? { ok: true, millis: r } : bad(`${ISO_PROBLEM[r]}: ${quote(value)}`);
}

/** JS Date's range, which luxon enforces too: ±100,000,000 days around the epoch. */
const MAX_MILLIS = 8.64e15;

/**
 * floor(value × 1000) or floor(value), computed on the number's decimal digits, never in floating
 * point: 1795327199.9999998 × 1000 is 1795327200000 in binary64, an hour later than written. The
 * digits are those of String(value), the shortest text that reads back as the same binary64 value:
 * exactly what JSON.stringify, Python's json, Java and Go write. (JSON.parse has already read longer
 * texts as their nearest binary64 value; RFC 8259 §6 calls more precision non-interoperable.)
 */
function floorEpochMillis(value: number, unit: 'seconds' | 'millis'): number {
  const scale = unit === 'seconds' ? 1000 : 1;
  // Integers are exact: |value| × 1000 stays below 2^53 for everything MAX_MILLIS admits.
  if (Number.isInteger(value)) return value * scale;
  const text = String(value);
  if (text.includes('e')) {
    // Only |value| < 1e-6 is written with an exponent and not an integer: less than 1 ms either way.
    return value < 0 ? -1 : 0;
  }
  const negative = value < 0;
  const dot = text.indexOf('.');
  const whole = Number(text.slice(negative ? 1 : 0, dot));
  const fraction = text.slice(dot + 1);
  // Milliseconds written in the fraction (seconds: its first 3 digits), and whether anything follows.
  const kept = unit === 'seconds' ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const rest = unit === 'seconds' ? /[1-9]/.test(fraction.slice(3)) : true;
  const magnitude = whole * scale + kept;
  return negative ? -magnitude - (rest ? 1 : 0) : magnitude;
}

function epochMillis(value: number, unit: 'seconds' | 'millis'): EventMillis {
  const millis = floorEpochMillis(value, unit);
  if (Math.abs(millis) > MAX_MILLIS) return bad(`epoch ${unit} out of range: ${value}`);
  return { ok: true, millis };
}

/** Interprets one field value per the configured format, as epoch ms: what the router needs. */
function parseEventMillis(value: unknown, format: EventTimeFormat): EventMillis {
  if (value === undefined || value === null)
    return { ok: false, reason: 'no-timestamp', detail: 'field absent' };
  if (typeof value === 'string' && (format === 'auto' || format === 'iso8601')) return isoMillis(value);
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (format === 'epochSeconds') return epochMillis(value, 'seconds');
    if (format === 'epochMillis') return epochMillis(value, 'millis');
    if (format === 'auto') return epochMillis(value, value < EPOCH_MILLIS_THRESHOLD ? 'seconds' : 'millis');
  }
  return bad(
    `expected ${format === 'auto' ? 'an RFC 3339 string or epoch number' : format}, got ${describe(value)}`,
  );
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

/** The event time of a parsed JSON document: `field`'s value in `format` (see fieldReader). */
export function eventMillisReader(field: string, format: EventTimeFormat): (doc: unknown) => EventMillis {
  const read = fieldReader(field);
  return (doc) => parseEventMillis(read(doc), format);
}

// Values end up in logs: keep them short.
const quote = (value: string) => `"${value.length > 64 ? `${value.slice(0, 64)}…` : value}"`;

function describe(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

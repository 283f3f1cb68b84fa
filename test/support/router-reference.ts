// A reference model of the router's per-record decision, written from docs/router.md (the event-time
// table, the line rules and the routing table), not from rotation/core: its own grammar regex, BigInt
// arithmetic for epochs, epoch-ms hour arithmetic for the window, BigInt FNV-1a for the stream of
// an hour a partition key picks. Only luxon's calendar arithmetic (an independent library) is
// borrowed. Property tests compare the router with it.
import { DateTime } from 'luxon';
import '../../rotation/core/luxon-strict'; // an impossible date throws (referenceIso catches it)

// "Event time": YYYY-MM-DD, T or t, hh:mm, optional :ss and .fraction, then Z/z or ±hh[[:]mm].
const RULE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** Epoch ms per the documented string rule, or undefined. */
export function referenceIso(value: string): number | undefined {
  const m = RULE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', z, sign, oh, om = '00'] = m;
  if (+h > 23 || +mi > 59 || +s > 59) return undefined;
  if (!z && (+oh > 23 || +om > 59)) return undefined;
  const offset = z ? 'Z' : `${sign}${oh}:${om}`;
  try {
    // The fraction is truncated to milliseconds (3 digits) before luxon sees it.
    const ms = frac ? `.${frac.slice(0, 3)}` : '';
    return DateTime.fromISO(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`, { setZone: true }).toMillis();
  } catch {
    return undefined; // an impossible date (luxon throws: throwOnInvalid)
  }
}

/** floor(value × scale), exactly, on the shortest decimal text of the binary64 value. */
export function referenceEpoch(value: number, scale: number): bigint {
  const [mantissa, exp = '0'] = String(value).toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [whole, frac = ''] = mantissa.replace('-', '').split('.');
  const digits = BigInt(`${whole}${frac}`) * BigInt(scale);
  const shift = frac.length - Number(exp);
  const num = negative ? -digits : digits;
  if (shift <= 0) return num * 10n ** BigInt(-shift);
  const den = 10n ** BigInt(shift);
  const q = num / den;
  return num < 0n && q * den !== num ? q - 1n : q;
}

const LIMIT = 8_640_000_000_000_000n; // ±100,000,000 days, JS Date's range

export type Format = 'auto' | 'iso8601' | 'epochSeconds' | 'epochMillis';

/** Epoch ms of a field value per the format table, or the documented fallback reason. */
export function referenceEventTime(
  value: unknown,
  format: Format,
): number | 'no-timestamp' | 'bad-timestamp' {
  if (value === undefined || value === null) return 'no-timestamp';
  if (typeof value === 'string' && (format === 'auto' || format === 'iso8601'))
    return referenceIso(value) ?? 'bad-timestamp';
  if (typeof value === 'number' && Number.isFinite(value) && format !== 'iso8601') {
    const seconds = format === 'epochSeconds' || (format === 'auto' && value < 1e11);
    const ms = referenceEpoch(value, seconds ? 1000 : 1);
    return ms >= -LIMIT && ms <= LIMIT ? Number(ms) : 'bad-timestamp';
  }
  return 'bad-timestamp';
}

/** Own properties of plain objects only; a dotted path always means nesting. */
export function referenceField(doc: unknown, path: string): unknown {
  let v = doc;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export interface ReferenceSettings {
  streamPrefix: string;
  fallbackStreamName: string;
  eventTimeField: string;
  eventTimeFormat: Format;
  latenessMinutes: number;
  earlyMinutes: number;
  horizonDays: number;
}

const HOUR = 3_600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "stream" for an hourly route, "fallback <reason>" otherwise; bytes are the record's own. */
export function referenceRoute(bytes: Uint8Array, nowMs: number, s: ReferenceSettings): string {
  // Bytes as the router sends them: a "\n" appended when missing.
  const data = bytes[bytes.length - 1] === 0x0a ? bytes : new Uint8Array([...bytes, 0x0a]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return 'fallback not-json';
  }
  const bom = text.startsWith('\ufeff');
  let doc: unknown;
  try {
    doc = JSON.parse(bom ? text.slice(1) : text);
  } catch {
    return 'fallback not-json';
  }
  if (bom) return 'fallback byte-order-mark';
  // Exactly one line: the only LF is the terminator, optionally preceded by one CR.
  const body = text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(body)) return 'fallback multi-line';
  const time = referenceEventTime(referenceField(doc, s.eventTimeField), s.eventTimeFormat);
  if (typeof time === 'string') return `fallback ${time}`;
  const hour = Math.floor(time / HOUR) * HOUR;
  // docs/router.md: an hour's stream takes records from earlyMinutes before the hour starts.
  if (nowMs < hour - s.earlyMinutes * 60_000) return 'fallback early';
  if (nowMs >= hour + HOUR + s.latenessMinutes * 60_000) return 'fallback late';
  const d = new Date(hour);
  const key = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}`;
  return `${s.streamPrefix}-${key}`;
}

const WHOLE_RECORD_REASONS = ['fallback not-json', 'fallback multi-line', 'fallback byte-order-mark'];

/**
 * One answer per event, per docs/router.md "Producer-packed records": a record of several lines
 * (LF-terminated, the last LF added when missing) each of which is a complete JSON document alone
 * (not not-json, multi-line or byte-order-mark by the one-record rules) is its lines, each routed
 * by itself; any other record is one event. KPL aggregates are not modelled here.
 */
export function referenceRoutes(bytes: Uint8Array, nowMs: number, s: ReferenceSettings): string[] {
  const text = Buffer.from(bytes).toString('latin1'); // one char per byte: offsets are byte offsets
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  if (lines.length > 1) {
    const routes = lines.map((l) => referenceRoute(Buffer.from(`${l}\n`, 'latin1'), nowMs, s));
    if (!routes.some((r) => WHOLE_RECORD_REASONS.includes(r))) return routes;
  }
  return [referenceRoute(bytes, nowMs, s)];
}

/**
 * docs/router.md "Streams per hour": a record goes to index `fnv1a32(partitionKey) xor-folded mod
 * N`, FNV-1a 32 over the key's UTF-16 code units (offset basis 2166136261, prime 16777619). BigInt
 * arithmetic here, where the router multiplies with Math.imul.
 */
export function referenceFnv1a32(key: string): number {
  let h = 2166136261n;
  for (let i = 0; i < key.length; i++) h = ((h ^ BigInt(key.charCodeAt(i))) * 16777619n) % 2n ** 32n;
  return Number(h);
}

/** The top 16 bits folded into the bottom before the modulo, as documented. */
export function referenceStreamIndex(partitionKey: string, n: number): number {
  const h = BigInt(referenceFnv1a32(partitionKey));
  return Number((h ^ (h >> 16n)) % BigInt(n));
}

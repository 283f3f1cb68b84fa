// Where each line of a fallback object belongs, and how the placer cuts an hour's lines into
// objects. Pure: no AWS or Pulumi imports. The hour comes from the router's own rule (event-hour.ts
// lineTimeReader and hourStartMs), so a record the router could read is placed in exactly the hour
// it would have been routed to had it arrived in time, and one it could not read stays in the
// fallback.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { MAX_RECORD_BYTES } from './chunking';
import { hourStartMs, lineTimeReader } from './event-hour';
import { hourKey, hourPrefix } from './names';
import { LineProblem, RoutingSettings } from './routing';
import { COMPRESSION_FORMATS, RotationSettings } from './settings';

const NEWLINE = 0x0a;

/**
 * Why a line stays in the fallback. Besides the router's reasons: 'unterminated' (the object's
 * last bytes have no newline, which the router never writes), 'too-long' (a line longer than any
 * record the router accepts) and 'out-of-range' (an hour outside years 0000-9999, which a
 * `dt=yyyy-MM-dd` partition cannot name).
 */
export type KeepReason = LineProblem | 'unterminated' | 'too-long' | 'out-of-range';

/** First and last hour a `dt=yyyy-MM-dd/hr=HH` partition can name. */
const FIRST_HOUR_MS = new Date(0).setUTCFullYear(0, 0, 1); // Date.UTC reads year 0 as 1900
const LAST_HOUR_MS = Date.UTC(9999, 11, 31, 23);

/**
 * A line's event hour (epoch ms of its start) or why it stays. `line` ends with its "\n", as the
 * router wrote it. A number allocates nothing, as in the router's hot path.
 */
export function placementReader(
  s: Pick<RoutingSettings, 'eventTimeField' | 'eventTimeFormat'>,
): (line: Uint8Array) => number | KeepReason {
  const timeOf = lineTimeReader(s);
  return (line) => {
    if (line.byteLength === 0 || line[line.byteLength - 1] !== NEWLINE) return 'unterminated';
    const time = timeOf(line);
    if (typeof time !== 'number') return time.reason;
    const hourMs = hourStartMs(time);
    return hourMs < FIRST_HOUR_MS || hourMs > LAST_HOUR_MS ? 'out-of-range' : hourMs;
  };
}

/**
 * Splits a byte stream into "\n"-terminated lines, chunk by chunk, holding at most one line. A
 * line longer than any router record cannot be one: its bytes are counted and dropped, never
 * buffered, so a corrupt object cannot grow the placer's memory.
 */
export class LineSplitter {
  private carry: Uint8Array[] = [];
  private carried = 0;
  private skipping = false;
  /** Bytes of overlong lines dropped so far, and how many such lines. */
  overlongLines = 0;

  constructor(private readonly maxLineBytes = MAX_RECORD_BYTES) {}

  *push(chunk: Uint8Array): Generator<Uint8Array> {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl + 1);
      start = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      if (this.carried + piece.byteLength > this.maxLineBytes) {
        this.overlong();
        continue;
      }
      yield this.carried === 0 ? piece : this.take(piece);
    }
    const rest = chunk.subarray(start);
    if (rest.byteLength === 0 || this.skipping) return;
    if (this.carried + rest.byteLength > this.maxLineBytes) {
      this.overlong();
      this.skipping = true;
      return;
    }
    // Copied: a stream may reuse its chunk's memory after the callback returns.
    this.carry.push(Uint8Array.from(rest));
    this.carried += rest.byteLength;
  }

  /** The unterminated bytes at the end of the stream, if any (the caller keeps them). */
  end(): Uint8Array | undefined {
    if (this.carried === 0) return undefined;
    return this.take(new Uint8Array(0));
  }

  private overlong(): void {
    this.overlongLines++;
    this.carry = [];
    this.carried = 0;
  }

  private take(last: Uint8Array): Uint8Array {
    const out = Buffer.concat([...this.carry, last]);
    this.carry = [];
    this.carried = 0;
    return out;
  }
}

/** Compressions the placer reads and writes; Snappy needs a codec the functions do not ship. */
const PLACEABLE_COMPRESSION = ['UNCOMPRESSED', 'GZIP'] as const;
export type Compression = (typeof COMPRESSION_FORMATS)[number];

export function isPlaceable(compression: Compression): compression is 'UNCOMPRESSED' | 'GZIP' {
  return (PLACEABLE_COMPRESSION as readonly string[]).includes(compression);
}

/**
 * The source object's identity, short: bucket, key and version (or ETag on an unversioned bucket).
 * Every placed key derives from it, so a duplicated notification or a retried run writes the same
 * keys again, and a new version of the object (a different content) gets keys of its own.
 */
export function sourceTag(bucket: string, key: string, version: string): string {
  return createHash('sha256').update(`${bucket}/${key}/${version}`).digest('hex').slice(0, 16);
}

/** Placed objects' names start with this; the placer's role may write no other name. */
export const PLACED_OBJECT_NAME_PREFIX = 'placed-';

/**
 * Where hour H's data went, so its late records join it: an hour a former configuration still
 * named (before its `namesUntil`, core/generations.ts) had its stream, and so its partition and
 * its `_SUCCESS` marker, under that configuration's dataPrefix; every other hour under the current.
 */
export function dataPrefixFor(
  hourMs: number,
  s: Pick<RotationSettings, 'dataPrefix' | 'formerGenerations'>,
): string {
  const key = hourKey(DateTime.fromMillis(hourMs, { zone: 'utc' }));
  return s.formerGenerations.find((f) => key < f.namesUntil)?.dataPrefix ?? s.dataPrefix;
}

/** Every data prefix the placer may write to: the current one and the live former ones. */
export function placeableDataPrefixes(
  s: Pick<RotationSettings, 'dataPrefix' | 'formerGenerations'>,
): string[] {
  return [...new Set([s.dataPrefix, ...s.formerGenerations.map((f) => f.dataPrefix)])];
}

/** `data/dt=2026-11-22/hr=05/placed-<tag>-0000.gz`: part numbers count per hour from 0. */
export function placedObjectKey(
  dataPrefix: string,
  hourMs: number,
  tag: string,
  part: number,
  compression: 'UNCOMPRESSED' | 'GZIP',
): string {
  const hour = DateTime.fromMillis(hourMs, { zone: 'utc' });
  const extension = compression === 'GZIP' ? '.gz' : '';
  const part4 = String(part).padStart(4, '0');
  return `${hourPrefix(dataPrefix, hour)}${PLACED_OBJECT_NAME_PREFIX}${tag}-${part4}${extension}`;
}

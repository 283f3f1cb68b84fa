// The producer of the router chaos: records of every shape the router must survive, each carrying
// a unique id ("v-0001234") that is findable even in bytes that are not JSON, plus a compact
// ledger (kind, event hour, hash) so a million records can be reconciled without keeping them.
import { DateTime } from 'luxon';
import { Rng } from './sim-support';

export const KINDS = [
  'on-time', // a few minutes old: its hour is open
  'late-open', // up to an hour old: the previous hour, still open
  'late-closed', // 2-3 h old: its hour closed, so the fallback
  'very-late', // up to 7 days old
  'early-open', // up to 14 min ahead: the next hour opens earlyMinutes (15) before it starts
  'early-beyond', // 75 min to 5 days ahead: its hour has not opened (I1), so the fallback
  'same-timestamp', // bursts sharing one instant to the millisecond
  'newline-terminated', // already ends in "\n": must not get a second one
  'not-json',
  'no-timestamp',
  'bad-timestamp',
  'bad-utf8',
  'oversized', // 1,000 KiB + 1 byte with its newline: the failure path, never S3
  'at-limit', // exactly 1,000 KiB with its newline: must be delivered
] as const;
export type Kind = (typeof KINDS)[number];

/** Kinds whose hour is open when first sent: found in the fallback only if rerouted. */
export const OPEN_KINDS = new Set<Kind>([
  'on-time',
  'late-open',
  'early-open',
  'same-timestamp',
  'newline-terminated',
  'at-limit',
]);
/** Kinds that may never appear in an hourly partition. */
export const FALLBACK_KINDS = new Set<Kind>([
  'late-closed',
  'very-late',
  'early-beyond',
  'not-json',
  'no-timestamp',
  'bad-timestamp',
  'bad-utf8',
]);

const WEIGHTS: [Kind, number][] = [
  ['on-time', 55],
  ['late-open', 8],
  ['late-closed', 4],
  ['very-late', 4],
  ['early-open', 5],
  ['early-beyond', 3],
  ['same-timestamp', 8],
  ['newline-terminated', 5],
  ['not-json', 2],
  ['no-timestamp', 2],
  ['bad-timestamp', 2],
  ['bad-utf8', 2],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((a, [, w]) => a + w, 0);
const MAX_RECORD = 1_024_000; // Firehose's 1,000 KiB, newline included

const idToken = (id: number) => `v-${String(id).padStart(7, '0')}`;
export const ID_PATTERN = /v-(\d{7})/;

/** FNV-1a over bytes: enough to tell "unchanged" from "altered" without storing the bytes. */
export function fnv1a(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

export interface Produced {
  id: number;
  data: Buffer;
}

export class Producer {
  readonly kinds: Uint8Array;
  /** Event hour (epoch ms) of records with a valid time; NaN otherwise. */
  readonly hours: Float64Array;
  /** Hash of the bytes S3 must hold for the record (without its trailing newline). */
  readonly hashes: Uint32Array;
  count = 0;
  private burst: { left: number; at: string } = { left: 0, at: '' };
  private readonly special: Kind[];

  constructor(
    readonly capacity: number,
    private readonly rng: Rng,
  ) {
    this.kinds = new Uint8Array(capacity);
    this.hours = new Float64Array(capacity).fill(NaN);
    this.hashes = new Uint32Array(capacity);
    const oversized = Math.max(2, Math.floor(capacity / 20_000));
    const atLimit = Math.max(1, Math.floor(capacity / 50_000));
    this.special = [...Array<Kind>(oversized).fill('oversized'), ...Array<Kind>(atLimit).fill('at-limit')];
  }

  private drawKind(id: number): Kind {
    // The few huge records are spread out (one chance in 2,000), and all placed by the end.
    const left = this.special.length;
    if (left && (this.rng.chance(1 / 2000) || id >= this.capacity - left)) return this.special.pop()!;
    let x = this.rng.next() * TOTAL_WEIGHT;
    for (const [kind, weight] of WEIGHTS) if ((x -= weight) < 0) return kind;
    return 'on-time';
  }

  /** The next record, produced at `now`. */
  next(now: DateTime): Produced {
    const id = this.count++;
    const kind = this.drawKind(id);
    const { text, time } = this.body(id, kind, now);
    const bytes =
      kind === 'bad-utf8' ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text)]) : Buffer.from(text);
    this.kinds[id] = KINDS.indexOf(kind);
    if (time) this.hours[id] = time.startOf('hour').toMillis();
    const stored = kind === 'newline-terminated' ? bytes.length - 1 : bytes.length;
    this.hashes[id] = fnv1a(bytes, 0, stored);
    return { id, data: bytes };
  }

  private body(id: number, kind: Kind, now: DateTime): { text: string; time?: DateTime } {
    const token = idToken(id);
    const r = this.rng;
    const json = (time: DateTime, ts: unknown, pad = '') => ({
      text: JSON.stringify({ id: token, timestamp: ts, kind, pad }),
      time,
    });
    const anyFormat = (t: DateTime) => {
      const t2 = t.startOf('second').plus({ milliseconds: r.int(0, 999) });
      const format = r.int(0, 3);
      if (format === 0) return json(t2, t2.toISO());
      if (format === 1) return json(t2, t2.setZone('UTC+5:30').toISO()); // same instant, other offset
      if (format === 2) return json(t2, t2.toMillis());
      return json(t2.startOf('second'), Math.floor(t2.toSeconds()));
    };
    switch (kind) {
      case 'on-time':
        return anyFormat(now.minus({ seconds: r.int(0, 300) }));
      case 'late-open':
        return anyFormat(now.minus({ minutes: r.int(5, 59) }));
      case 'late-closed':
        return anyFormat(now.minus({ minutes: r.int(121, 179) }));
      case 'very-late':
        return anyFormat(now.minus({ minutes: r.int(180, 7 * 24 * 60) }));
      case 'early-open':
        return anyFormat(now.plus({ minutes: r.int(1, 14) }));
      case 'early-beyond':
        return anyFormat(now.plus({ minutes: r.int(75, 5 * 24 * 60) }));
      case 'same-timestamp': {
        if (this.burst.left-- <= 0)
          this.burst = { left: r.int(5, 40), at: now.minus({ seconds: 30 }).toISO() };
        return json(DateTime.fromISO(this.burst.at, { zone: 'utc' }), this.burst.at);
      }
      case 'newline-terminated': {
        const t = now.minus({ seconds: r.int(0, 120) });
        return { text: `${JSON.stringify({ id: token, timestamp: t.toISO(), kind })}\n`, time: t };
      }
      case 'not-json':
        return { text: `${token} this is {not json` };
      case 'no-timestamp':
        return { text: JSON.stringify({ id: token, kind, ts: now.toISO() }) };
      case 'bad-timestamp':
        return {
          text: JSON.stringify({
            id: token,
            kind,
            timestamp: r.pick(['yesterday', '2026-11-22T05:00:00', true]),
          }),
        };
      case 'bad-utf8':
        return { text: `${token} latin-1 bytes first` };
      case 'oversized':
      case 'at-limit': {
        const t = now.minus({ seconds: 10 });
        const shell = JSON.stringify({ id: token, timestamp: t.toISO(), kind, pad: '' });
        const size = kind === 'oversized' ? MAX_RECORD : MAX_RECORD - 1; // the router adds "\n"
        return json(t, t.toISO(), 'x'.repeat(size - Buffer.byteLength(shell)));
      }
    }
  }
}

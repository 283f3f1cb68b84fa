// The demo's producer side: a deterministic, realistic mix of events around `now`, each carrying a
// unique id, and where each one must end up. Pure. The expected place is derived here from how the
// event was made (not from the router's code), so the verdict is an independent check.
import { DateTime } from 'luxon';
import '../core/luxon-strict'; // event times are hour arithmetic: throws, never NaN
import { hourKey } from '../core/names';
import { hourOf } from '../core/time-window';

export type EventKind =
  | 'on-time' // event hour is open: its own hourly partition
  | 'late' // hour closed more than `lateness` ago: fallback
  | 'early' // before its hour opens (earlyMinutes before it starts): fallback
  | 'not-json'
  | 'no-timestamp'
  | 'bad-timestamp';

export interface ProducedEvent {
  id: string;
  kind: EventKind;
  /** Exactly the bytes the producer sends (no newline; the router adds one). */
  data: string;
  /** Hour key of the partition it must land in, or 'fallback'. */
  expected: string;
  /** Hour key of its event time when it has one (late and early too): where the placer puts it. */
  eventHour?: string;
}

export const FALLBACK = 'fallback';
export const EVENT_KINDS: readonly EventKind[] = [
  'on-time',
  'late',
  'early',
  'not-json',
  'no-timestamp',
  'bad-timestamp',
];

/** mulberry32: tiny, fast, deterministic for a seed; plenty for picking a mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative shares of each kind: mostly on time, some late, a few early and broken records. */
const MIX: [EventKind, number][] = [
  ['on-time', 0.8],
  ['late', 0.88],
  ['early', 0.92],
  ['not-json', 0.95],
  ['no-timestamp', 0.975],
  ['bad-timestamp', 1],
];

const eventId = (i: number) => `evt-${String(i).padStart(6, '0')}`;

/**
 * `count` events around `now`: on-time ones in the previous and current hours (both open with the
 * demo's lateness of 60 minutes: the previous hour closes 60 minutes after the current one starts;
 * a later hour opens only earlyMinutes before it starts), late ones 2-4 hours back, early ones 3
 * days ahead. Event times are written in every format the router
 * reads: ISO with Z, ISO with an offset, epoch seconds and epoch milliseconds.
 */
export function generateEvents(count: number, seed: number, now: DateTime): ProducedEvent[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const current = hourOf(now);
  const events: ProducedEvent[] = [];
  for (let i = 0; i < count; i++) {
    const id = eventId(i);
    const r = random();
    const kind = MIX.find(([, upTo]) => r < upTo)![0];
    const within = { seconds: Math.floor(random() * 3600), milliseconds: Math.floor(random() * 1000) };
    const body = { id, user: `u-${Math.floor(random() * 500)}`, action: pick(['view', 'click', 'buy']) };
    let time: DateTime | undefined;
    if (kind === 'on-time') time = current.plus({ hours: pick([-1, 0]) }).plus(within);
    if (kind === 'late') time = current.minus({ hours: pick([2, 3, 4]) }).plus(within);
    if (kind === 'early') time = current.plus({ days: 3 }).plus(within);
    events.push({
      id,
      kind,
      data: encode(kind, body, time, pick),
      expected: time && kind === 'on-time' ? hourKey(time) : FALLBACK,
      ...(time ? { eventHour: hourKey(time) } : {}),
    });
  }
  return events;
}

function encode(
  kind: EventKind,
  body: Record<string, string>,
  time: DateTime | undefined,
  pick: <T>(items: readonly T[]) => T,
): string {
  if (kind === 'not-json') return `${JSON.stringify(body).slice(0, -1)},"timestamp":`; // truncated write
  if (kind === 'no-timestamp') return JSON.stringify(body);
  if (kind === 'bad-timestamp')
    return JSON.stringify({ ...body, timestamp: pick(['yesterday', '2026-11-22 05:00', '']) });
  const t = time!;
  const timestamp = pick([
    () => t.toISO(), // 2026-11-22T05:17:03.120Z
    () => t.setZone('UTC+2').toISO(), // same instant, another offset
    () => Math.floor(t.toSeconds()),
    () => t.toMillis(),
  ])();
  return JSON.stringify({ ...body, timestamp });
}

/** The id inside a stored line, whether or not the line is valid JSON. */
export function idOf(line: string): string | undefined {
  return /"id":"(evt-\d{6})"/.exec(line)?.[1];
}

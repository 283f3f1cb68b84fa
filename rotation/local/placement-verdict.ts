// The reconcile by id once the placer has run (`npm start`, the moto tests, `npm run verify`): every
// record with an event time is in its event-time partition, on time through its hour's stream, late
// or early through the placer, and each fallback copy of such a record is placed exactly once; every
// record without one is in the fallback only; nothing is altered. Pure, built only from S3's contents.
import { FALLBACK, idOf } from './events';
import type { StoredObject } from './layout';

/** What the verdict needs of a produced record: its bytes and where its event time says it goes. */
export interface ExpectedRecord {
  id: string;
  /** The bytes produced, without the router's newline. */
  data: string;
  /** Hour key of its own stream's partition (on time), or 'fallback'. */
  expected: string;
  /** Hour key of its event time, when it has one. */
  eventHour?: string;
}

export interface PlacementVerdict {
  ok: boolean;
  produced: number;
  onTime: number;
  /** Records (late or early) found in their event hour through the placer. */
  placed: number;
  /** Records found only in the fallback, as they must be (no usable event time). */
  kept: number;
  missing: string[];
  /** A copy outside the place its event time says (or an unplaceable one in a partition). */
  misplaced: string[];
  /** More placed copies than fallback copies: a placement written twice. */
  placedTwice: string[];
  /** A fallback copy the placer did not place. */
  notPlaced: string[];
  altered: string[];
  /** Extra copies from at-least-once delivery (reported, not failed). */
  duplicates: number;
  line: string;
}

export function judgePlacement(
  produced: readonly ExpectedRecord[],
  objects: readonly StoredObject[],
): PlacementVerdict {
  const found = new Map<string, { place: string; line: string }[]>();
  for (const o of objects)
    for (const line of o.lines) {
      const id = idOf(line);
      if (id) found.set(id, [...(found.get(id) ?? []), { place: o.place, line }]);
    }
  const v: PlacementVerdict = {
    ...{ ok: false, produced: produced.length, onTime: 0, placed: 0, kept: 0 },
    ...{ missing: [], misplaced: [], placedTwice: [], notPlaced: [], altered: [], duplicates: 0, line: '' },
  };
  for (const e of produced) {
    const copies = found.get(e.id) ?? [];
    const inFallback = copies.filter((c) => c.place === FALLBACK).length;
    const inHour = copies.filter((c) => c.place !== FALLBACK);
    const late = e.expected === FALLBACK && e.eventHour !== undefined;
    const home = e.expected === FALLBACK ? e.eventHour : e.expected;
    if (copies.length === 0) v.missing.push(e.id);
    else if (copies.some((c) => c.line !== e.data)) v.altered.push(e.id);
    else if (inHour.some((c) => c.place !== home) || (e.expected !== FALLBACK && inFallback > 0))
      v.misplaced.push(e.id);
    else if (late && inHour.length > inFallback) v.placedTwice.push(e.id);
    else if (late && inHour.length < inFallback) v.notPlaced.push(e.id);
    else if (late) v.placed++;
    else if (e.expected === FALLBACK) v.kept++;
    else v.onTime++;
    v.duplicates += Math.max(0, (late ? inFallback : copies.length) - 1);
  }
  const failures = [v.missing, v.misplaced, v.placedTwice, v.notPlaced, v.altered];
  v.ok = failures.every((f) => f.length === 0);
  const counts = `${v.onTime} on time, ${v.placed} placed, ${v.kept} kept in the fallback`;
  const sample = (ids: string[]) => ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');
  const named: [string, string[]][] = [
    ['missing', v.missing],
    ['misplaced', v.misplaced],
    ['placed twice', v.placedTwice],
    ['not placed', v.notPlaced],
    ['altered', v.altered],
  ];
  const dup = v.duplicates ? `; ${v.duplicates} duplicate copies (at-least-once delivery)` : '';
  v.line = v.ok
    ? `all ${v.produced} produced records reconciled by id: ${counts}; placed twice 0, lost 0, misplaced 0${dup}`
    : `FAILED: of ${v.produced} produced records (${counts})` +
      named
        .filter(([, ids]) => ids.length)
        .map(([what, ids]) => `; ${ids.length} ${what} (${sample(ids)})`)
        .join('');
  return v;
}

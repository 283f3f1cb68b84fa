// Reads back what landed in S3 and judges it against what was produced. The judgement is pure and
// built only from the objects' contents: every produced id must be found, unchanged, in the place
// its event time says (its hour's partition, or the fallback prefix).
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { FALLBACK, idOf, ProducedEvent } from './events';

export interface StoredObject {
  key: string;
  /** Where the key says it is: an hour key ("2026112205"), 'fallback' or 'other'. */
  place: string;
  lines: string[];
}

const PARTITION = /^dt=(\d{4})-(\d{2})-(\d{2})\/hr=(\d{2})\//;

function placeOf(key: string, dataPrefix: string, fallbackPrefix: string): string {
  if (key.startsWith(`${fallbackPrefix}/`)) return FALLBACK;
  const m = key.startsWith(`${dataPrefix}/`) ? PARTITION.exec(key.slice(dataPrefix.length + 1)) : null;
  return m ? `${m[1]}${m[2]}${m[3]}${m[4]}` : 'other';
}

export async function readBucket(
  s3: S3Client,
  bucket: string,
  prefixes: { dataPrefix: string; fallbackPrefix: string },
): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      if (Key!.endsWith('/_SUCCESS')) continue; // hour-complete markers hold no records
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
      ).Body!.transformToString();
      const lines = body.split('\n');
      if (lines[lines.length - 1] === '') lines.pop(); // the last record's own newline
      objects.push({ key: Key!, place: placeOf(Key!, prefixes.dataPrefix, prefixes.fallbackPrefix), lines });
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

export interface Verdict {
  ok: boolean;
  produced: number;
  inHourly: number;
  inFallback: number;
  missing: string[];
  /** Found, but not where its event time says (id → where found). */
  misplaced: string[];
  /** Found with bytes other than those produced. */
  altered: string[];
  /** Extra copies: at-least-once delivery allows them, so they are reported, not failed. */
  duplicates: number;
  line: string;
}

export function judge(produced: readonly ProducedEvent[], objects: readonly StoredObject[]): Verdict {
  const found = new Map<string, { place: string; line: string }[]>();
  for (const o of objects)
    for (const line of o.lines) {
      const id = idOf(line);
      if (id) found.set(id, [...(found.get(id) ?? []), { place: o.place, line }]);
    }
  const v: Verdict = {
    ok: false,
    produced: produced.length,
    inHourly: 0,
    inFallback: 0,
    missing: [],
    misplaced: [],
    altered: [],
    duplicates: 0,
    line: '',
  };
  for (const e of produced) {
    const copies = found.get(e.id) ?? [];
    if (copies.length === 0) v.missing.push(e.id);
    else if (copies.some((c) => c.place !== e.expected)) v.misplaced.push(e.id);
    else if (copies.some((c) => c.line !== e.data)) v.altered.push(e.id);
    else if (e.expected === FALLBACK) v.inFallback++;
    else v.inHourly++;
    v.duplicates += Math.max(0, copies.length - 1);
  }
  v.ok = v.missing.length + v.misplaced.length + v.altered.length === 0;
  const dup = v.duplicates ? `; ${v.duplicates} duplicate copies (at-least-once delivery)` : '';
  const sample = (ids: string[]) => ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');
  v.line = v.ok
    ? `all ${v.produced} produced records found in S3 (${v.inHourly} in hourly partitions, ${v.inFallback} in fallback)${dup}`
    : [
        `FAILED: of ${v.produced} produced records`,
        v.missing.length ? ` ${v.missing.length} missing from S3 (${sample(v.missing)})` : '',
        v.misplaced.length ? ` ${v.misplaced.length} in the wrong place (${sample(v.misplaced)})` : '',
        v.altered.length ? ` ${v.altered.length} altered (${sample(v.altered)})` : '',
      ]
        .filter(Boolean)
        .join(';');
  return v;
}

/** The bucket as a tree: per hour partition and for the fallback, objects and records. */
export function formatTree(
  bucket: string,
  objects: readonly StoredObject[],
  s: { dataPrefix: string; fallbackPrefix: string },
): string {
  const groups = new Map<string, { objects: number; records: number }>();
  for (const o of objects) {
    const g = groups.get(o.place) ?? { objects: 0, records: 0 };
    groups.set(o.place, { objects: g.objects + 1, records: g.records + o.lines.length });
  }
  const row = (indent: number, label: string, place: string) => {
    const g = groups.get(place)!;
    const counts = `${String(g.objects).padStart(4)} objects ${String(g.records).padStart(6)} records`;
    return `${' '.repeat(indent)}${label}`.padEnd(30) + counts;
  };
  const hours = [...groups.keys()].filter((p) => /^\d{10}$/.test(p)).sort();
  const lines = [`s3://${bucket}/`, `  ${s.dataPrefix}/`];
  let day = '';
  for (const h of hours) {
    const dt = `${h.slice(0, 4)}-${h.slice(4, 6)}-${h.slice(6, 8)}`;
    if (dt !== day) lines.push(`    dt=${(day = dt)}/`);
    lines.push(row(6, `hr=${h.slice(8)}/`, h));
  }
  if (groups.has(FALLBACK)) lines.push(row(2, `${s.fallbackPrefix}/ (fallback)`, FALLBACK));
  if (groups.has('other')) lines.push(row(2, '(other keys)', 'other'));
  return lines.join('\n');
}

// Reads every object back from moto's S3 (ListObjectsV2 + GetObject) and accounts for every
// produced record: found unchanged in its event hour's partition or in the fallback prefix, or
// handed to the on-failure destination by the event source mapping; anything else is lost.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { FALLBACK_KINDS, fnv1a, ID_PATTERN, KINDS, OPEN_KINDS, Producer } from './router-records';
import { Violations } from './sim-support';

export interface Reconciliation {
  objects: number;
  produced: number;
  found: number;
  inHourly: number;
  inFallback: number;
  /** Records whose hour was open when first sent but that are only in the fallback. */
  rerouted: number;
  /** Extra copies beyond the first (at-least-once delivery), and records with any. */
  duplicateCopies: number;
  duplicatedRecords: number;
  reportedAsFailures: number;
  /** Of those, never found in S3 (the on-failure destination is their only copy). */
  onlyInFailureDestination: number;
  oversizedReported: number;
  lost: number;
  byKind: Record<string, { produced: number; hourly: number; fallback: number; failed: number }>;
}

const PARTITION = /^dt=(\d{4})-(\d{2})-(\d{2})\/hr=(\d{2})\//;

export async function reconcile(
  s3: S3Client,
  bucket: string,
  prefixes: { dataPrefix: string; fallbackPrefix: string },
  producer: Producer,
  reported: ReadonlySet<number>,
  violations: Violations,
): Promise<Reconciliation> {
  const n = producer.count;
  const copies = new Uint8Array(n);
  const hourly = new Uint8Array(n);
  const fallback = new Uint8Array(n);
  let objects = 0;

  const judgeObject = (key: string, body: Buffer) => {
    const part = key.startsWith(`${prefixes.dataPrefix}/`)
      ? PARTITION.exec(key.slice(prefixes.dataPrefix.length + 1))
      : null;
    const hourMs = part ? Date.UTC(+part[1], +part[2] - 1, +part[3], +part[4]) : NaN;
    const inFallback = key.startsWith(`${prefixes.fallbackPrefix}/`);
    if (!part && !inFallback) violations.add(`object outside both prefixes: ${key}`);
    if (body.length && body[body.length - 1] !== 0x0a) violations.add(`${key}: last record has no newline`);
    for (let start = 0; start < body.length;) {
      let end = body.indexOf(0x0a, start);
      if (end < 0) end = body.length;
      const m = ID_PATTERN.exec(body.toString('latin1', start, Math.min(end, start + 64)));
      if (!m) violations.add(`${key}: line at byte ${start} carries no record id (blank or foreign)`);
      else {
        const id = Number(m[1]);
        const kind = KINDS[producer.kinds[id]];
        if (id >= n) violations.add(`${key}: unknown id ${id}`);
        else if (fnv1a(body, start, end) !== producer.hashes[id])
          violations.add(`${key}: record ${id} altered`);
        else if (part && (FALLBACK_KINDS.has(kind) || producer.hours[id] !== hourMs)) {
          violations.add(`${key}: ${kind} record ${id} in the wrong partition`);
        } else {
          copies[id] = Math.min(255, copies[id] + 1);
          if (part) hourly[id] = 1;
          else fallback[id] = 1;
        }
      }
      start = end + 1;
    }
  };

  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    const keys = (page.Contents ?? []).map((c) => c.Key!);
    // A few GetObjects in flight: moto answers one at a time, but this hides the round trips.
    for (let i = 0; i < keys.length; i += 8) {
      const bodies = await Promise.all(
        keys.slice(i, i + 8).map(async (Key) => {
          const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
          return Buffer.from(await out.Body!.transformToByteArray());
        }),
      );
      bodies.forEach((body, j) => judgeObject(keys[i + j], body));
      objects += bodies.length;
    }
    token = page.NextContinuationToken;
  } while (token);

  const r: Reconciliation = {
    objects,
    produced: n,
    found: 0,
    inHourly: 0,
    inFallback: 0,
    rerouted: 0,
    duplicateCopies: 0,
    duplicatedRecords: 0,
    reportedAsFailures: reported.size,
    onlyInFailureDestination: 0,
    oversizedReported: 0,
    lost: 0,
    byKind: Object.fromEntries(KINDS.map((k) => [k, { produced: 0, hourly: 0, fallback: 0, failed: 0 }])),
  };
  for (let id = 0; id < n; id++) {
    const kind = KINDS[producer.kinds[id]];
    const tally = r.byKind[kind];
    tally.produced++;
    if (reported.has(id)) tally.failed++;
    if (kind === 'oversized') {
      if (copies[id]) violations.add(`oversized record ${id} reached S3`);
      if (reported.has(id)) r.oversizedReported++;
      else violations.add(`oversized record ${id} was neither delivered nor reported`);
    }
    if (copies[id] === 0) {
      if (reported.has(id)) r.onlyInFailureDestination++;
      else r.lost++;
      continue;
    }
    r.found++;
    r.duplicateCopies += copies[id] - 1;
    if (copies[id] > 1) r.duplicatedRecords++;
    if (hourly[id]) {
      r.inHourly++;
      tally.hourly++;
    }
    if (fallback[id]) {
      r.inFallback++;
      tally.fallback++;
    }
    if (fallback[id] && !hourly[id] && OPEN_KINDS.has(kind)) r.rerouted++;
  }
  return r;
}

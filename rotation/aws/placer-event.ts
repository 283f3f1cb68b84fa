// An S3 event notification (or the same shape built locally) → the placer, one object at a time.
// Records are placed in order and any failure fails the whole invocation: Lambda retries the event
// (twice, then the dead-letter queue), and the objects already placed are simply written again.
import type { S3Event } from 'aws-lambda';
import { KeepReason } from '../core/placement';
import { placeObject, PlacementResult, PlacerDeps, SourceObject } from './placer';

type Settings = Parameters<typeof placeObject>[1];

/** The objects an S3 event names. Keys arrive URL-encoded, with "+" for a space. */
function sourcesOfS3Event(event: Pick<S3Event, 'Records'>): SourceObject[] {
  return (event.Records ?? []).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
    versionId: r.s3.object.versionId || undefined,
    eTag: r.s3.object.eTag || undefined,
  }));
}

export interface PlacerTotals {
  objects: number;
  placed: number;
  kept: number;
  keptByReason: Partial<Record<KeepReason, number>>;
  objectsWritten: number;
  hoursAmended: number;
  bytesRead: number;
  skipped: string[];
}

export function totalsOf(results: readonly PlacementResult[]): PlacerTotals {
  const t: PlacerTotals = {
    objects: results.length,
    placed: 0,
    kept: 0,
    keptByReason: {},
    objectsWritten: 0,
    hoursAmended: 0,
    bytesRead: 0,
    skipped: [],
  };
  for (const r of results) {
    t.placed += r.placed;
    t.objectsWritten += r.objects.length;
    t.hoursAmended += r.amended.length;
    t.bytesRead += r.bytesRead;
    if (r.skipped) t.skipped.push(`${r.source}: ${r.skipped}`);
    for (const [reason, n] of Object.entries(r.kept) as [KeepReason, number][]) {
      t.kept += n;
      t.keptByReason[reason] = (t.keptByReason[reason] ?? 0) + n;
    }
  }
  return t;
}

export async function placeS3Event(
  deps: PlacerDeps,
  s: Settings,
  event: Pick<S3Event, 'Records'>,
): Promise<PlacerTotals> {
  const results: PlacementResult[] = [];
  for (const source of sourcesOfS3Event(event)) results.push(await placeObject(deps, s, source));
  return totalsOf(results);
}

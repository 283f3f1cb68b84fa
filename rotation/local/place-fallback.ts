// The placer as S3 would drive it after routing: one ObjectCreated notification per fallback object,
// handed to the handler's own entry point (placeS3Event) with clients pointed at moto.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import { placeS3Event, PlacerTotals, totalsOf } from '../aws/placer-event';
import { PartLimits } from '../core/placement-parts';
import { RotationSettings } from '../core/settings';
import { bucketName } from '../core/hour-complete';
import { listFallbackObjects, objectCreatedEvent } from './fallback-notifications';

export interface PlaceFallbackOptions {
  s3: S3Client;
  events: EventBridgeClient;
  now: DateTime;
  limits?: PartLimits;
}

/** Places every current fallback object once; the totals of all invocations. */
export async function placeFallback(o: PlaceFallbackOptions, s: RotationSettings): Promise<PlacerTotals> {
  const bucket = bucketName(s.bucketArn);
  const objects = await listFallbackObjects(o.s3, bucket, s.fallbackPrefix);
  const deps = { clients: { s3: o.s3, events: o.events }, now: () => o.now, limits: o.limits };
  const all: PlacerTotals[] = [];
  for (const [i, object] of objects.entries()) {
    all.push(await placeS3Event(deps, s, objectCreatedEvent(bucket, object, String(i))));
  }
  return sumTotals(all);
}

function sumTotals(all: readonly PlacerTotals[]): PlacerTotals {
  const sum = totalsOf([]);
  for (const t of all) {
    sum.objects += t.objects;
    sum.placed += t.placed;
    sum.kept += t.kept;
    sum.objectsWritten += t.objectsWritten;
    sum.hoursAmended += t.hoursAmended;
    sum.bytesRead += t.bytesRead;
    sum.skipped.push(...t.skipped);
    for (const [reason, n] of Object.entries(t.keptByReason) as [keyof typeof t.keptByReason, number][])
      sum.keptByReason[reason] = (sum.keptByReason[reason] ?? 0) + n;
  }
  return sum;
}

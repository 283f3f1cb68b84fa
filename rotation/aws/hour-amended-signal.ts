// "Hour Partition Amended": after the placer wrote an hour's objects, an hour whose `_SUCCESS`
// marker already exists gets one event per source object, at least once (a failed PutEvents fails
// the run, and the retry writes the same objects and sends the event again). The marker is looked
// up with ListObjectsV2 on its exact key: without s3:ListBucket a HeadObject on a missing key is a
// 403, not a 404, and the placer's role may list only its data prefix.
import { PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { EVENT_SOURCE, SUCCESS_MARKER, bucketName } from '../core/hour-complete';
import { HOUR_AMENDED_DETAIL_TYPE, hourAmendedDetail } from '../core/hour-amended';
import type { RotationSettings } from '../core/settings';
import type { PlacerDeps } from './placer';
import { limiter } from './put-retry';

/** PutEvents takes at most 10 entries per call. */
const ENTRIES_PER_CALL = 10;
/** Marker listings in flight at once: a fallback object may hold records of a hundred hours. */
const MARKER_LOOKUPS_IN_FLIGHT = 8;

export async function signalAmendedHours(
  deps: Pick<PlacerDeps, 'clients' | 'now'>,
  s: Pick<
    RotationSettings,
    'deploymentId' | 'bucketArn' | 'dataPrefix' | 'eventBusName' | 'formerGenerations'
  >,
  perHour: ReadonlyMap<number, { objects: string[]; records: number }>,
  source: string,
): Promise<string[]> {
  const { s3, events } = deps.clients;
  const bucket = bucketName(s.bucketArn);
  const entries: PutEventsRequestEntry[] = [];
  const amended: string[] = [];
  const limit = limiter(MARKER_LOOKUPS_IN_FLIGHT);
  const hours = [...perHour.keys()].sort((a, b) => a - b);
  const details = hours.map((hourMs) => {
    const placed = perHour.get(hourMs)!;
    return hourAmendedDetail(s, hourMs, { ...placed, recordsAdded: placed.records, source }, deps.now());
  });
  const complete = await Promise.all(
    details.map((detail) =>
      limit(async () => {
        const marker = `${detail.prefix}${SUCCESS_MARKER}`;
        const listed = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: marker, MaxKeys: 1 }),
        );
        return listed.Contents?.some((o) => o.Key === marker) === true;
      }),
    ),
  );
  for (const [i, detail] of details.entries()) {
    if (!complete[i]) continue;
    amended.push(detail.prefix);
    entries.push({
      Source: EVENT_SOURCE,
      DetailType: HOUR_AMENDED_DETAIL_TYPE,
      Detail: JSON.stringify(detail),
      Resources: [],
      EventBusName: s.eventBusName,
    });
  }
  for (let i = 0; i < entries.length; i += ENTRIES_PER_CALL) {
    const out = await events.send(new PutEventsCommand({ Entries: entries.slice(i, i + ENTRIES_PER_CALL) }));
    // PutEvents reports per-entry failures in a 200 response: an unsent event must fail the run.
    if (out.FailedEntryCount) {
      const failed = out.Entries?.find((e) => e.ErrorCode);
      throw new Error(`hour-amended event not accepted: ${failed?.ErrorCode} ${failed?.ErrorMessage}`);
    }
  }
  return amended;
}

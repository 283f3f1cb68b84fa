// The hour-amended contract between the placer (which signals) and consumers (docs/consumers.md):
// an hour already signalled complete (its `_SUCCESS` marker exists) received late or early records
// afterwards. Same source and bus as "Hour Partition Complete", its own detail-type. Pure.
import { DateTime } from 'luxon';
import { hourPrefix } from './names';
import { dataPrefixFor } from './placement';
import { bucketName } from './hour-complete';
import { RotationSettings } from './settings';

export const HOUR_AMENDED_DETAIL_TYPE = 'Hour Partition Amended';

export interface HourAmended {
  deploymentId: string;
  hour: string;
  bucket: string;
  prefix: string;
  /** The keys the placer wrote under `prefix` from this source object, in part order. */
  objects: string[];
  /** Records in those objects. */
  recordsAdded: number;
  /** `s3://bucket/key` of the fallback object they were read from (each keeps its copy). */
  source: string;
  amendedAt: string;
}

export function hourAmendedDetail(
  s: Pick<RotationSettings, 'deploymentId' | 'bucketArn' | 'dataPrefix' | 'formerGenerations'>,
  hourMs: number,
  placed: { objects: string[]; recordsAdded: number; source: string },
  now: DateTime,
): HourAmended {
  const hour = DateTime.fromMillis(hourMs, { zone: 'utc' });
  return {
    deploymentId: s.deploymentId,
    hour: hour.toISO(),
    bucket: bucketName(s.bucketArn),
    prefix: hourPrefix(dataPrefixFor(hourMs, s), hour),
    objects: placed.objects,
    recordsAdded: placed.recordsAdded,
    source: placed.source,
    amendedAt: now.toUTC().toISO(),
  };
}

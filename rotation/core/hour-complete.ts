// The hour-complete contract between the rotation (which signals) and its consumers and the rotation
// role's policy (which allows exactly this signal): the EventBridge source and detail-type, the
// marker object's name and the event's detail. Pure: no AWS or Pulumi imports, so the Pulumi
// program reads these constants without loading an SDK client.
import { DateTime } from 'luxon';
import { hourPrefix } from './names';
import { RotationSettings } from './settings';

export const EVENT_SOURCE = 'firehose-rotation';
export const HOUR_COMPLETE_DETAIL_TYPE = 'Hour Partition Complete';
export const SUCCESS_MARKER = '_SUCCESS';

export interface HourComplete {
  deploymentId: string;
  hour: string;
  bucket: string;
  prefix: string;
  stream: string;
  completedAt: string;
}

export function bucketName(bucketArn: string): string {
  return bucketArn.slice(bucketArn.lastIndexOf(':') + 1);
}

/** Where an hour's data went: its stream's own bucket and prefix (I2), as Firehose reports them. */
export interface HourDestination {
  bucketArn: string;
  prefix: string;
}

/**
 * `where`: the destination read from the hour's stream; the current settings only when it could
 * not be read (a stream made before I2 under a former dataPrefix would otherwise be mislabelled).
 */
export function hourCompleteDetail(
  s: RotationSettings,
  hour: DateTime,
  stream: string,
  now: DateTime,
  where?: HourDestination,
): HourComplete {
  return {
    deploymentId: s.deploymentId,
    hour: hour.toUTC().toISO(),
    bucket: bucketName(where?.bucketArn ?? s.bucketArn),
    prefix: where?.prefix ?? hourPrefix(s.dataPrefix, hour),
    stream,
    completedAt: now.toUTC().toISO(),
  };
}

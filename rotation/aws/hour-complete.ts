// The hour-complete signal: once an hour's stream is drained (no more writes, buffer flushed), its
// partition is final. Batch consumers learn it from a `_SUCCESS` marker under the hour's prefix and
// an EventBridge event. Written BEFORE the stream is deleted: completeness follows from the drain
// instant, not from the delete, and a run that dies in between re-signals next time (consumers see
// the signal at least once, so they must treat it idempotently).
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import { hourPrefix } from '../core/names';
import { RotationSettings } from '../core/settings';

export const EVENT_SOURCE = 'firehose-rotation';
export const HOUR_COMPLETE_DETAIL_TYPE = 'Hour Partition Complete';
export const SUCCESS_MARKER = '_SUCCESS';
/** A signal that hangs must not hang the rotation: each of its two calls is cut off after this. */
export const SIGNAL_CALL_TIMEOUT_MS = 10_000;

export interface SignalClients {
  s3: S3Client;
  events: EventBridgeClient;
}

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

export function hourCompleteDetail(
  s: RotationSettings,
  hour: DateTime,
  stream: string,
  now: DateTime,
): HourComplete {
  return {
    deploymentId: s.deploymentId,
    hour: hour.toUTC().toISO()!,
    bucket: bucketName(s.bucketArn),
    prefix: hourPrefix(s.dataPrefix, hour),
    stream,
    completedAt: now.toUTC().toISO()!,
  };
}

export async function signalHourComplete(
  clients: SignalClients,
  eventBusName: string,
  detail: HourComplete,
  timeoutMs = SIGNAL_CALL_TIMEOUT_MS,
): Promise<void> {
  const bounded = () => ({ abortSignal: AbortSignal.timeout(timeoutMs) });
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: detail.bucket,
      Key: `${detail.prefix}${SUCCESS_MARKER}`,
      Body: `${JSON.stringify(detail)}\n`,
      ContentType: 'application/json',
    }),
    bounded(),
  );
  const out = await clients.events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: EVENT_SOURCE,
          DetailType: HOUR_COMPLETE_DETAIL_TYPE,
          Detail: JSON.stringify(detail),
          Resources: [],
          EventBusName: eventBusName,
        },
      ],
    }),
    bounded(),
  );
  // PutEvents reports per-entry failures in a 200 response; an unsent signal must fail the delete.
  if (out.FailedEntryCount) {
    throw new Error(
      `hour-complete event not accepted: ${out.Entries?.[0]?.ErrorCode} ${out.Entries?.[0]?.ErrorMessage}`,
    );
  }
}

// The hour-complete signal: once an hour's stream is drained (no more writes, buffer flushed), its
// partition is final. Batch consumers learn it from a `_SUCCESS` marker under the hour's prefix and
// an EventBridge event. Written BEFORE the stream is deleted: completeness follows from the drain
// instant, not from the delete, and a run that dies in between re-signals next time (consumers see
// the signal at least once, so they must treat it idempotently).
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EVENT_SOURCE, HOUR_COMPLETE_DETAIL_TYPE, HourComplete, SUCCESS_MARKER } from '../core/hour-complete';

// The executor builds the detail through this module; the contract itself lives in core.
export { hourCompleteDetail } from '../core/hour-complete';
export type { HourComplete } from '../core/hour-complete';
/** A signal that hangs must not hang the rotation: each of its two calls is cut off after this. */
const SIGNAL_CALL_TIMEOUT_MS = 10_000;

export interface SignalClients {
  s3: S3Client;
  events: EventBridgeClient;
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

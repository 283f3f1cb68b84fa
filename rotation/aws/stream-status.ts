// A stream's status as Firehose reports it, or undefined when the stream does not exist (never
// made, or deleted meanwhile): the one status reader of the rotation, the teardown and the status
// command. Callers decide what absence means: the status command shows MISSING, the rotation
// treats a stream that vanished between List and Describe as DELETING, the teardown skips it.
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import type { StreamStatus } from '../core/planner';

export async function describeStatus(
  client: FirehoseClient,
  name: string,
): Promise<StreamStatus | undefined> {
  try {
    const out = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name, Limit: 1 }));
    return out.DeliveryStreamDescription?.DeliveryStreamStatus ?? 'UNKNOWN';
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

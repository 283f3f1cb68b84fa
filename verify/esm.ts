// The Kinesis event source mapping, as far as delivery guarantees go: it invokes the function with
// a batch, and when the response lists batchItemFailures it re-invokes with the batch from the
// lowest failed sequence number on (successful records after it are sent again), up to
// `maxRetries` times; what is still pending then goes to the on-failure destination. A thrown
// error, or an identifier that is not in the batch, fails the whole batch. Written for this
// harness, independently of rotation/local/esm.ts, so the proof does not lean on the code it checks.
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

export interface ShardRecord {
  /** Kinesis sequence numbers are decimal strings that grow along the shard. */
  sequenceNumber: string;
  data: Buffer;
  arrivedAt: number;
}

export interface EsmStats {
  invocations: number;
  retries: number;
  /** Records sent again by retries (successes after the checkpoint included): a duplicate source. */
  resent: number;
  /** Invocations answered with an identifier that is empty or not in the batch (a router bug). */
  badIdentifiers: number;
  thrown: number;
  /** Sequence numbers handed to the on-failure destination. */
  onFailure: string[];
}

const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/verify-source';

export const sequenceNumber = (n: number) => `49650000000000000000000000${String(n).padStart(12, '0')}`;

function toEvent(records: readonly ShardRecord[]): KinesisStreamEvent {
  return {
    Records: records.map((r): KinesisStreamRecord => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'verify',
        sequenceNumber: r.sequenceNumber,
        data: r.data.toString('base64'),
        approximateArrivalTimestamp: r.arrivedAt / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${r.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/verify-router',
      awsRegion: 'us-east-1',
      eventSourceARN: ARN,
    })),
  };
}

export type Invoke = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

/** One batch through the mapping; `between` runs before each retry (time passes, streams change). */
export async function deliverBatch(
  batch: readonly ShardRecord[],
  invoke: Invoke,
  maxRetries: number,
  stats: EsmStats,
  between: () => Promise<void> | void = () => undefined,
): Promise<void> {
  let pending = batch;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      stats.retries++;
      stats.resent += pending.length;
      await between();
    }
    stats.invocations++;
    let from: number | undefined;
    try {
      const response = await invoke(toEvent(pending));
      const ids = response.batchItemFailures.map((f) => f.itemIdentifier);
      const at = ids.map((id) => (id ? pending.findIndex((r) => r.sequenceNumber === id) : -1));
      if (at.includes(-1)) stats.badIdentifiers++;
      from = ids.length === 0 ? undefined : at.includes(-1) ? 0 : Math.min(...at);
    } catch {
      stats.thrown++;
      from = 0;
    }
    if (from === undefined) return;
    pending = pending.slice(from);
    if (attempt >= maxRetries) {
      stats.onFailure.push(...pending.map((r) => r.sequenceNumber));
      return;
    }
  }
}

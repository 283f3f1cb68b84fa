// What a Lambda event source mapping does with one shard's batch, modelled closely enough to run
// the router the way AWS would: a KinesisStreamEvent in, and on batchItemFailures a retry of the
// batch from the lowest failed sequence number (the checkpoint), a bounded number of times, after
// which the rest goes to the on-failure destination. No AWS calls: the invoke is a parameter.
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** One record as GetRecords returns it, reduced to what the event needs. */
export interface ShardRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  arrivedAt: Date;
}

export interface EventSource {
  streamArn: string;
  shardId: string;
  region: string;
  functionRoleArn: string;
}

function toKinesisEvent(records: readonly ShardRecord[], source: EventSource): KinesisStreamEvent {
  return {
    Records: records.map((r): KinesisStreamRecord => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.partitionKey,
        sequenceNumber: r.sequenceNumber,
        data: Buffer.from(r.data).toString('base64'),
        approximateArrivalTimestamp: r.arrivedAt.getTime() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${source.shardId}:${r.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: source.functionRoleArn,
      awsRegion: source.region,
      eventSourceARN: source.streamArn,
    })),
  };
}

export type Invoke = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;

export interface BatchOutcome {
  /** Records per invocation, in order: the first is the whole batch, each retry a suffix of it. */
  invocations: number[];
  /** Records handed to the on-failure destination after the last retry (their sequence numbers). */
  onFailure: string[];
}

/**
 * Invokes until the batch succeeds or `maxRetries` retries are spent. Like the ESM, an identifier
 * that is not a sequence number of the batch, or a thrown error, fails the whole batch from its
 * first record, and a retry resends every record from the lowest failed one on (not just the failed).
 */
export async function invokeWithRetries(
  records: readonly ShardRecord[],
  invoke: Invoke,
  source: EventSource,
  maxRetries: number,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { invocations: [], onFailure: [] };
  let pending = records;
  for (let attempt = 0; pending.length > 0; attempt++) {
    outcome.invocations.push(pending.length);
    const from = await firstFailed(pending, invoke, source);
    if (from === undefined) return outcome;
    pending = pending.slice(from);
    if (attempt >= maxRetries) {
      outcome.onFailure = pending.map((r) => r.sequenceNumber);
      return outcome;
    }
  }
  return outcome;
}

/** Index of the checkpoint to resume from, or undefined when the whole batch succeeded. */
async function firstFailed(
  batch: readonly ShardRecord[],
  invoke: Invoke,
  source: EventSource,
): Promise<number | undefined> {
  let response: KinesisStreamBatchResponse | void;
  try {
    response = await invoke(toKinesisEvent(batch, source));
  } catch {
    return 0;
  }
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  const indices = failures.map((f) => batch.findIndex((r) => r.sequenceNumber === f.itemIdentifier));
  // Sequence numbers grow along the shard, so the lowest failed one is the earliest index.
  return indices.includes(-1) ? 0 : Math.min(...indices);
}

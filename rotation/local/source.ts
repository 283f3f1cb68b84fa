// The source Kinesis stream on moto: create it, produce into it with PutRecords, and read it back
// shard by shard in batches of 100 the way the event source mapping feeds the router.
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { EventSource, invokeWithRetries, Invoke, ShardRecord } from './esm';

/** PutRecords accepts at most 500 entries per call. */
const PUT_RECORDS_MAX = 500;
/** The event source mapping's batch size in this demo. */
const BATCH_SIZE = 100;

export async function createSourceStream(
  kinesis: KinesisClient,
  name: string,
  shards: number,
): Promise<string> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (let i = 0; i < 100; i++) {
    const { StreamDescriptionSummary: d } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (d?.StreamStatus === 'ACTIVE') return d.StreamARN!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Kinesis stream ${name} did not become ACTIVE`);
}

/**
 * Sends every record (partition key `id`), resending only the entries PutRecords reports as failed
 * (bounded).
 */
export async function putAll(
  kinesis: KinesisClient,
  streamName: string,
  records: readonly { id: string; data: string | Uint8Array }[],
): Promise<void> {
  for (let start = 0; start < records.length; start += PUT_RECORDS_MAX) {
    let entries: PutRecordsRequestEntry[] = records
      .slice(start, start + PUT_RECORDS_MAX)
      .map((r) => ({ PartitionKey: r.id, Data: Buffer.from(r.data) }));
    for (let attempt = 1; entries.length > 0; attempt++) {
      const out = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: entries }));
      entries = entries.filter((_, i) => out.Records?.[i]?.ErrorCode);
      if (entries.length > 0 && attempt >= 5)
        throw new Error(`PutRecords: ${entries.length} records still failing`);
    }
  }
}

export interface ConsumeReport {
  shards: number;
  batches: number;
  invocations: number;
  /** Invocations that retried a batch after batchItemFailures or an error. */
  retries: number;
  onFailure: string[];
}

export interface ConsumeOptions {
  streamName: string;
  streamArn: string;
  region: string;
  functionRoleArn: string;
  invoke: Invoke;
  /** The ESM's MaximumRetryAttempts. */
  maxRetries: number;
}

/**
 * Reads each shard from TRIM_HORIZON to its end, one batch at a time: a shard's next batch is read
 * only after the current one is done, which keeps the per-shard order the ESM guarantees.
 */
export async function consumeAll(kinesis: KinesisClient, o: ConsumeOptions): Promise<ConsumeReport> {
  const report: ConsumeReport = { shards: 0, batches: 0, invocations: 0, retries: 0, onFailure: [] };
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: o.streamName }));
  for (const shard of Shards) {
    report.shards++;
    const source: EventSource = {
      streamArn: o.streamArn,
      shardId: shard.ShardId!,
      region: o.region,
      functionRoleArn: o.functionRoleArn,
    };
    let iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: o.streamName,
          ShardId: shard.ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: BATCH_SIZE }));
      const records: ShardRecord[] = (page.Records ?? []).map((r) => ({
        sequenceNumber: r.SequenceNumber!,
        partitionKey: r.PartitionKey!,
        data: r.Data!,
        arrivedAt: r.ApproximateArrivalTimestamp ?? new Date(),
      }));
      // An empty page at the tip: a real ESM keeps polling; the demo's stream is finite, so stop.
      if (records.length === 0 && !page.MillisBehindLatest) break;
      iterator = page.NextShardIterator;
      if (records.length === 0) continue;
      const outcome = await invokeWithRetries(records, o.invoke, source, o.maxRetries);
      report.batches++;
      report.invocations += outcome.invocations.length;
      report.retries += outcome.invocations.length - 1;
      report.onFailure.push(...outcome.onFailure);
    }
  }
  return report;
}

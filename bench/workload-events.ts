// The bench's router workloads as Kinesis events: plain records, and the same events packed by a
// producer into JSON Lines records or KPL aggregates (aws-kinesis-agg's aggregator, as the KPL does).
import type { KinesisStreamEvent } from 'aws-lambda';
import { RecordAggregator } from 'aws-kinesis-agg/lib/kpl-agg';
import { kinesisEvent } from './workload';

export interface Workload {
  label: string;
  /** JSON bytes per record, before the newline the router adds. */
  bytes: number;
  records: number;
  /** Records per Kinesis batch (Lambda invocation); sized to stay under the 6 MB payload limit. */
  batchSize: number;
}

/** The workload as Kinesis events; `distinct` caps how many different events are kept in memory. */
export function buildEvents(w: Workload, distinct = Infinity): KinesisStreamEvent[] {
  const batches = Math.ceil(w.records / w.batchSize);
  const kept = Math.min(batches, distinct);
  const unique = Array.from({ length: kept }, (_, b) =>
    kinesisEvent(b * w.batchSize, Math.min(w.batchSize, w.records - b * w.batchSize), w.bytes),
  );
  return Array.from({ length: batches }, (_, b) => unique[b % kept]);
}

/** How the bench's producer puts events into Kinesis records (rotation/local/producer has the same three). */
export type Framing = 'plain' | 'jsonl' | 'kpl';
export const FRAMINGS: readonly Framing[] = ['plain', 'jsonl', 'kpl'];

/** The KPL's default AggregationMaxSize: a producer packs events into records of up to this. */
const PACKED_RECORD_BYTES = 51_200;

/**
 * The workload's events with their records packed: consecutive events joined into Kinesis records
 * of up to PACKED_RECORD_BYTES, as JSON Lines or as KPL aggregates (aws-kinesis-agg's aggregator).
 * Each packed record keeps the metadata of its first event's record.
 */
export function packEvent(event: KinesisStreamEvent, framing: Framing): KinesisStreamEvent {
  if (framing === 'plain') return event;
  const Records: KinesisStreamEvent['Records'] = [];
  let group: KinesisStreamEvent['Records'] = [];
  let bytes = 0;
  const flush = () => {
    if (!group.length) return;
    const datas = group.map((r) => Buffer.from(r.kinesis.data, 'base64'));
    let data: Buffer;
    if (framing === 'jsonl') data = Buffer.from(datas.map((d) => d.toString()).join('\n'));
    else {
      const aggregator = new RecordAggregator();
      group.forEach((r, k) =>
        aggregator.addUserRecord({ partitionKey: r.kinesis.partitionKey, data: datas[k] }),
      );
      data = aggregator.build()!.data;
    }
    const [first] = group;
    Records.push({ ...first, kinesis: { ...first.kinesis, data: data.toString('base64') } });
    group = [];
    bytes = 0;
  };
  for (const r of event.Records) {
    // base64 length × 3/4: the event's bytes; +16 covers a KPL user record's protobuf framing.
    const size = (r.kinesis.data.length * 3) / 4 + 16;
    if (bytes + size > PACKED_RECORD_BYTES - 40) flush();
    group.push(r);
    bytes += size;
  }
  flush();
  return { Records };
}

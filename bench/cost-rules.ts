// AWS's billing and packing rules as pure arithmetic: how many Kinesis records a TB of events
// becomes for each kind of producer, and what each service rounds a record up to. The cost model
// prices these quantities; test/bench/cost-rules.test.ts and cost-model.test.ts check them against
// hand-computed figures. A KPL aggregate's size is kpl-size.ts's (checked against the library).
import { kplEventsPerRecord, kplRecordBytes } from './kpl-size';

/** AWS bills GB as 2^30 bytes; a TB here is 1,024 of them. A month is 730 hours. */
export const GB = 2 ** 30;
export const TB = 1024 * GB;
export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Kinesis on-demand: each record's data is billed rounded up to 1 KB (1,024 bytes). */
const KINESIS_ON_DEMAND_STEP = 1024;
/** Kinesis provisioned: PUT payload units of 25 KB per record (a 5 KB record is 1, 45 KB is 2). */
const PUT_PAYLOAD_UNIT = 25 * 1024;
/** A Kinesis record: data blob plus partition key at most 1 MiB (the default maximum record size). */
export const KINESIS_MAX_RECORD = 1024 * 1024;
/** One shard takes 1 MiB/s or 1,000 records/s of writes, whichever binds first. */
const SHARD_BYTES_PER_SECOND = 1024 * 1024;
const SHARD_RECORDS_PER_SECOND = 1000;
/** Firehose ingestion: each record billed in 5 KB (5,120 byte) steps. */
const FIREHOSE_STEP = 5120;
/** Firehose's largest record (PutRecordBatch entry): 1,000 KiB. */
export const FIREHOSE_MAX_RECORD = 1000 * 1024;
/** Firehose multi-record deaggregation (JSON or delimited) splits at most 500 events per record. */
export const FIREHOSE_DEAGGREGATION_MAX = 500;
/** Lambda's synchronous payload limit, which caps a Kinesis batch; each record carries ~480 B of metadata. */
const LAMBDA_PAYLOAD_BYTES = 6_000_000;
const LAMBDA_RECORD_METADATA = 480;
const LAMBDA_MAX_BATCH = 10_000;

const ceilTo = (bytes: number, step: number) => Math.ceil(bytes / step) * step;

/** How producers put events into Kinesis records. */
export type Producer = 'one per record' | 'KPL' | 'JSON Lines';
export const PRODUCERS: readonly Producer[] = ['one per record', 'KPL', 'JSON Lines'];

/** The Kinesis records a month of events becomes. `records` may be fractional: it is an average. */
export interface KinesisRecords {
  producer: Producer;
  events: number;
  eventsPerRecord: number;
  records: number;
  /** Data blob bytes of one Kinesis record. */
  recordBytes: number;
}

/** Limits a consumer puts on packed records (Firehose deaggregates at most 500 events per record). */
export interface PackingLimits {
  maxEventsPerRecord: number;
  maxRecordBytes: number;
}
export const NO_LIMITS: PackingLimits = { maxEventsPerRecord: Infinity, maxRecordBytes: Infinity };

/**
 * `eventBytes` is what one event lands as in S3, newline included. One per record and KPL carry
 * the event without its newline (the router adds it); JSON Lines records carry each line whole.
 */
export function kinesisRecords(
  producer: Producer,
  eventBytes: number,
  keyBytes: number,
  limits: PackingLimits = NO_LIMITS,
): KinesisRecords {
  const events = TB / eventBytes;
  const maxBytes = Math.min(limits.maxRecordBytes, KINESIS_MAX_RECORD - keyBytes);
  let n: number;
  let recordBytes: number;
  if (producer === 'one per record') {
    n = 1;
    recordBytes = eventBytes - 1;
  } else if (producer === 'KPL') {
    n = Math.min(kplEventsPerRecord(eventBytes - 1, keyBytes), limits.maxEventsPerRecord);
    recordBytes = kplRecordBytes(n, eventBytes - 1, keyBytes);
  } else {
    n = Math.min(Math.floor(maxBytes / eventBytes), limits.maxEventsPerRecord);
    recordBytes = n * eventBytes;
  }
  if (n < 1) throw new Error(`an event of ${eventBytes} B does not fit a ${producer} record`);
  return { producer, events, eventsPerRecord: n, records: events / n, recordBytes };
}

/** On-demand billed bytes: every record rounded up to 1 KB. */
export const onDemandBilledBytes = (k: KinesisRecords) =>
  k.records * ceilTo(k.recordBytes, KINESIS_ON_DEMAND_STEP);

/** Provisioned PUT payload units: ⌈record / 25 KB⌉ per record. */
export const putPayloadUnits = (k: KinesisRecords) => k.records * Math.ceil(k.recordBytes / PUT_PAYLOAD_UNIT);

/** Shards for a month's records at a flat rate: 1 MiB/s and 1,000 records/s each, no headroom. */
export function shardsNeeded(k: KinesisRecords): number {
  const bytesPerSecond = (k.records * k.recordBytes) / SECONDS_PER_MONTH;
  const recordsPerSecond = k.records / SECONDS_PER_MONTH;
  return Math.max(
    1,
    Math.ceil(Math.max(bytesPerSecond / SHARD_BYTES_PER_SECOND, recordsPerSecond / SHARD_RECORDS_PER_SECOND)),
  );
}

/** Firehose billed bytes for `records` records of `recordBytes` each: 5 KB steps. */
export const firehoseBilledBytes = (records: number, recordBytes: number) =>
  records * ceilTo(recordBytes, FIREHOSE_STEP);

/** Kinesis records per router invocation: at most 10,000, and the base64 batch under 6 MB. */
export function recordsPerInvocation(recordBytes: number): number {
  const perRecord = Math.ceil(recordBytes / 3) * 4 + LAMBDA_RECORD_METADATA;
  return Math.max(1, Math.min(LAMBDA_MAX_BATCH, Math.floor(LAMBDA_PAYLOAD_BYTES / perRecord)));
}

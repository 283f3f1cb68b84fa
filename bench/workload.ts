// The records the bench routes: JSON events of an exact size whose event times fall, in a fixed
// repeating pattern, into the current hour, the previous (still open) hour, a closed hour and no
// hour at all. The pattern is deterministic, so the destination of every record — and from it the
// minimum number of PutRecordBatch calls — is known before the router runs.
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { DateTime } from 'luxon';
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS } from '../rotation/core/chunking';
import { streamName } from '../rotation/core/names';
import { parseSettings, RotationSettings } from '../rotation/core/settings';

/** Settings of the bench deployment (defaults: lateness 60 min, buffering 300 s, margin 15 min). */
export const BENCH_SETTINGS_INPUT = {
  deploymentId: 'bench/local',
  streamPrefix: 'events',
  fallbackStreamName: 'events-fallback',
  bucketArn: 'arn:aws:s3:::bench-lake',
  deliveryRoleArn: 'arn:aws:iam::123456789012:role/bench-delivery',
};
export const BENCH_SETTINGS: RotationSettings = parseSettings(BENCH_SETTINGS_INPUT);
/** The same with packing off: one event per Firehose record, the router before packing. */
export const UNPACKED_SETTINGS: RotationSettings = parseSettings({
  ...BENCH_SETTINGS_INPUT,
  recordPackingKiB: 0,
});

/** The router's clock: half past midnight, when the previous day's 23h is still open. */
export const ROUTER_NOW = DateTime.fromISO('2026-11-22T00:30:00Z', { zone: 'utc' });

const CURRENT = ROUTER_NOW.startOf('hour');
const PREVIOUS = CURRENT.minus({ hours: 1 });
const CLOSED = CURRENT.minus({ hours: 2 });

type Kind = 'current-iso' | 'current-millis' | 'previous-iso' | 'previous-seconds' | 'late-iso' | 'no-time';

/**
 * Per 20 records: 11 in the current hour (one as epoch millis), 7 in the previous hour (one as
 * epoch seconds), 1 late (closed hour) and 1 without a timestamp; the last two go to the fallback.
 */
const PATTERN: readonly Kind[] = [
  ...Array<Kind>(10).fill('current-iso'),
  'current-millis',
  ...Array<Kind>(6).fill('previous-iso'),
  'previous-seconds',
  'late-iso',
  'no-time',
];

const kindOf = (i: number): Kind => PATTERN[i % PATTERN.length];

function destinationOf(kind: Kind): string {
  const s = BENCH_SETTINGS;
  if (kind.startsWith('current')) return streamName(s.streamPrefix, CURRENT);
  if (kind.startsWith('previous')) return streamName(s.streamPrefix, PREVIOUS);
  return s.fallbackStreamName;
}

function timestampOf(kind: Kind, i: number): string | number | undefined {
  const hour = kind.startsWith('current') ? CURRENT : kind.startsWith('previous') ? PREVIOUS : CLOSED;
  const millis = hour.toMillis() + ((i * 7_919_333) % 3_600_000); // spread over the hour
  if (kind.endsWith('millis')) return millis;
  if (kind.endsWith('seconds')) return millis / 1000;
  if (kind === 'no-time') return undefined;
  return new Date(millis).toISOString();
}

/** Record i as JSON text of exactly `bytes` bytes (ASCII), without a trailing newline. */
function recordText(i: number, bytes: number): string {
  const kind = kindOf(i);
  const event = {
    timestamp: timestampOf(kind, i),
    id: `evt-${String(i).padStart(9, '0')}`,
    type: i % 3 ? 'page_view' : 'add_to_cart',
    user: `u-${(i * 31) % 100_000}`,
    payload: '',
  };
  const bare = JSON.stringify(event).length;
  if (bare > bytes) throw new RangeError(`record ${i} needs at least ${bare} bytes, asked for ${bytes}`);
  event.payload = 'x'.repeat(bytes - bare);
  return JSON.stringify(event);
}

/** A Kinesis event of records first..first+count-1, as the event source mapping delivers it. */
export function kinesisEvent(first: number, count: number, bytes: number): KinesisStreamEvent {
  const Records = Array.from({ length: count }, (_, k): KinesisStreamRecord => {
    const i = first + k;
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: `pk-${i % 64}`,
        sequenceNumber: `4965${String(i).padStart(52, '0')}`,
        data: Buffer.from(recordText(i, bytes)).toString('base64'),
        approximateArrivalTimestamp: ROUTER_NOW.toSeconds(),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${i}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/bench-router',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/bench-source',
    };
  });
  return { Records };
}

/** Records and bytes (newline included, as sent) per destination for records 0..count-1. */
export function expectedDestinations(
  count: number,
  bytes: number,
): Map<string, { records: number; bytes: number }> {
  const out = new Map<string, { records: number; bytes: number }>();
  for (let i = 0; i < count; i++) {
    const dest = destinationOf(kindOf(i));
    const entry = out.get(dest) ?? { records: 0, bytes: 0 };
    entry.records += 1;
    entry.bytes += bytes + 1;
    out.set(dest, entry);
  }
  return out;
}

/** The fewest PutRecordBatch calls that can carry the groups: Σ max(⌈n/500⌉, ⌈bytes/4 MiB⌉). */
export function minimumCalls(groups: Iterable<{ records: number; bytes: number }>): number {
  let calls = 0;
  for (const g of groups) {
    calls += Math.max(Math.ceil(g.records / MAX_BATCH_RECORDS), Math.ceil(g.bytes / MAX_BATCH_BYTES));
  }
  return calls;
}

/** The floor once records are packed (500 entries no longer bind): Σ ⌈bytes / 4 MiB⌉. */
export function byteFloorCalls(groups: Iterable<{ records: number; bytes: number }>): number {
  let calls = 0;
  for (const g of groups) calls += Math.ceil(g.bytes / MAX_BATCH_BYTES);
  return calls;
}

/** The floor: base64 decode + JSON.parse of the same records, nothing else. */
export function floorPass(events: readonly KinesisStreamEvent[]): number {
  let sink = 0;
  for (const event of events) {
    for (const record of event.Records) {
      const doc = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as { id: string };
      sink += doc.id.length; // keeps the parse observable, so it cannot be optimised away
    }
  }
  return sink;
}

// Sustained ingest with N streams per hour: the router (routeBatch from source, its real delivery,
// backoff and sibling moves) against a Firehose fake that enforces a per-stream byte rate with a
// token bucket and answers entries over it with ServiceUnavailableException ("Slow down."), as
// Firehose does (rate-limited-firehose.ts). Kinesis shards feed it at a steady offered load above one stream's limit; a
// batch with failures is retried from its lowest failed record, as the event source mapping does.
// Everything runs on a virtual clock, so 30 s of traffic take a few seconds of CPU, not 30 s.
import type { KinesisStreamEvent } from 'aws-lambda';
import { DateTime } from 'luxon';
import { parseSettings } from '../rotation/core/settings';
import { routeBatch } from '../rotation/handlers/route-batch';
import { RateLimitedFirehose, VirtualClock } from './rate-limited-firehose';
import { BENCH_SETTINGS_INPUT } from './workload';

export interface ThroughputOptions {
  streamsPerHour: number;
  /** Per-stream limit, bytes/s (1 MiB/s outside us-east-1, us-west-2, eu-west-1). */
  limitBytesPerSecond: number;
  offeredBytesPerSecond: number;
  /** Virtual seconds of traffic; the first `warmupSeconds` are not measured (buckets start full). */
  seconds: number;
  warmupSeconds: number;
  shards: number;
  recordBytes: number;
  batchSize: number;
}

export interface ThroughputResult {
  streamsPerHour: number;
  /** Bytes/s Firehose accepted in the measuring window (resends after a failed batch included). */
  acceptedPerSecond: number;
  /** Bytes/s of records whose batch completed (the event source mapping's checkpoint moved). */
  checkpointedPerSecond: number;
  streamsUsed: number;
  calls: number;
  throttledEntries: number;
}

const START = Date.parse('2026-11-22T05:00:30Z'); // early in hour 05: every event stays in it
const KEYS = 1_000;

/** Record i of a shard: a JSON event of exactly `bytes` bytes, its key one of KEYS per shard. */
function record(shard: number, i: number, bytes: number, at: number) {
  const key = `device-${shard}-${i % KEYS}`;
  const bare = { timestamp: new Date(at).toISOString(), key, seq: i, pad: '' };
  bare.pad = 'x'.repeat(Math.max(0, bytes - JSON.stringify(bare).length));
  return { key, data: Buffer.from(JSON.stringify(bare)).toString('base64') };
}

function event(shard: number, first: number, count: number, bytes: number, at: number): KinesisStreamEvent {
  return {
    Records: Array.from({ length: count }, (_, j) => {
      const r = record(shard, first + j, bytes, at);
      return {
        kinesis: { partitionKey: r.key, data: r.data, sequenceNumber: String(first + j) },
      } as KinesisStreamEvent['Records'][number];
    }),
  };
}

export async function measureThroughput(o: ThroughputOptions): Promise<ThroughputResult> {
  const settings = parseSettings({ ...BENCH_SETTINGS_INPUT, streamsPerHour: o.streamsPerHour });
  const clock = new VirtualClock(START);
  const end = START + o.seconds * 1000;
  const window = { from: START + o.warmupSeconds * 1000, to: end };
  const firehose = new RateLimitedFirehose(clock, o.limitBytesPerSecond, window);
  const perShardRecordsPerMs = o.offeredBytesPerSecond / o.recordBytes / o.shards / 1000;
  let checkpointed = 0;
  let seed = 1;
  const random = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647) % 1;
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

  // One poller per shard, one invocation at a time (the mapping's default parallelization).
  const poll = async (shard: number) => {
    let checkpoint = 0; // the next record the shard's iterator hands out
    while (clock.t < end) {
      const produced = Math.floor((clock.t - START) * perShardRecordsPerMs);
      const count = Math.min(o.batchSize, produced - checkpoint);
      if (count <= 0) {
        await clock.sleep(250);
        continue;
      }
      const now = () => DateTime.fromMillis(clock.t, { zone: 'utc' });
      const { response } = await routeBatch(
        event(shard, checkpoint, count, o.recordBytes, clock.t),
        {
          client: firehose,
          now,
          sleep: clock.sleep,
          deadline: now().plus({ seconds: 60 }),
          armCutoff: () => () => undefined,
          random,
          log: silent,
        },
        settings,
      );
      // Kinesis resumes at the lowest failed sequence number; everything before it is done.
      const failedAt = response.batchItemFailures.map((f) => Number(f.itemIdentifier));
      const done = failedAt.length ? Math.min(...failedAt) - checkpoint : count;
      if (clock.t >= window.from && clock.t < window.to) checkpointed += done * (o.recordBytes + 1);
      checkpoint += done;
    }
  };
  const pollers = Promise.all(Array.from({ length: o.shards }, (_, k) => poll(k)));
  await clock.run();
  await pollers;
  const seconds = (window.to - window.from) / 1000;
  const accepted = [...firehose.acceptedInWindow.values()].reduce((a, b) => a + b, 0);
  return {
    streamsPerHour: o.streamsPerHour,
    acceptedPerSecond: accepted / seconds,
    checkpointedPerSecond: checkpointed / seconds,
    streamsUsed: firehose.acceptedInWindow.size,
    calls: firehose.calls,
    throttledEntries: firehose.throttledEntries,
  };
}

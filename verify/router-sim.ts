// Part 2: router chaos on moto. Records of every shape flow through `routeBatch` (the Lambda's own
// code path) batch by batch, as the event source mapping would hand them over, on a simulated
// clock with hourly rotations; PutRecordBatch meets partial failures, 503 throttles, lost
// responses and hourly streams deleted under it. Then S3 is reconciled record by record.
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { rotate } from '../rotation/aws/executor';
import { controlPlaneClient } from '../rotation/aws/firehose-clients';
import { parseSettings, RotationSettings } from '../rotation/core/settings';
import { routeBatch, RouterLog } from '../rotation/handlers/route-batch';
import { clientConfig } from '../rotation/local/moto';
import { deliverBatch, EsmStats, sequenceNumber, ShardRecord } from './esm';
import { reconcile, Reconciliation } from './reconcile';
import { RouterChaos } from './router-faults';
import { Producer } from './router-records';
import { INSTANT_BACKOFF, Rng, SimClock, Violations } from './sim-support';
import { FaultKind, WireFaults } from './wire-faults';

export interface RouterSimOptions {
  endpoint: string;
  records: number;
  seed: number;
  /** Simulated hours the records are spread over (one rotation run per hour). */
  hours: number;
  batchSize: number;
  /** The mapping's MaximumRetryAttempts (components/router.ts defaults to 3). */
  maxRetries: number;
  partialCallRate: number;
  partialEntryRate: number;
  /** Share of PutRecordBatch attempts answered 503 or whose answer is lost. */
  wireFaultRate: number;
  deleteEvery: number;
  start?: string;
  /** Other settings to route with (timing, concurrency); the defaults otherwise. */
  settings?: Record<string, unknown>;
  progress?: (line: string) => void;
  /** Test seam: extra middleware on the router's client, to prove the checks can fail. */
  sabotage?: (client: FirehoseClient) => void;
}

export interface RouterFigures extends Reconciliation {
  invocations: number;
  esmRetries: number;
  esmResent: number;
  badIdentifiers: number;
  thrown: number;
  putRecordBatchAttempts: number;
  wireFaults: Record<FaultKind, number>;
  partialFailureCalls: number;
  failedEntriesInjected: number;
  streamsDeletedMidFlight: number;
  routerReroutes: Record<string, number>;
  writesAfterDeadline: number;
  maxMsPastDeadline: number;
  violations: string[];
  violationCount: number;
  /** What part 2b (the placer, placer-sim.ts) reconciles against: the records and the settings. */
  producer: Producer;
  settings: RotationSettings;
}

const BUCKET = 'verify-lake';
const SILENT: RouterLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function runRouterSim(o: RouterSimOptions): Promise<RouterFigures> {
  const s = parseSettings({
    deploymentId: 'verify/router',
    streamPrefix: 'events',
    fallbackStreamName: 'events-fallback',
    bucketArn: `arn:aws:s3:::${BUCKET}`,
    deliveryRoleArn: 'arn:aws:iam::123456789012:role/verify-delivery',
    compression: 'UNCOMPRESSED', // moto stores plain bytes either way
    ...o.settings,
  });
  const rng = new Rng(o.seed);
  const clock = SimClock.at(o.start ?? '2026-11-22T00:00:00Z');
  const violations = new Violations();
  const s3 = new S3Client(clientConfig(o.endpoint));
  const observer = new FirehoseClient(clientConfig(o.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await observer.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: s.fallbackStreamName,
      ExtendedS3DestinationConfiguration: {
        RoleARN: s.deliveryRoleArn,
        BucketARN: s.bucketArn,
        Prefix: `${s.fallbackPrefix}/`,
      },
    }),
  );
  // Rotation runs fault-free here; its faults are part 1's subject.
  const control = controlPlaneClient({
    ...clientConfig(o.endpoint),
    callsPerSecond: 1e6,
    backoff: INSTANT_BACKOFF,
  });
  // Like the Lambda's `new FirehoseClient({})`: standard mode, 3 attempts; only the waits are removed.
  const client = new FirehoseClient({
    ...clientConfig(o.endpoint),
    retryStrategy: new StandardRetryStrategy({ maxAttempts: 3, backoff: INSTANT_BACKOFF }),
  });
  const chaos = new RouterChaos({ clock, rng, s, observer, violations, ...o });
  const wire = new WireFaults({
    clock,
    rng,
    rate: (command) => (command === 'PutRecordBatch' ? o.wireFaultRate : 0),
    mix: { unavailable: 70, internal: 10, 'lost-response': 20 },
    hooks: chaos,
  });
  wire.install(client);
  chaos.install(client);
  o.sabotage?.(client);

  const producer = new Producer(o.records, rng);
  const stats: EsmStats = {
    invocations: 0,
    retries: 0,
    resent: 0,
    badIdentifiers: 0,
    thrown: 0,
    onFailure: [],
  };
  const reroutes: Record<string, number> = {};
  const invoke = async (event: Parameters<typeof routeBatch>[0]) => {
    // A 60 s function timeout minus the handler's 3 s safety margin, in simulated time.
    const deadline = clock.now().plus({ seconds: 57 });
    // The simulated clock enforces the deadline: a real timer would fire at an unrelated instant.
    const armCutoff = () => () => undefined;
    const deps = {
      client,
      now: clock.now,
      sleep: clock.sleep,
      deadline,
      random: rng.next,
      log: SILENT,
      armCutoff,
    };
    const { response, counts } = await routeBatch(event, deps, s);
    for (const [reason, n] of Object.entries(counts.perReason))
      reroutes[reason] = (reroutes[reason] ?? 0) + n;
    return response;
  };

  const start = clock.now();
  const perHour = Math.ceil(o.records / o.hours);
  for (let h = 0; h < o.hours && producer.count < o.records; h++) {
    const hourStart = start.plus({ hours: h });
    clock.advanceTo(hourStart.plus({ minutes: rng.int(0, 10) }));
    await rotate({ client: control, now: clock.now }, s); // also recreates streams deleted by chaos
    const inHour = Math.min(perHour, o.records - producer.count);
    const batches = Math.ceil(inHour / o.batchSize);
    const offsets = Array.from({ length: batches }, () => rng.int(11 * 60_000, 3_599_000)).sort(
      (a, b) => a - b,
    );
    for (let b = 0; b < batches; b++) {
      clock.advanceTo(hourStart.plus({ milliseconds: offsets[b] }));
      const size = Math.min(o.batchSize, o.records - producer.count, inHour - b * o.batchSize);
      const batch: ShardRecord[] = [];
      for (let i = 0; i < size; i++) {
        const { id, data } = producer.next(clock.now());
        batch.push({ sequenceNumber: sequenceNumber(id), data, arrivedAt: clock.ms });
      }
      // The mapping waits before a retry; time moves on (and hours may close) meanwhile.
      await deliverBatch(batch, invoke, o.maxRetries, stats, () => clock.advance(rng.int(1000, 5000)));
    }
    o.progress?.(`hour ${h + 1}/${o.hours}: ${producer.count} records, ${stats.invocations} invocations`);
  }

  const reported = new Set(stats.onFailure.map((seq) => Number(seq.slice(-12))));
  const r = await reconcile(s3, BUCKET, s, producer, reported, violations);
  if (stats.badIdentifiers)
    violations.add(`${stats.badIdentifiers} responses named records not in the batch`);
  if (r.lost) violations.add(`${r.lost} records lost`);
  return {
    ...r,
    invocations: stats.invocations,
    esmRetries: stats.retries,
    esmResent: stats.resent,
    badIdentifiers: stats.badIdentifiers,
    thrown: stats.thrown,
    putRecordBatchAttempts: wire.perCommand.PutRecordBatch ?? 0,
    wireFaults: { ...wire.injected },
    partialFailureCalls: chaos.partialCalls,
    failedEntriesInjected: chaos.failedEntries,
    streamsDeletedMidFlight: chaos.streamsDeleted,
    routerReroutes: reroutes,
    writesAfterDeadline: chaos.writesAfterDeadline,
    maxMsPastDeadline: chaos.maxMsPastDeadline,
    violations: violations.list,
    violationCount: violations.count,
    producer,
    settings: s,
  };
}

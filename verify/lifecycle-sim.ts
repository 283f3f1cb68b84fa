// Part 4: settings changes on a live pipeline, on moto. For each class of change: deploy with
// settings A (fallback stream + bootstrap run), hourly rotations with records routed through the
// router's own code path, an `up` to settings B (what the program computes: both functions'
// settings, the delivery role's prefixes, the fallback updated in place, the deploy-time run),
// more hourly runs, then the destroy-time teardown. Each `up` also replaces the lifecycle resource
// and `pulumi destroy` meets a late scheduled run (lifecycle-events.ts). Checked at every moment:
// every destination prefix in use is one the role allows (and every record sent to a stream that
// has one is counted), no delete before the longest drain, no create above the quota; at the end
// every record is found in S3 by id, no drained stream is left, no replacement was taken for a
// destroy or the other way round, and the teardown leaves nothing.
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import { rotate } from '../rotation/aws/executor';
import { controlPlaneClient } from '../rotation/aws/firehose-clients';
import { SettingsInput } from '../rotation/core/settings';
import { routeBatch, RouterLog } from '../rotation/handlers/route-batch';
import { clientConfig } from '../rotation/local/moto';
import { deliverBatch, EsmStats, sequenceNumber, ShardRecord } from './esm';
import { LifecycleChecker, onCommand } from './lifecycle-checks';
import { SimLifecycle } from './lifecycle-events';
import { Sabotage, SimStack, updateFallback } from './lifecycle-stack';
import { INSTANT_BACKOFF, Rng, SimClock } from './sim-support';

/** One `up` per class of change the issue names; A is LIFECYCLE_BASE. */
export const CHANGES: Record<string, Partial<SettingsInput>> = {
  prefix: { streamPrefix: 'orders' },
  owner: { deploymentId: 'verify/lifecycle-renamed' },
  'data/error prefix': { dataPrefix: 'data-v2', errorOutputPrefix: 'errors-v2', fallbackPrefix: 'late-v2' },
  // I2: siblings made for open hours after a destination change go where the hour's first stream goes.
  'data prefix + 2 per hour': { dataPrefix: 'data-v2', streamsPerHour: 2, lookaheadHours: 21 },
  buffering: { bufferingSizeMiB: 64, bufferingIntervalSeconds: 900 },
  compression: { compression: 'GZIP' }, // moto stores plain bytes either way
  quota: { quota: 44 },
  lateness: { latenessMinutes: 10 },
};

const BUCKET = 'verify-lifecycle';
const LIFECYCLE_BASE: SettingsInput = {
  deploymentId: 'verify/lifecycle',
  streamPrefix: 'events',
  fallbackStreamName: 'events-fallback',
  bucketArn: `arn:aws:s3:::${BUCKET}`,
  deliveryRoleArn: 'arn:aws:iam::123456789012:role/verify-delivery',
  compression: 'UNCOMPRESSED',
  quota: 50,
};
const SILENT: RouterLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface LifecycleOptions {
  endpoint: string;
  seed: number;
  change: string;
  hoursBefore: number;
  hoursAfter: number;
  batchesPerHour: number;
  recordsPerBatch: number;
  start?: string;
  sabotage?: Sabotage | 'delete-is-destroy';
}

export interface LifecycleFigures {
  change: string;
  records: number;
  found: number;
  lost: number;
  reportedAsFailures: number;
  writesToDisallowedPrefix: number;
  streamsWithDisallowedPrefix: number;
  quotaBreaches: number;
  deletedBeforeDrain: number;
  /** Records accepted into a stream that was deleted before its drain instant (must be 0). */
  recordsInStreamsDeletedBeforeDrain: number;
  /** Streams deleted before their drain instant having accepted no record (far-ahead, I1). */
  emptyDeletedEarly: number;
  /** Hours whose records went to streams of two destination prefixes (I2; must be 0). */
  hoursOverTwoDestinations: number;
  /** The quota the stack ran with (the largest of its configurations). */
  quota: number;
  leaked: number;
  leftAfterTeardown: number;
  destroysForReplacements: number;
  replacementsForDestroys: number;
  lateStreamsFound: number;
  lateRunsHeld: number;
  created: number;
  createdByPrefix: Record<string, number>;
  deleted: number;
  recreatedFarAhead: number;
  maxStreams: number;
  violations: string[];
}

export async function runLifecycleSim(o: LifecycleOptions): Promise<LifecycleFigures> {
  const rng = new Rng(o.seed);
  const clock = SimClock.at(o.start ?? '2026-11-20T00:00:00Z');
  const stack = new SimStack(LIFECYCLE_BASE, o.sabotage === 'delete-is-destroy' ? undefined : o.sabotage);
  const observer = new FirehoseClient(clientConfig(o.endpoint));
  const s3 = new S3Client(clientConfig(o.endpoint));
  const control = controlPlaneClient({
    ...clientConfig(o.endpoint),
    callsPerSecond: 1e6,
    backoff: INSTANT_BACKOFF,
  });
  const router = new FirehoseClient(clientConfig(o.endpoint));
  const check = new LifecycleChecker(stack, clock, observer);
  onCommand(control, check.rotationHook);
  onCommand(router, check.routerHook);
  const lifecycle = new SimLifecycle(clock, control, s3, o.sabotage === 'delete-is-destroy');

  // Settings A: what the first `up` makes (bucket and fallback are Pulumi's), then its bootstrap run.
  stack.up({}, clock.now());
  const a = stack.settings;
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // Made by "Pulumi" (the observer's client), so the rotation checks count only the rotation's creates.
  await observer.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: a.fallbackStreamName,
      // moto never evaluates `!{…}`, so the simulated fallback has the static form of its prefix.
      ExtendedS3DestinationConfiguration: {
        RoleARN: a.deliveryRoleArn,
        BucketARN: a.bucketArn,
        Prefix: `${a.fallbackPrefix}/`,
      },
    }),
  );
  const run = async () => {
    const { result } = await rotate({ client: control, now: clock.now }, stack.settings);
    check.recreated += result.recreated.length;
    await check.prefixesInUse('after a rotation run');
  };
  await lifecycle.deployed(a);
  await run();

  let nextId = 0;
  const stats: EsmStats = {
    invocations: 0,
    retries: 0,
    resent: 0,
    badIdentifiers: 0,
    thrown: 0,
    onFailure: [],
  };
  const invoke = async (event: Parameters<typeof routeBatch>[0]) => {
    const deadline = clock.now().plus({ seconds: 57 });
    const deps = {
      client: router,
      now: clock.now,
      sleep: clock.sleep,
      deadline,
      random: rng.next,
      log: SILENT,
    };
    return (await routeBatch(event, deps, stack.settings)).response;
  };
  const hour = async (start: DateTime, upAt?: { minute: number; change: Partial<SettingsInput> }) => {
    clock.advanceTo(start.plus({ minutes: rng.int(0, 9) }));
    await run();
    const offsets = Array.from({ length: o.batchesPerHour }, () => rng.int(10 * 60_000, 3_599_000)).sort(
      (x, y) => x - y,
    );
    for (const offset of offsets) {
      if (upAt && offset >= upAt.minute * 60_000) {
        clock.advanceTo(start.plus({ minutes: upAt.minute }));
        await deploy(upAt.change);
        upAt = undefined;
      }
      clock.advanceTo(start.plus({ milliseconds: offset }));
      const batch: ShardRecord[] = [];
      for (let i = 0; i < o.recordsPerBatch; i++) {
        const id = nextId++;
        // Mostly now; some late (up to 2 h back: some still open, some for the fallback); some early.
        const r = rng.next();
        const skewMs =
          r < 0.8 ? -rng.int(0, 600_000) : r < 0.9 ? -rng.int(0, 7_200_000) : rng.int(0, 10_800_000);
        const body = JSON.stringify({
          id: `v-${String(id).padStart(7, '0')}`,
          timestamp: clock.now().plus(skewMs).toISO(),
        });
        batch.push({ sequenceNumber: sequenceNumber(id), data: Buffer.from(body), arrivedAt: clock.ms });
      }
      await deliverBatch(batch, invoke, 3, stats, () => clock.advance(2000));
    }
    if (upAt) {
      clock.advanceTo(start.plus({ minutes: upAt.minute }));
      await deploy(upAt.change);
    }
  };
  // The `up` to settings B: the role's policy changes first, then the functions, then the bootstrap.
  const deploy = async (change: Partial<SettingsInput>) => {
    const { previous } = stack.up(change, clock.now());
    await check.prefixesInUse('after the role update');
    const s = stack.settings;
    const fallbackChanged = (
      [
        'fallbackPrefix',
        'errorOutputPrefix',
        'bufferingSizeMiB',
        'bufferingIntervalSeconds',
        'compression',
      ] as const
    ).some((k) => previous && previous[k] !== s[k]);
    if (fallbackChanged) await updateFallback(control, s);
    await lifecycle.replaced(previous ?? s, s, run);
  };

  const t0 = clock.now();
  for (let h = 0; h < o.hoursBefore; h++) await hour(t0.plus({ hours: h }));
  await hour(t0.plus({ hours: o.hoursBefore }), { minute: 20, change: CHANGES[o.change] });
  for (let h = 1; h <= o.hoursAfter; h++) await hour(t0.plus({ hours: o.hoursBefore + h }));

  const leaked = await check.leakedStreams();
  const split = check.hoursSpanningDestinations();
  // Destroy: the router stops first (no more batches), then the lifecycle resource's delete.
  check.tearingDown = true;
  await lifecycle.destroyed(stack.settings);
  const left = (await check.names()).filter((n) => n !== a.fallbackStreamName);
  const r = await check.reconcile(s3, BUCKET, nextId, new Set(stats.onFailure));
  if (r.lost) check.violations.add(`${r.lost} records lost`);
  if (left.length) check.violations.add(`left after teardown: ${left.join(', ')}`);
  if (lifecycle.destroysForReplacements)
    check.violations.add(
      `${lifecycle.destroysForReplacements} replacement(s) of the lifecycle resource tore down`,
    );
  if (lifecycle.replacementsForDestroys)
    check.violations.add(
      `${lifecycle.replacementsForDestroys} destroy(s) taken for a replacement: nothing deleted`,
    );
  return {
    change: o.change,
    records: nextId,
    found: r.found,
    lost: r.lost,
    reportedAsFailures: stats.onFailure.length,
    writesToDisallowedPrefix: check.writesDisallowed,
    streamsWithDisallowedPrefix: check.streamsDisallowed.size,
    quotaBreaches: check.quotaBreaches,
    deletedBeforeDrain: check.deletedBeforeDrain,
    recordsInStreamsDeletedBeforeDrain: check.recordsInEarlyDeleted,
    emptyDeletedEarly: check.deletedEmptyEarly,
    hoursOverTwoDestinations: split.length,
    quota: stack.settings.quota,
    leaked: leaked.length,
    leftAfterTeardown: left.length,
    destroysForReplacements: lifecycle.destroysForReplacements,
    replacementsForDestroys: lifecycle.replacementsForDestroys,
    lateStreamsFound: lifecycle.lateStreamsFound,
    lateRunsHeld: lifecycle.lateRunsHeld,
    created: check.created,
    createdByPrefix: check.createdByPrefix,
    deleted: check.deleted,
    recreatedFarAhead: check.recreated,
    maxStreams: check.maxStreams,
    violations: check.violations.list,
  };
}

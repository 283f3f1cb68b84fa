// Destroy is said, not inferred, on moto (Firehose + S3): the function side of the lifecycle
// resource driven through create → replacement (the successor's deploy, then the old delete) →
// destroy, in the order Pulumi runs them. The old delete carries a lifecycle id no longer recorded
// and keeps every stream; the destroy removes every owned stream and spares the fallback and a
// foreign one. Then the teardown converging while a late scheduled run creates streams during
// its flush wait. Waits run on an injected clock; CREATING is covered in test/aws/teardown.test.ts.
import { expect } from 'chai';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import { rotate } from '../../rotation/aws/executor';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { LifecycleDeps, onDestroy, recordDeploy } from '../../rotation/aws/lifecycle';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { LIFECYCLE_RECORD_KEY, parseLifecycleRecord } from '../../rotation/core/lifecycle-event';
import { parseStreamName } from '../../rotation/core/names';
import { RotationSettings } from '../../rotation/core/settings';
import { isOpen } from '../../rotation/core/event-hour';
import { mayDelete } from '../../rotation/core/stream-deletion';
import { at, settings } from '../support/fixtures';
import { clientConfig, useMoto } from '../support/moto';

const NEW = settings({ quota: 20 });
/** The old function's settings: what it ran with before the replacement. */
const OLD = settings({ quota: 20, bufferingIntervalSeconds: 60, latenessMinutes: 30 });
const G1 = '11111111-1111-4111-8111-111111111111';
const G2 = '22222222-2222-4222-8222-222222222222';

describe('lifecycle on moto: replacement keeps, destroy removes', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let firehose: FirehoseClient;
  let s3: S3Client;
  let t: number;
  /** Runs when the clock passes `lateRunAt` (a late scheduled run during the teardown's wait). */
  let lateRun: { at: number; run: () => Promise<unknown> } | undefined;
  const clock = {
    now: () => DateTime.fromMillis(t, { zone: 'utc' }),
    sleep: async (ms: number) => {
      t += ms;
      if (lateRun && t >= lateRun.at) {
        const { run } = lateRun;
        lateRun = undefined;
        await run();
      }
    },
  };
  const deps = (): LifecycleDeps => ({ client: firehose, s3, ...clock });
  /** A deploy event as the handler runs it: record the lifecycle id, then rotate. */
  const deploy = async (s: RotationSettings, lifecycleId: string) => {
    await recordDeploy(deps(), s, lifecycleId);
    return rotate(deps(), s);
  };
  const destroy = (s: RotationSettings, lifecycleId: string) =>
    onDestroy(deps(), s, lifecycleId, { deadlineMs: t + 840_000 });
  const owned = async () => (await listStreamNames(firehose)).filter((n) => parseStreamName('events', n));

  beforeEach(async () => {
    firehose = controlPlaneClient({ ...clientConfig(moto.endpoint), callsPerSecond: 1000 });
    s3 = new S3Client(clientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    for (const name of ['events-fallback', 'foreign-stream'])
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          ExtendedS3DestinationConfiguration: { RoleARN: NEW.deliveryRoleArn, BucketARN: NEW.bucketArn },
        }),
      );
    lateRun = undefined;
    // The first `up` (lifecycle id G1), then an hour of a running pipeline: open, draining and
    // far-ahead streams exist.
    t = Date.parse('2026-11-22T04:30:00Z');
    await deploy(OLD, G1);
    await rotate({ client: firehose, now: () => at('2026-11-22T05:30:00Z') }, OLD);
    t = Date.parse('2026-11-22T05:40:00Z');
  });

  it('a replacement (successor deployed, then the old delete) keeps every stream; destroy then removes them', async () => {
    const before = await listStreamNames(firehose);
    // 1. `pulumi up --replace` (or a renamed resource): the successor's create deploys G2 with the
    //    new function and settings.
    await deploy(NEW, G2);
    const afterCreate = await listStreamNames(firehose);
    // 2. The old resource's delete: destroy G1, to the old function with the OLD settings.
    const outcome = await destroy(OLD, G1);
    expect(outcome).to.deep.equal({ action: 'superseded', generation: G1, recorded: G2, deleted: [] });
    expect(await listStreamNames(firehose)).to.deep.equal(afterCreate);
    const live = before.filter((n) => {
      const hour = parseStreamName('events', n);
      return hour && (isOpen(hour, clock.now(), OLD) || !mayDelete(hour, clock.now(), OLD));
    });
    expect(live.length).to.be.greaterThan(10);
    expect(afterCreate).to.include.members(live);

    // 3. `pulumi destroy`: the delete of the current resource, G2. quota 20 − fallback − foreign −
    //    the reserve = 17 owned streams.
    const ours = await owned();
    expect(ours).to.have.length(17);
    const start = t;
    const down = await destroy(NEW, G2);
    expect(down).to.deep.include({ action: 'teardown', generation: G2, flushWaitSeconds: 300 + 120 });
    expect(down).to.deep.include({ foundLate: [], lists: 2 });
    expect((t - start) / 1000).to.equal(420);
    expect([...down.deleted].sort()).to.deep.equal([...ours].sort());
    expect(await listStreamNames(firehose)).to.deep.equal(['events-fallback', 'foreign-stream']);
    // The record says the destroy (scheduled runs hold); a later delete of G2 would tear down again.
    const record = await s3.send(new GetObjectCommand({ Bucket: 'demo-lake', Key: LIFECYCLE_RECORD_KEY }));
    const text = await record.Body!.transformToString();
    expect(parseLifecycleRecord(text)).to.deep.equal({
      lifecycleId: G2,
      deployedAt: '2026-11-22T05:40:00.000Z',
      destroyedAt: '2026-11-22T05:40:00.000Z',
    });
    // The stored bytes, field names and order: wire names that deployed stacks read (kept).
    expect(text).to.equal(
      `{"generation":"${G2}","deployedAt":"2026-11-22T05:40:00.000Z","destroyedAt":"2026-11-22T05:40:00.000Z"}\n`,
    );
  });

  it('a late scheduled run that creates streams during the flush wait is found and deleted: 0 left', async () => {
    const ours = await owned();
    // At 07:30 hours 04 and 05 are drained: the teardown deletes them at once. Four minutes into the
    // wait, a scheduled run that was already past its hold check when the destroy began (see
    // rotation-handler.moto.test.ts for one that is not) finds those slots free and fills them.
    t = Date.parse('2026-11-22T07:30:00Z');
    lateRun = { at: t + 240_000, run: () => rotate({ client: firehose, now: clock.now }, NEW) };
    const down = await destroy(NEW, G1);
    expect(down.action).to.equal('teardown');
    if (down.action !== 'teardown') return;
    expect(lateRun).to.equal(undefined); // it ran
    // Hours 21 and 22 (the two slots 04 and 05 left) were made during the wait, then deleted too.
    expect(down.foundLate).to.deep.equal(['events-2026112221', 'events-2026112222']);
    expect(down.flushWaitSeconds).to.equal(420);
    expect(down.lists).to.equal(3);
    expect(await owned()).to.deep.equal([]);
    expect(await listStreamNames(firehose)).to.deep.equal(['events-fallback', 'foreign-stream']);
    expect([...down.deleted].sort()).to.deep.equal(
      [...ours, 'events-2026112221', 'events-2026112222'].sort(),
    );
  });

  it('no record (nothing newer ever claimed the deployment) is a destroy; a record that is not ours fails', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'demo-lake', Key: LIFECYCLE_RECORD_KEY, Body: '{"generation":"x"}' }),
    );
    let error: unknown;
    await destroy(NEW, G1).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal(`${LIFECYCLE_RECORD_KEY}: generation is missing or not a UUID`);
    expect(await owned()).to.have.length(17); // nothing deleted on a record it cannot read

    const fresh = new S3Client(clientConfig(moto.endpoint));
    await fresh.send(new CreateBucketCommand({ Bucket: 'other-lake' }));
    const elsewhere = settings({ quota: 20, bucketArn: 'arn:aws:s3:::other-lake' });
    const down = await destroy(elsewhere, G1);
    expect(down).to.deep.include({ action: 'teardown', generation: G1 });
    expect(await owned()).to.deep.equal([]);
    const record = await s3.send(new GetObjectCommand({ Bucket: 'demo-lake', Key: LIFECYCLE_RECORD_KEY }));
    expect(await record.Body!.transformToString()).to.equal('{"generation":"x"}');
  });
});

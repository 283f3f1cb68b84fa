// Replacement is not destroy, on moto: the provider replaces an aws.lambda.Invocation by creating
// the new one (tf.action "create": a rotation) and then deleting the old one (tf.action "delete",
// sent to the old function with its old settings). While the rotation's schedule exists that
// delete must keep every stream; once Pulumi has deleted the schedule (a destroy) it removes all.
// The flush wait runs on an injected clock; CREATING is covered in test/aws/teardown.test.ts.
import { expect } from 'chai';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DateTime } from 'luxon';
import { listStreamNames, rotate } from '../../rotation/aws/executor';
import { onLifecycleDelete } from '../../rotation/aws/lifecycle';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { parseStreamName } from '../../rotation/core/names';
import { RotationSettings } from '../../rotation/core/settings';
import { isOpen, mayDelete } from '../../rotation/core/time-window';
import { at, settings } from '../support/fixtures';
import { clientConfig, useMoto } from '../support/moto';

const NEW = settings({ quota: 20 });
/** The old function's settings: what it ran with before the replacement. */
const OLD = settings({ quota: 20, bufferingIntervalSeconds: 60, latenessMinutes: 30 });

describe('lifecycle on moto: replacement keeps, destroy removes', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let firehose: FirehoseClient;
  let scheduler: SchedulerClient;
  let t: number;
  const clock = {
    now: () => DateTime.fromMillis(t, { zone: 'utc' }),
    sleep: async (ms: number) => void (t += ms),
  };

  beforeEach(async () => {
    firehose = controlPlaneClient({ ...clientConfig(moto.endpoint), callsPerSecond: 1000 });
    scheduler = new SchedulerClient(clientConfig(moto.endpoint));
    for (const name of ['events-fallback', 'foreign-stream'])
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          ExtendedS3DestinationConfiguration: { RoleARN: NEW.deliveryRoleArn, BucketARN: NEW.bucketArn },
        }),
      );
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'events-rotation',
        ScheduleExpression: 'rate(1 hour)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:rot', RoleArn: NEW.deliveryRoleArn },
      }),
    );
    // Two hours of a running pipeline: open, draining and far-ahead streams exist.
    for (const iso of ['2026-11-22T04:30:00Z', '2026-11-22T05:30:00Z'])
      await rotate({ client: firehose, now: () => at(iso) }, OLD);
    t = Date.parse('2026-11-22T05:40:00Z');
  });

  const deleteEvent = (s: RotationSettings) =>
    onLifecycleDelete({ client: firehose, scheduler, ...clock }, s, { deadlineMs: t + 840_000 });

  it('create-new-then-delete-old, in the provider order, leaves every open and draining stream', async () => {
    const before = await listStreamNames(firehose);
    // 1. The new invocation (new function, new settings) is created: a rotation.
    await rotate({ client: firehose, now: clock.now }, NEW);
    const afterCreate = await listStreamNames(firehose);
    // 2. The old invocation is deleted: the old function gets tf.action "delete" with OLD settings.
    const outcome = await deleteEvent(OLD);
    expect(outcome).to.deep.equal({ action: 'replaced', deleted: [], schedule: 'events-rotation' });
    const after = await listStreamNames(firehose);
    expect(after).to.deep.equal(afterCreate);
    const live = before.filter((n) => {
      const hour = parseStreamName('events', n);
      return hour && (isOpen(hour, clock.now(), OLD) || !mayDelete(hour, clock.now(), OLD));
    });
    expect(live.length).to.be.greaterThan(10);
    expect(after).to.include.members(live);
    expect(after).to.include.members(['events-fallback', 'foreign-stream']);
  });

  it('after Pulumi deleted the schedule (destroy), the delete waits for the buffers and removes every owned stream', async () => {
    const owned = (await listStreamNames(firehose)).filter((n) => parseStreamName('events', n));
    expect(owned).to.have.length(18);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'events-rotation' }));
    const start = t;
    const outcome = await deleteEvent(NEW);
    expect(outcome).to.deep.include({ action: 'teardown', flushWaitSeconds: 300 + 120 });
    expect((t - start) / 1000).to.equal(420);
    expect([...(outcome.deleted as string[])].sort()).to.deep.equal([...owned].sort());
    expect(await listStreamNames(firehose)).to.deep.equal(['events-fallback', 'foreign-stream']);
  });
});

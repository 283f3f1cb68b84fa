// The rotation Lambda handler in-process against moto: settings from its environment, the SDK's
// standard endpoint variable, EMF metrics on stdout, the lifecycle events (deploy, destroy, a
// legacy Invocation delete). What moto cannot show: the scheduler firing,
// IAM conditions, EventBridge rules delivering the event (only PutEvents acceptance is checked).
import { expect } from 'chai';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  FirehoseClient,
} from '@aws-sdk/client-firehose';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { SETTINGS_ENV } from '../../rotation/core/settings';
import { LIFECYCLE_RECORD_KEY } from '../../rotation/core/lifecycle-event';
import { RotationSummary } from '../../rotation/core/rotation-summary';
import { capturingJson, emfDocuments } from '../support/capture-stdout';
import { loadModule } from '../support/load-module';
import { clientConfig, TEST_REGION, useMoto } from '../support/moto';

const ROTATION_HANDLER = require.resolve('../../rotation/handlers/rotate');
import { BASE_SETTINGS } from '../support/fixtures';

const G1 = '11111111-1111-4111-8111-111111111111';
const G2 = '22222222-2222-4222-8222-222222222222';

type Handler = (typeof import('../../rotation/handlers/rotate'))['handler'];

describe('rotation handler on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  const saved = { ...process.env };
  let handler: Handler;
  let clock: number;
  const realNow = Date.now;

  beforeEach(async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      // A small quota keeps this test at ~40 control-plane calls under the real 5 calls/s pacing.
      [SETTINGS_ENV]: JSON.stringify({ ...BASE_SETTINGS, quota: 10 }),
    });
    // A fresh module scope per test: the handler reads its settings at module load.
    handler = loadModule<{ handler: Handler }>(ROTATION_HANDLER, { fresh: true }).handler;
    const s3 = new S3Client(clientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    const firehose = new FirehoseClient(clientConfig(moto.endpoint));
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'events-fallback',
        ExtendedS3DestinationConfiguration: {
          RoleARN: BASE_SETTINGS.deliveryRoleArn,
          BucketARN: BASE_SETTINGS.bucketArn,
        },
      }),
    );
  });
  afterEach(() => {
    process.env = { ...saved };
    Date.now = realNow;
  });

  it('deploys (records the lifecycle id, rotates), signals drained hours, publishes metrics, ignores a legacy delete and tears down on destroy', async () => {
    // The handler uses the system clock; luxon reads Date.now, so the test pins it.
    clock = Date.parse('2026-11-21T23:30:00Z');
    Date.now = () => clock;
    // The lifecycle resource's create: a deploy with its lifecycle id, then the bootstrap rotation.
    const first = await capturingJson(
      () => handler({ action: 'deploy', generation: G1 }) as Promise<RotationSummary>,
    );
    const recorded = await new S3Client(clientConfig(moto.endpoint)).send(
      new GetObjectCommand({ Bucket: 'demo-lake', Key: LIFECYCLE_RECORD_KEY }),
    );
    expect(JSON.parse(await recorded.Body!.transformToString())).to.deep.equal({
      generation: G1,
      deployedAt: '2026-11-21T23:30:00.000Z',
    });
    expect(first.value).to.deep.include({
      action: 'rotate',
      kept: 0,
      quota: 10,
      // serviceQuotaCode's default is read; moto has no Firehose entry, so the setting rules.
      quotaSource:
        '10 from the quota setting (Service Quotas has no entry (NoSuchResourceException (HTTP 400)))',
      fallbackMissing: false,
      streamsAfter: 9, // far-ahead hours leave the reserve (1) free
      quotaHeadroom: 1,
    });
    // Near-term first (current, next, the still-open previous hour), then forward.
    const firstHours = ['2026112123', '2026112200', '2026112122', '2026112201', '2026112202', '2026112203'];
    expect(first.value.created).to.deep.equal(
      [...firstHours, '2026112204', '2026112205'].map((h) => `events-${h}`),
    );
    expect(first.value.shortfall).to.have.length(18); // D 06h-23h: quota 10 is deliberately short

    clock = Date.parse('2026-11-22T00:30:00Z');
    const second = await capturingJson(() => handler({ action: 'rotate' }) as Promise<RotationSummary>);
    expect(second.value).to.deep.include({
      created: ['events-2026112206'],
      deleted: ['events-2026112122'],
      completed: ['2026112122'],
      streamsAfter: 9,
      quotaHeadroom: 1,
      tomorrowMissing: 24,
      nearTermShortfall: 0,
    });
    const [emf] = emfDocuments(second.lines);
    expect(emf._aws?.CloudWatchMetrics[0].Namespace).to.equal('FirehoseRotation');
    // The alarms of each stack select on its own deployment (several stacks in one account).
    expect(emf._aws?.CloudWatchMetrics[0].Dimensions).to.deep.equal([['service', 'deployment']]);
    expect([emf.service, emf.deployment]).to.deep.equal(['rotation', 'demo/dev']);
    expect({
      created: emf.StreamsCreated,
      deleted: emf.StreamsDeleted,
      completed: emf.HoursCompleted,
      headroom: emf.QuotaHeadroom,
      streams: emf.StreamsInRegion,
      heartbeat: emf.RotationSucceeded,
      conflicts: emf.OwnershipConflicts,
      fallbackMissing: emf.FallbackMissing,
      nearTerm: emf.NearTermShortfall,
      signalsFailed: emf.HourSignalsFailed,
    }).to.deep.equal({
      nearTerm: 0,
      created: 1,
      deleted: 1,
      completed: 1,
      headroom: 1,
      streams: 9,
      heartbeat: 1,
      conflicts: 0,
      fallbackMissing: 0,
      signalsFailed: 0,
    });

    const s3 = new S3Client(clientConfig(moto.endpoint));
    const marker = await s3.send(
      new GetObjectCommand({ Bucket: 'demo-lake', Key: 'data/dt=2026-11-21/hr=22/_SUCCESS' }),
    );
    expect(JSON.parse(await marker.Body!.transformToString())).to.deep.equal({
      deploymentId: 'demo/dev',
      hour: '2026-11-21T22:00:00.000Z',
      bucket: 'demo-lake',
      prefix: 'data/dt=2026-11-21/hr=22/',
      stream: 'events-2026112122',
      completedAt: '2026-11-22T00:30:00.000Z',
    });

    // Upgrading from the aws.lambda.Invocation: removing it makes its provider send the (new)
    // function `tf.action = "delete"` with its input. Never a destroy: logged and ignored.
    const input = { source: 'pulumi', settingsSha256: 'ab' };
    const legacy = await capturingJson(() =>
      handler({ ...input, tf: { action: 'delete', prev_input: input } }),
    );
    expect(legacy.value).to.deep.equal({
      action: 'ignored',
      reason: 'legacy invocation delete',
      deleted: [],
    });
    expect(await listStreamNames(new FirehoseClient(clientConfig(moto.endpoint)))).to.have.length(9);

    // The delete of a replaced lifecycle resource: its lifecycle id is no longer the recorded one.
    const replaced = await capturingJson(() => handler({ action: 'destroy', generation: G2 }));
    expect(replaced.value).to.deep.equal({ action: 'superseded', generation: G2, recorded: G1, deleted: [] });
    expect(await listStreamNames(new FirehoseClient(clientConfig(moto.endpoint)))).to.have.length(9);

    // `pulumi destroy`: the recorded lifecycle id. A context with 60 s left (all of it the reserve)
    // leaves no time to wait for buffers: the outcome says so.
    const down = await capturingJson(() =>
      handler({ action: 'destroy', generation: G1 }, { getRemainingTimeInMillis: () => 60_000 }),
    );
    expect(down.value).to.deep.include({
      action: 'teardown',
      generation: G1,
      flushWaitSeconds: 0,
      foundLate: [],
      lists: 2,
      gaveUp:
        'buffers had 0 s of the 420 s they need to flush (buffering interval 300 s + 120 s): ' +
        'records the router wrote in its last 420 s may not reach S3',
    });
    expect((down.value as { deleted: string[] }).deleted).to.have.length(8);
    expect(await listStreamNames(new FirehoseClient(clientConfig(moto.endpoint)))).to.deep.equal([
      'events-fallback',
    ]);

    // A scheduled run landing after the destroy began (Lambda's retry of an hour-old event, after
    // the teardown's last list) creates nothing: it holds for 3,600 + 900 + 300 s.
    clock += 4_799_000;
    const late = await capturingJson(() => handler({}));
    expect(late.value).to.deep.equal({
      action: 'held',
      reason:
        'destroy of generation 11111111-1111-4111-8111-111111111111 began 2026-11-22T00:30:00.000Z: ' +
        'scheduled runs hold until 2026-11-22T01:50:00.000Z',
      created: [],
    });
    expect(emfDocuments(late.lines)).to.deep.equal([]); // no heartbeat: the alarm sees the hold
    expect(await listStreamNames(new FirehoseClient(clientConfig(moto.endpoint)))).to.have.length(1);
    // A second later the hold is over (a destroy that failed, then an `up`, rotates again).
    clock += 1000;
    const resumed = await capturingJson(() => handler({}) as Promise<RotationSummary>);
    expect(resumed.value.created.length).to.be.greaterThan(0);
    await handler({ action: 'teardown' });
  });

  it('a missing fallback: FallbackMissing 1, its slot kept free, the run completes', async () => {
    const firehose = new FirehoseClient(clientConfig(moto.endpoint));
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'events-fallback' }));
    clock = Date.parse('2026-11-21T23:30:00Z');
    Date.now = () => clock;
    const run = await capturingJson(() => handler({}) as Promise<RotationSummary>);
    // 10 - the fallback's slot - the reserve = 8 hourly streams.
    expect(run.value).to.deep.include({ fallbackMissing: true, streamsAfter: 8, quotaHeadroom: 2 });
    expect(emfDocuments(run.lines)[0].FallbackMissing).to.equal(1);
    await handler({ action: 'teardown' }); // clean up at once (a lifecycle delete would wait for buffers)
  });

  it('a missing event bus is reported (HourSignalsFailed) and never stops the creates', async () => {
    process.env[SETTINGS_ENV] = JSON.stringify({ ...BASE_SETTINGS, quota: 10, eventBusName: 'no-such-bus' });
    handler = loadModule<{ handler: Handler }>(ROTATION_HANDLER, { fresh: true }).handler;
    clock = Date.parse('2026-11-21T23:30:00Z');
    Date.now = () => clock;
    await capturingJson(() => handler({}) as Promise<RotationSummary>);
    clock = Date.parse('2026-11-22T00:30:00Z');
    const run = await capturingJson(() => handler({}) as Promise<RotationSummary>);
    // Quota 10 leaves no slot to spare, so the drained hour is deleted with its signal unsent.
    expect(
      run.value.signalFailures.map(({ error, ...f }) => ({ ...f, error: error.split(':')[0] })),
    ).to.deep.equal([
      {
        hour: '2026112122',
        stream: 'events-2026112122',
        action: 'deleted-unsignalled',
        error: 'ResourceNotFoundException',
        why: 'no quota slot to spare: a planned create needs it',
      },
    ]);
    // Far-ahead creates leave the reserve (1) free, so the first run made 8 streams (through 05).
    expect(run.value).to.deep.include({
      created: ['events-2026112206'],
      deleted: ['events-2026112122'],
      completed: [],
      notDeleted: [],
    });
    const [emf] = emfDocuments(run.lines);
    expect([emf.HourSignalsFailed, emf.RotationSucceeded]).to.deep.equal([1, 1]);
  });
});

// The rotation Lambda handler in-process against moto: settings from its environment, the SDK's
// standard endpoint variable, EMF metrics on stdout. What moto cannot show: the scheduler firing,
// IAM conditions, EventBridge rules delivering the event (only PutEvents acceptance is checked).
import { expect } from 'chai';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { listStreamNames } from '../../rotation/aws/executor';
import { SETTINGS_ENV } from '../../rotation/core/settings';
import { RotationSummary } from '../../rotation/core/rotation-summary';
import { clientConfig, TEST_REGION, useMoto } from '../support/moto';
import { BASE_SETTINGS } from '../support/fixtures';

type Handler = (typeof import('../../rotation/handlers/rotation'))['handler'];

/** Runs fn while capturing stdout lines (Powertools writes logs and EMF there). */
async function capturing<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    return true;
  }) as typeof process.stdout.write;
  try {
    return { value: await fn(), lines };
  } finally {
    process.stdout.write = write;
  }
}

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
    delete require.cache[require.resolve('../../rotation/handlers/rotation')];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- fresh module scope per test
    handler = (require('../../rotation/handlers/rotation') as { handler: Handler }).handler;
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

  it('rotates, signals drained hours complete, publishes metrics, and tears down on tf.action=delete', async () => {
    // The handler uses the system clock; luxon reads Date.now, so the test pins it.
    clock = Date.parse('2026-11-21T23:30:00Z');
    Date.now = () => clock;
    const first = await capturing(() => handler({}) as Promise<RotationSummary>);
    expect(first.value).to.deep.include({
      action: 'rotate',
      kept: 0,
      quota: 10,
      streamsAfter: 10,
      quotaHeadroom: 0,
    });
    // Nearest first: current, next, the still-open previous hour, then forward.
    const firstHours = ['2026112123', '2026112200', '2026112122', '2026112201', '2026112202', '2026112203'];
    expect(first.value.created).to.deep.equal(
      [...firstHours, '2026112204', '2026112205', '2026112206'].map((h) => `events-${h}`),
    );
    expect(first.value.shortfall).to.have.length(17); // D 07h-23h: quota 10 is deliberately short

    clock = Date.parse('2026-11-22T00:30:00Z');
    const second = await capturing(() => handler({ action: 'rotate' }) as Promise<RotationSummary>);
    expect(second.value).to.deep.include({
      created: ['events-2026112207'],
      deleted: ['events-2026112122'],
      completed: ['2026112122'],
      streamsAfter: 10,
      quotaHeadroom: 0,
      tomorrowMissing: 24,
    });
    const emf = second.lines.map((l) => JSON.parse(l)).find((l) => l._aws);
    expect(emf._aws.CloudWatchMetrics[0].Namespace).to.equal('FirehoseRotation');
    expect({
      created: emf.StreamsCreated,
      deleted: emf.StreamsDeleted,
      completed: emf.HoursCompleted,
      headroom: emf.QuotaHeadroom,
      heartbeat: emf.RotationSucceeded,
      conflicts: emf.OwnershipConflicts,
      signalsFailed: emf.HourSignalsFailed,
    }).to.deep.equal({
      created: 1,
      deleted: 1,
      completed: 1,
      headroom: 0,
      heartbeat: 1,
      conflicts: 0,
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

    const down = await capturing(() => handler({ tf: { action: 'delete' } }));
    expect(down.value.deleted).to.have.length(9);
    expect(await listStreamNames(new FirehoseClient(clientConfig(moto.endpoint)))).to.deep.equal([
      'events-fallback',
    ]);
  });

  it('a missing event bus is reported (HourSignalsFailed) and never stops the creates', async () => {
    process.env[SETTINGS_ENV] = JSON.stringify({ ...BASE_SETTINGS, quota: 10, eventBusName: 'no-such-bus' });
    delete require.cache[require.resolve('../../rotation/handlers/rotation')];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- fresh module scope per test
    handler = (require('../../rotation/handlers/rotation') as { handler: Handler }).handler;
    clock = Date.parse('2026-11-21T23:30:00Z');
    Date.now = () => clock;
    await capturing(() => handler({}) as Promise<RotationSummary>);
    clock = Date.parse('2026-11-22T00:30:00Z');
    const run = await capturing(() => handler({}) as Promise<RotationSummary>);
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
    expect(run.value).to.deep.include({
      created: ['events-2026112207'],
      deleted: ['events-2026112122'],
      completed: [],
      notDeleted: [],
    });
    const emf = run.lines.map((l) => JSON.parse(l)).find((l) => l._aws);
    expect([emf.HourSignalsFailed, emf.RotationSucceeded]).to.deep.equal([1, 1]);
  });
});

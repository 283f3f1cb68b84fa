// Rotation against moto over HTTP with the real SDK. moto enforces 50 streams per Region, has no
// CREATING state and does not validate role or bucket ARNs: those parts are proven by the planner
// properties and the Pulumi tests, not here.
import { expect } from 'chai';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListTagsForDeliveryStreamCommand,
} from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { applyDeletes } from '../../rotation/aws/delete-pass';
import { discover, rotate, teardown } from '../../rotation/aws/executor';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { planRotation } from '../../rotation/core/planner';
import { OWNER_TAG, RotationSettings } from '../../rotation/core/settings';
import { clientConfig, useMoto } from '../support/moto';
import { at, settings } from '../support/fixtures';

const S = settings({
  bufferingSizeMiB: 2,
  bufferingIntervalSeconds: 60,
  compression: 'GZIP',
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  logGroupName: '/aws/kinesisfirehose/events',
  extraTags: { team: 'data' },
});

async function createPlain(client: FirehoseClient, name: string, tags?: Record<string, string>) {
  await client.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        RoleARN: S.deliveryRoleArn,
        BucketARN: S.bucketArn,
        Prefix: 'other/',
      },
      Tags: tags && Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

describe('rotation on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let client: FirehoseClient;
  // Fast pacing: moto does not throttle; the 5 calls/s pacing is proven in the client's unit tests.
  const deps = (iso: string, s: RotationSettings = S) => ({ client, now: () => at(iso), s });
  beforeEach(async () => {
    client = controlPlaneClient({ ...clientConfig(moto.endpoint), callsPerSecond: 1000 });
    await createPlain(client, S.fallbackStreamName);
  });

  it('a full rotation from empty creates 48 streams at 00:30, leaving the reserve; a second run is a no-op', async () => {
    const first = await rotate(deps('2026-11-22T00:30:00Z'), S);
    expect(first.result.created).to.have.length(48);
    expect(first.result.notCreated).to.deep.equal([]);
    expect(first.plan.shortfall).to.deep.equal(['2026112323']); // until 01:20, when D-1 23h drains
    expect(await listStreamNames(client)).to.have.length(49);

    const second = await rotate(deps('2026-11-22T00:45:00Z'), S);
    expect(second.result).to.deep.equal({
      created: [],
      deleted: [],
      completed: [],
      notCreated: [],
      notDeleted: [],
      recreated: [],
      signalFailures: [],
    });
    expect(second.plan.keeps).to.have.length(48);
  });

  it('10 foreign streams and a lookalike are counted and left alone', async () => {
    for (let i = 0; i < 10; i++) await createPlain(client, `other-team-${i}`, { owner: 'other' });
    await createPlain(client, 'events-2026112123', { owner: 'other' }); // our pattern, not our tags
    const before = await describeAll(client, ['other-team-0', 'other-team-9', 'events-2026112123']);

    const report = await rotate(deps('2026-11-23T01:30:00Z'), S);
    // 50 − fallback − 10 foreign − lookalike − the reserve = 37 slots for 48 needed hours.
    expect(report.result.created).to.have.length(37);
    expect(report.plan.shortfall).to.have.length(11);
    expect(report.result.notCreated).to.deep.equal([]);
    // Drained, so its tags were read for the ownership check: reported, at no extra call.
    expect(report.plan.conflicts).to.deep.equal(['events-2026112123']);
    expect(await listStreamNames(client)).to.have.length(49);
    expect(await describeAll(client, ['other-team-0', 'other-team-9', 'events-2026112123'])).to.deep.equal(
      before,
    );

    // A day later every drained stream of ours goes, the foreign ones stay.
    await rotate(deps('2026-11-24T03:30:00Z'), S);
    const names = await listStreamNames(client);
    expect(names.filter((n) => n.startsWith('other-team-'))).to.have.length(10);
    expect(names).to.include.members(['events-2026112123', 'events-fallback']);
  });

  it("a second stack's stream under our prefix is reported one hour before the router needs it", async () => {
    // Another deployment with the same streamPrefix made 06h first; our first run makes the rest.
    await createPlain(client, 'events-2026112206', { [OWNER_TAG]: 'other/stack' });
    const report = await rotate(deps('2026-11-22T05:30:00Z'), S);
    expect(report.plan.conflicts).to.deep.equal(['events-2026112206']);
    expect(report.result.created).to.not.include('events-2026112206');
    expect(report.result.deleted).to.deep.equal([]);
    const tags = await client.send(
      new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112206' }),
    );
    expect(tags.Tags).to.deep.equal([{ Key: OWNER_TAG, Value: 'other/stack' }]);
  });

  it('a run that died between its deletes and creates is completed by the next', async () => {
    await rotate(deps('2026-11-21T23:30:00Z'), S); // D-1 22h..D 23h: 26 streams
    const now = at('2026-11-22T00:30:00Z');
    const plan = planRotation(now, await discover(client, now, S), S);
    expect(plan.deletes.map((d) => d.name)).to.deep.equal(['events-2026112122']);
    expect(plan.creates).to.have.length(23);
    // The run's deletes, then a crash before its creates.
    await applyDeletes({ client, now: () => now }, plan.deletes, S, { deleted: [], notDeleted: [] });

    const next = await rotate(deps('2026-11-22T00:31:00Z'), S);
    expect(next.result.deleted).to.deep.equal([]);
    expect(next.result.created).to.deep.equal(plan.creates.map((c) => c.name));
    const names = await listStreamNames(client);
    expect(names).to.have.length(49);
    expect(names).to.not.include('events-2026112122');
  });

  it('created streams carry the settings and the ownership tags (read back)', async () => {
    await rotate(deps('2026-11-22T05:10:00Z'), S);
    const out = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112206' }),
    );
    const d = out.DeliveryStreamDescription!;
    expect(d.DeliveryStreamType).to.equal('DirectPut');
    const s3 = d.Destinations![0].ExtendedS3DestinationDescription!;
    expect({
      RoleARN: s3.RoleARN,
      BucketARN: s3.BucketARN,
      Prefix: s3.Prefix,
      ErrorOutputPrefix: s3.ErrorOutputPrefix,
      BufferingHints: s3.BufferingHints,
      CompressionFormat: s3.CompressionFormat,
      EncryptionConfiguration: s3.EncryptionConfiguration,
      CloudWatchLoggingOptions: s3.CloudWatchLoggingOptions,
    }).to.deep.equal({
      RoleARN: 'arn:aws:iam::123456789012:role/demo-delivery',
      BucketARN: 'arn:aws:s3:::demo-lake',
      Prefix: 'data/dt=2026-11-22/hr=06/',
      ErrorOutputPrefix: 'errors/2026112206/',
      BufferingHints: { SizeInMBs: 2, IntervalInSeconds: 60 },
      CompressionFormat: 'GZIP',
      EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: S.kmsKeyArn } },
      CloudWatchLoggingOptions: {
        Enabled: true,
        LogGroupName: '/aws/kinesisfirehose/events',
        LogStreamName: 'DestinationDelivery',
      },
    });
    const tags = await client.send(
      new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112206' }),
    );
    expect(tags.Tags).to.deep.equal([
      { Key: 'team', Value: 'data' },
      { Key: 'firehose-rotation:deployment', Value: 'demo/dev' },
      { Key: 'firehose-rotation:managed-by', Value: 'rotation' },
      { Key: 'firehose-rotation:hour', Value: '2026112206' },
      { Key: 'firehose-rotation:config', Value: '3cc085c54ef67111' }, // configDigest(S)
    ]);
  });

  it('a quota setting above the real one ends in a reported shortfall, not an error, with no retry', async () => {
    for (let i = 0; i < 5; i++) await createPlain(client, `other-team-${i}`);
    const attempts: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        attempts.push(context.commandName!);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'countAttempts' },
    );
    const tooHigh = settings({ ...S, quota: 60 }); // the account really has 50 (moto)
    const report = await rotate(deps('2026-11-22T00:30:00Z', tooHigh), tooHigh);
    expect(report.plan.creates).to.have.length(49);
    // 44 fit moto's 50; the refusal shows the real quota, and the farthest stream made is given
    // back so the reserve (1) stays free for near-term hours: far-ahead creates never pass 49.
    expect(report.result.created).to.deep.equal(report.plan.creates.slice(0, 43).map((c) => c.name));
    expect(report.result.notCreated).to.deep.equal([
      ...report.plan.creates.slice(44).map((c) => ({ name: c.name, reason: 'quota reached' })),
      {
        name: report.plan.creates[43].name,
        reason: 'quota: given back, the real stream quota is below the planned one',
      },
    ]);
    expect(await listStreamNames(client)).to.have.length(50 - tooHigh.reserveStreams);
    // 44 successes + 1 LimitExceededException, not retried, and no attempt after it.
    expect(attempts.filter((c) => c === 'CreateDeliveryStreamCommand')).to.have.length(45);
    expect(attempts.filter((c) => c === 'DeleteDeliveryStreamCommand')).to.have.length(1);
  });

  it('teardown deletes every owned stream and nothing else', async () => {
    await createPlain(client, 'other-team-0');
    await createPlain(client, 'events-2026112210', { [`firehose-rotation:deployment`]: 'other/stack' });
    await rotate(deps('2026-11-22T05:10:00Z'), S);
    const result = await teardown({ client, now: () => DateTime.utc() }, S);
    // 04h (still open at 05:10) to 23h of D minus the lookalike 10h, and 24 of D+1: 19 + 24. The
    // reserve does not bind: 50 − fallback − other-team-0 − lookalike − reserve = 46 ≥ 43.
    expect(result.deleted).to.have.length(43);
    expect((await listStreamNames(client)).sort()).to.deep.equal([
      'events-2026112210',
      'events-fallback',
      'other-team-0',
    ]);
  });
});

async function describeAll(client: FirehoseClient, names: string[]) {
  const out = [];
  for (const name of names) {
    const d = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    const { CreateTimestamp, LastUpdateTimestamp, ...rest } = d.DeliveryStreamDescription!;
    void CreateTimestamp;
    void LastUpdateTimestamp;
    out.push(rest);
  }
  return out;
}

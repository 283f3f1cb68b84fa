// Rotation with two streams per hour on moto (quota 50, which moto enforces): every hour of the
// plan gets both of its streams within the quota, a drained hour loses both after one hour-complete
// signal, and lowering N back to 1 keeps the siblings until their hours have drained.
import { expect } from 'chai';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListTagsForDeliveryStreamCommand,
} from '@aws-sdk/client-firehose';
import { rotate, teardown } from '../../rotation/aws/executor';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { generationOf, nextFormers } from '../../rotation/core/generations';
import { clientConfig, useMoto } from '../support/moto';
import { at, settings } from '../support/fixtures';

// 21 hours ahead is the most two streams per hour fit in quota 50 (docs/sharing.md).
const S = settings({ streamsPerHour: 2, lookaheadHours: 21, bucketArn: 'arn:aws:s3:::lake' });

describe('rotation with streamsPerHour 2 on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let client: FirehoseClient;
  let s3: S3Client;
  let events: EventBridgeClient;
  const deps = (iso: string) => ({ client, now: () => at(iso), signals: { s3, events } });
  const hourly = async () => (await listStreamNames(client)).filter((n) => n !== 'events-fallback').sort();

  beforeEach(async () => {
    client = controlPlaneClient({ ...clientConfig(moto.endpoint), callsPerSecond: 1000 });
    s3 = new S3Client({ ...clientConfig(moto.endpoint), forcePathStyle: true });
    events = new EventBridgeClient(clientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'lake' }));
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'events-fallback',
        ExtendedS3DestinationConfiguration: { RoleARN: S.deliveryRoleArn, BucketARN: S.bucketArn },
      }),
    );
  });

  it('creates both streams of 23 hours (46 + fallback = 47 of 50), then deletes both of each drained hour', async () => {
    const first = await rotate(deps('2026-11-22T00:30:00Z'), S);
    // D-1 23h (still open), the current hour and 21 ahead: 23 hours × 2 streams.
    expect(first.result.created).to.have.length(46);
    expect(first.result.created.slice(0, 4)).to.deep.equal([
      'events-2026112200',
      'events-2026112200-1',
      'events-2026112201',
      'events-2026112201-1',
    ]);
    expect([first.plan.shortfall, first.result.notCreated]).to.deep.equal([[], []]);
    expect(await listStreamNames(client)).to.have.length(47);
    // A sibling is an hourly stream like index 0: same destination prefix, the hour in its tag.
    const sibling = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112205-1' }),
    );
    const prefix =
      sibling.DeliveryStreamDescription!.Destinations![0].ExtendedS3DestinationDescription!.Prefix;
    expect(prefix).to.equal('data/dt=2026-11-22/hr=05/');
    const tags = await client.send(
      new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112205-1' }),
    );
    expect(tags.Tags!.find((t) => t.Key === 'firehose-rotation:hour')?.Value).to.equal('2026112205');

    // 02:30: D-1 23h (drained 01:20) and 00h (drained 02:20) go, both streams each, one signal an hour.
    const later = await rotate(deps('2026-11-22T02:30:00Z'), S);
    expect(later.result.deleted.sort()).to.deep.equal([
      'events-2026112123',
      'events-2026112123-1',
      'events-2026112200',
      'events-2026112200-1',
    ]);
    expect(later.result.completed).to.deep.equal(['2026112123', '2026112200']);
    const marker = await s3.send(
      new GetObjectCommand({ Bucket: 'lake', Key: 'data/dt=2026-11-22/hr=00/_SUCCESS' }),
    );
    expect(JSON.parse(await marker.Body!.transformToString())).to.deep.include({
      hour: '2026-11-22T00:00:00.000Z',
    });
    // The lookahead moved two hours: 22h and 23h, both streams; never past the quota.
    expect(later.result.created.sort()).to.deep.equal([
      'events-2026112222',
      'events-2026112222-1',
      'events-2026112223',
      'events-2026112223-1',
    ]);
    expect(await listStreamNames(client)).to.have.length(47);
  });

  it('2 → 1: no sibling is created any more; near-term ones go with their hour once drained, far-ahead ones at once', async () => {
    await rotate(deps('2026-11-22T00:30:00Z'), S);
    const one = settings({
      lookaheadHours: 21,
      bucketArn: 'arn:aws:s3:::lake',
      formerGenerations: nextFormers(
        { current: generationOf(S), formers: [] },
        settings({ lookaheadHours: 21, bucketArn: 'arn:aws:s3:::lake' }),
        at('2026-11-22T01:20:00Z'),
      ),
    });
    const run = await rotate(deps('2026-11-22T02:30:00Z'), one);
    expect(run.result.deleted).to.include.members([
      'events-2026112123',
      'events-2026112123-1',
      'events-2026112200',
      'events-2026112200-1',
    ]);
    // 04h .. 21h are far-ahead at 02:30 (04h opens at 03:45): empty (I1), their siblings go at once;
    // their first streams keep theirs (streamsPerHour is not part of a stream's configuration).
    expect(run.plan.deletes.filter((d) => d.reason === 'unneeded')).to.have.length(18);
    expect(run.result.recreated).to.deep.equal([]);
    expect(run.result.created).to.deep.equal(['events-2026112222', 'events-2026112223']);
    // Siblings of 01h .. 03h (late, current, next) stay: they may hold records sent before the change.
    const names = await hourly();
    expect(names.filter((n) => n.endsWith('-1'))).to.deep.equal(
      ['01', '02', '03'].map((hh) => `events-20261122${hh}-1`),
    );
    expect(names).to.have.length(3 + 23);
    // At 23:30 every hour through 21h has drained (21h at 23:20): its sibling went with it.
    const evening = await rotate(deps('2026-11-22T23:30:00Z'), one);
    expect(evening.result.deleted.filter((n) => n.endsWith('-1'))).to.have.length(3);
    expect((await hourly()).filter((n) => n.endsWith('-1'))).to.deep.equal([]);
  });

  it("1 → 2: the next run adds every hour's sibling, current hour first, and leaves the old set as it was", async () => {
    const ten = { lookaheadHours: 10, bucketArn: 'arn:aws:s3:::lake' };
    const one = settings(ten);
    const first = await rotate(deps('2026-11-22T00:30:00Z'), one);
    expect(first.result.created).to.have.length(12); // D-1 23h, 00h and 10 hours ahead
    const before = await Promise.all(
      first.result.created.map((name) =>
        client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name })),
      ),
    );
    const two = settings({
      ...ten,
      streamsPerHour: 2,
      formerGenerations: nextFormers(
        { current: generationOf(one), formers: [] },
        settings({ ...ten, streamsPerHour: 2 }),
        at('2026-11-22T00:35:00Z'),
      ),
    });
    const run = await rotate(deps('2026-11-22T00:40:00Z'), two);
    expect(run.result.created.slice(0, 4)).to.deep.equal([
      'events-2026112200-1',
      'events-2026112201-1',
      'events-2026112123-1',
      'events-2026112202-1',
    ]);
    expect(run.result.created).to.have.length(12);
    expect([run.result.deleted, run.result.recreated, run.plan.shortfall]).to.deep.equal([[], [], []]);
    const after = await Promise.all(
      first.result.created.map((name) =>
        client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name })),
      ),
    );
    expect(after.map((a) => a.Tags)).to.deep.equal(before.map((b) => b.Tags));
    expect(await listStreamNames(client)).to.have.length(25);
  });

  it('teardown deletes every stream of ours, siblings included', async () => {
    await rotate(deps('2026-11-22T00:30:00Z'), S);
    const result = await teardown(deps('2026-11-22T00:40:00Z'), S);
    expect(result.deleted).to.have.length(46);
    expect(await listStreamNames(client)).to.deep.equal(['events-fallback']);
  });
});

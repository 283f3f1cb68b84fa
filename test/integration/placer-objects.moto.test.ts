// The placer's objects on moto: a GZIP fallback object written directly (moto's Firehose never
// compresses), cut into parts under small limits, read back and gunzipped line by line; the same
// keys and bytes on a second run; the amended event a consumer rule receives for a complete hour.
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { gunzipSync, gzipSync } from 'node:zlib';
import { placeObject, PlacerDeps, SourceObject } from '../../rotation/aws/placer';
import { EVENT_SOURCE } from '../../rotation/core/hour-complete';
import { HOUR_AMENDED_DETAIL_TYPE } from '../../rotation/core/hour-amended';
import { sourceTag } from '../../rotation/core/placement';
import { at, settings } from '../support/fixtures';
import { clientConfig, TEST_ACCOUNT, TEST_REGION, useMoto } from '../support/moto';

const S = settings({ compression: 'GZIP' });
const BUCKET = 'demo-lake';
const NOW = at('2026-11-22T07:20:00Z');
const rec = (id: string, timestamp: unknown) => `${JSON.stringify({ id, timestamp })}\n`;
const H03 = (id: string) => rec(id, '2026-11-22T03:10:00Z');
const H02 = (id: string) => rec(id, 1795314000); // 2026-11-22T02:20Z in epoch seconds

/** The fallback object: two late hours interleaved with every kind of line the placer keeps. */
const LINES = [
  H03('a1'),
  H02('b1'),
  '{"id":"x1","timestamp":\n', // not JSON (a truncated write)
  H03('a2'),
  '\ufeff{"id":"x2","timestamp":"2026-11-22T03:00:00Z"}\n', // byte-order mark
  '{\n', // a pretty-printed record: two lines, neither one JSON document
  '"id":"x3","timestamp":"2026-11-22T03:00:00Z"}\n',
  H03('a3'),
  '{"id":"x4"}\n', // no timestamp
  rec('x5', '2026-11-22 03:00'), // bad timestamp
  H02('b2'),
  H03('a4'),
];

describe('placer objects on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let s3: S3Client;
  let deps: PlacerDeps;
  let source: SourceObject;

  beforeEach(async () => {
    s3 = new S3Client(clientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const key = 'late/2026/11/22/07/events-fallback-1-2026-11-22-07-05-00-x.gz';
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: gzipSync(Buffer.from(`${LINES.join('')}{"torn`)),
      }),
    );
    source = { bucket: BUCKET, key, versionId: put.VersionId };
    // Two lines per object at most: hour 03's four records make two parts.
    const line = Buffer.byteLength(H03('a1'));
    deps = {
      clients: { s3, events: new EventBridgeClient(clientConfig(moto.endpoint)) },
      now: () => NOW,
      limits: { objectBytes: 2 * line, bufferBytes: 4 * line },
    };
  });

  async function placedObjects(): Promise<Record<string, string>> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'data/' }));
    const out: Record<string, string> = {};
    for (const { Key } of listed.Contents ?? []) {
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))
      ).Body!.transformToByteArray();
      out[Key!] = Key!.endsWith('.gz') ? gunzipSync(body).toString() : Buffer.from(body).toString();
    }
    return out;
  }

  it("writes each hour's records, bytes unchanged and in order, and keeps every other line", async () => {
    const result = await placeObject(deps, S, source);
    const tag = sourceTag(BUCKET, source.key, source.versionId!);
    expect(source.versionId).to.be.a('string');
    expect(await placedObjects()).to.deep.equal({
      [`data/dt=2026-11-22/hr=02/placed-${tag}-0000.gz`]: H02('b1') + H02('b2'),
      [`data/dt=2026-11-22/hr=03/placed-${tag}-0000.gz`]: H03('a1') + H03('a2'),
      [`data/dt=2026-11-22/hr=03/placed-${tag}-0001.gz`]: H03('a3') + H03('a4'),
    });
    expect(result.placed).to.equal(6);
    expect(result.kept).to.deep.equal({
      'not-json': 3,
      'byte-order-mark': 1,
      'no-timestamp': 1,
      'bad-timestamp': 1,
      unterminated: 1,
    });
    expect(result.amended).to.deep.equal([]);
    expect(result.bytesRead).to.equal(Buffer.byteLength(`${LINES.join('')}{"torn`));
  });

  it('writes the same keys with the same bytes when the notification comes again', async () => {
    const first = await placeObject(deps, S, source);
    const before = await placedObjects();
    const second = await placeObject(deps, S, source);
    expect(second.objects).to.deep.equal(first.objects);
    expect(await placedObjects()).to.deep.equal(before);
  });

  it('tells a consumer rule, at least once, that a complete hour got records', async () => {
    const logs = new CloudWatchLogsClient(clientConfig(moto.endpoint));
    const events = new EventBridgeClient(clientConfig(moto.endpoint));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/consumer/amended' }));
    await events.send(
      new PutRuleCommand({
        Name: 'amended',
        EventPattern: JSON.stringify({ source: [EVENT_SOURCE], 'detail-type': [HOUR_AMENDED_DETAIL_TYPE] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'amended',
        Targets: [
          { Id: 'log', Arn: `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/consumer/amended` },
        ],
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'data/dt=2026-11-22/hr=03/_SUCCESS', Body: '{}' }),
    );
    // A marker under a longer key that starts with the same characters must not count.
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'data/dt=2026-11-22/hr=02/_SUCCESS.tmp', Body: '{}' }),
    );

    const result = await placeObject(deps, S, source);
    expect(result.amended).to.deep.equal(['data/dt=2026-11-22/hr=03/']);
    const tag = sourceTag(BUCKET, source.key, source.versionId!);
    const received = await logs.send(new FilterLogEventsCommand({ logGroupName: '/consumer/amended' }));
    expect(received.events!.map((e) => (JSON.parse(e.message!) as { detail: unknown }).detail)).to.deep.equal(
      [
        {
          deploymentId: 'demo/dev',
          hour: '2026-11-22T03:00:00.000Z',
          bucket: BUCKET,
          prefix: 'data/dt=2026-11-22/hr=03/',
          objects: [
            `data/dt=2026-11-22/hr=03/placed-${tag}-0000.gz`,
            `data/dt=2026-11-22/hr=03/placed-${tag}-0001.gz`,
          ],
          recordsAdded: 4,
          source: `s3://${BUCKET}/${source.key}`,
          amendedAt: '2026-11-22T07:20:00.000Z',
        },
      ],
    );
  });

  it('reads nothing outside the fallback prefix or with a compression it cannot read', async () => {
    const outside = await placeObject(deps, S, { ...source, key: 'data/dt=2026-11-22/hr=03/x' });
    const snappy = await placeObject(deps, settings({ compression: 'Snappy' }), source);
    const otherBucket = await placeObject(deps, S, { ...source, bucket: 'another' });
    expect([outside.skipped, snappy.skipped, otherBucket.skipped]).to.deep.equal([
      'not under late/',
      'compression Snappy is not placeable',
      'not the lake bucket demo-lake',
    ]);
    expect(await placedObjects()).to.deep.equal({});
  });
});

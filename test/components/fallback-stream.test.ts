import { expect } from 'chai';
import { FallbackStream, FallbackStreamArgs } from '../../components/fallback-stream';
import { dependsOnNames, expectComponentTree } from './assertions';
import {
  ACCOUNT,
  inventory,
  one,
  promiseOf,
  recordOptions,
  REGION,
  resources,
  settle,
  useMocks,
} from './mocks';
import { SourceStream } from '../../components/source-stream';

const BUCKET = 'arn:aws:s3:::lake-bucket-0a1b2c3';
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/k-1`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/delivery`;
const ARGS: FallbackStreamArgs = {
  streamName: 'events-fallback',
  bucketArn: BUCKET,
  roleArn: ROLE,
  kmsKeyArn: KEY,
  logGroupName: 'delivery-logs',
  fallbackPrefix: 'late',
  errorOutputPrefix: 'errors',
  bufferingSizeMiB: 2,
  bufferingIntervalSeconds: 60,
  compression: 'GZIP',
};

describe('FallbackStream', () => {
  useMocks();

  it('is one encrypted extended_s3 stream with processing-time prefixes and logging', async () => {
    const fallback = new FallbackStream(
      'fb',
      { ...ARGS, tags: { team: 'data' }, deploymentId: 'team/prod' },
      { transformations: [recordOptions] },
    );
    await settle();
    expect(inventory()).to.deep.equal({ 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream': 1 });
    expectComponentTree(fallback, 'fb');
    expect(
      one('aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream', 'fb-stream').inputs,
    ).to.deep.equal({
      name: 'events-fallback',
      destination: 'extended_s3',
      serverSideEncryption: { enabled: true, keyType: 'AWS_OWNED_CMK' },
      extendedS3Configuration: {
        bucketArn: BUCKET,
        roleArn: ROLE,
        kmsKeyArn: KEY,
        prefix: 'late/!{timestamp:yyyy/MM/dd/HH}/',
        errorOutputPrefix: 'errors/fallback/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
        bufferingSize: 2,
        bufferingInterval: 60,
        compressionFormat: 'GZIP',
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: 'delivery-logs',
          logStreamName: 'FallbackDelivery',
        },
      },
      // The deployment it serves, for sharing; never the owner tag rotation deletes by.
      tags: { team: 'data', 'firehose-rotation:fallback-of': 'team/prod' },
    });
    expect(await promiseOf(fallback.streamName)).to.equal('events-fallback');
    expect(await promiseOf(fallback.streamArn)).to.equal(
      `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/events-fallback`,
    );
  });

  it('waits for the resources it is told to depend on', async () => {
    const other = new SourceStream('dep', { kmsKeyArn: KEY }, { transformations: [recordOptions] });
    new FallbackStream('fb', { ...ARGS, dependsOn: [other.stream] }, { transformations: [recordOptions] });
    await settle();
    expect(dependsOnNames('fb-stream')).to.deep.equal(['dep-stream']);
  });

  const invalid: [string, Partial<FallbackStreamArgs>, string][] = [
    [
      'a 65-character name',
      { streamName: 'x'.repeat(65) },
      `FallbackStream: streamName must be 1-64 characters of [a-zA-Z0-9_.-] (got "${'x'.repeat(65)}")`,
    ],
    [
      'a name with a slash',
      { streamName: 'a/b' },
      'FallbackStream: streamName must be 1-64 characters of [a-zA-Z0-9_.-] (got "a/b")',
    ],
    [
      'a trailing slash prefix',
      { fallbackPrefix: 'late/' },
      'FallbackStream: fallbackPrefix must be path segments of [a-zA-Z0-9!_.*\'()=-] joined by "/", without leading or trailing "/" (got "late/")',
    ],
    [
      'a 129 MiB buffer',
      { bufferingSizeMiB: 129 },
      'FallbackStream: bufferingSizeMiB must be an integer from 1 to 128 MiB (got 129)',
    ],
    [
      'a 901 s interval',
      { bufferingIntervalSeconds: 901 },
      'FallbackStream: bufferingIntervalSeconds must be an integer from 0 to 900 seconds (got 901)',
    ],
    [
      'an unknown compression',
      { compression: 'BROTLI' as never },
      'FallbackStream: compression must be one of UNCOMPRESSED, GZIP, Snappy, HADOOP_SNAPPY (got "BROTLI")',
    ],
    ['no role', { roleArn: '' }, 'FallbackStream: roleArn is required (got "")'],
    // No defaults of its own: the Pipeline passes the hourly streams' values, so they cannot differ.
    [
      'no buffering size',
      { bufferingSizeMiB: undefined },
      'FallbackStream: bufferingSizeMiB is required (got undefined)',
    ],
    ['no compression', { compression: undefined }, 'FallbackStream: compression is required (got undefined)'],
  ];
  for (const [what, args, message] of invalid) {
    it(`rejects ${what}`, async () => {
      expect(() => new FallbackStream('fb', { ...ARGS, ...args })).to.throw(message);
      await settle();
      expect(resources).to.deep.equal([]);
    });
  }
});

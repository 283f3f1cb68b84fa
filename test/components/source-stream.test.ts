import { expect } from 'chai';
import { SourceStream, SourceStreamArgs } from '../../components/source-stream';
import { expectComponentTree } from './assertions';
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

const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/k-1`;

describe('SourceStream', () => {
  useMocks();

  async function build(args: Partial<SourceStreamArgs> = {}) {
    const source = new SourceStream('src', { kmsKeyArn: KEY, ...args }, { transformations: [recordOptions] });
    await settle();
    return source;
  }

  it('is one KMS-encrypted on-demand stream with 24 h retention by default', async () => {
    const source = await build({ tags: { team: 'data' } });
    expect(inventory()).to.deep.equal({ 'aws:kinesis/stream:Stream': 1 });
    expect(one('aws:kinesis/stream:Stream', 'src-stream').inputs).to.deep.equal({
      encryptionType: 'KMS',
      kmsKeyId: KEY,
      retentionPeriod: 24,
      streamModeDetails: { streamMode: 'ON_DEMAND' },
      tags: { team: 'data' },
    });
    expectComponentTree(source, 'src');
    expect(source.retentionHours).to.equal(24);
    expect(await promiseOf(source.streamName)).to.equal('src-stream-0a1b2c3');
    expect(await promiseOf(source.streamArn)).to.equal(
      `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/src-stream-0a1b2c3`,
    );
  });

  it('provisioned mode sets the shard count and the retention', async () => {
    await build({ mode: 'PROVISIONED', shardCount: 4, retentionHours: 168 });
    expect(one('aws:kinesis/stream:Stream').inputs).to.include({ shardCount: 4, retentionPeriod: 168 });
    expect(one('aws:kinesis/stream:Stream').inputs.streamModeDetails).to.deep.equal({
      streamMode: 'PROVISIONED',
    });
  });

  const invalid: [string, Partial<SourceStreamArgs>, string][] = [
    [
      'a retention below 24 h',
      { retentionHours: 12 },
      'SourceStream: retentionHours must be an integer from 24 to 8760 hours (got 12)',
    ],
    [
      'an unknown mode',
      { mode: 'SERVERLESS' as never },
      'SourceStream: mode must be one of ON_DEMAND, PROVISIONED (got "SERVERLESS")',
    ],
    [
      'PROVISIONED without shards',
      { mode: 'PROVISIONED' },
      'SourceStream: shardCount is required when mode is PROVISIONED (an integer from 1 to 1000)',
    ],
    [
      'shards in ON_DEMAND',
      { shardCount: 2 },
      'SourceStream: shardCount must be unset when mode is ON_DEMAND (Kinesis scales the shards) (got 2)',
    ],
    [
      'zero shards',
      { mode: 'PROVISIONED', shardCount: 0 },
      'SourceStream: shardCount must be an integer from 1 to 1000 shards (got 0)',
    ],
    [
      'no key',
      { kmsKeyArn: '' },
      'SourceStream: kmsKeyArn is required: the stream is always KMS-encrypted (got "")',
    ],
  ];
  for (const [what, args, message] of invalid) {
    it(`rejects ${what}`, async () => {
      expect(() => new SourceStream('src', { kmsKeyArn: KEY, ...args })).to.throw(message);
      await settle();
      expect(resources).to.deep.equal([]);
    });
  }
});

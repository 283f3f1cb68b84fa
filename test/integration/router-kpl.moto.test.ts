// KPL aggregates on moto, through routeBatch and real PutRecordBatch calls, S3 read back byte for
// byte: each user record in its own hour, and each malformed aggregate — the magic then garbage, a
// wrong MD5, a protobuf cut short — in the fallback whole, exactly its bytes plus "\n", beside a
// good aggregate of the same batch, with nothing returned to Kinesis.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import { routeBatch } from '../../rotation/handlers/route-batch';
import { at } from '../support/fixtures';
import { kinesisEvent } from '../support/kinesis-event';
import { aggregate, badChecksum, magicThenGarbage, truncatedProtobuf } from '../support/kpl';
import { clientConfig, sharedMoto, useMoto } from '../support/moto';
import { BUCKET, MOTO_SETTINGS as S, provision } from '../support/router-moto';

const NOW = at('2026-11-22T05:20:00Z');
const ev = (id: string, hour: string) => JSON.stringify({ id, timestamp: `2026-11-22T${hour}:17:00Z` });
const GOOD = aggregate([{ data: ev('g1', '05') }, { data: ev('g2', '04') }, { data: ev('g3', '05') }]);
const BROKEN = aggregate([{ data: ev('b1', '05') }, { data: ev('b2', '04') }]);

/** Every object's bytes per static prefix (the part before Firehose's arrival-time path). */
async function bodies(s3: S3Client): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  for (const { Key } of page.Contents ?? []) {
    const prefix = /^(.*\/)\d{4}\/\d{2}\/\d{2}\/\d{2}\/[^/]+$/.exec(Key!)![1];
    const body = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
    out[prefix] = Buffer.concat([out[prefix] ?? Buffer.alloc(0), await body.Body!.transformToByteArray()]);
  }
  return out;
}

describe('router with KPL aggregates on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();

  // The reason's detail per case is asserted in test/core/packed-input.test.ts.
  const malformed: [string, Buffer][] = [
    ['the magic then garbage', magicThenGarbage(Buffer.from('{"id":"not an aggregate"}'))],
    ['a wrong MD5 checksum', badChecksum(BROKEN)],
    ['a truncated protobuf', truncatedProtobuf(BROKEN, 5)],
  ];
  for (const [name, data] of malformed) {
    it(`${name}: kept whole in the fallback, byte for byte; the good aggregate beside it de-aggregated`, async () => {
      await (await sharedMoto()).reset();
      await provision(moto.endpoint, S, NOW);
      const client = new FirehoseClient(clientConfig(moto.endpoint));
      const warnings: Record<string, unknown>[] = [];
      const summaries: Record<string, unknown>[] = [];
      const event = kinesisEvent([
        { sequenceNumber: '101', data: GOOD },
        { sequenceNumber: '102', data },
      ]);
      const { response, counts } = await routeBatch(
        event,
        {
          client,
          now: () => NOW,
          sleep: () => Promise.resolve(),
          deadline: NOW.plus({ minutes: 1 }),
          log: {
            info: (_m, extra) => summaries.push(extra),
            warn: (_m, extra) => warnings.push(extra),
            error: (m) => expect.fail(m),
          },
        },
        S,
      );
      client.destroy();
      expect(response.batchItemFailures).to.deep.equal([]);
      expect(counts.perReason).to.deep.equal({ hourly: 3, 'bad-aggregate': 1 });
      expect([summaries.length, warnings]).to.deep.equal([1, []]);
      const objects = await bodies(new S3Client(clientConfig(moto.endpoint)));
      expect(Object.keys(objects).sort()).to.deep.equal([
        'data/dt=2026-11-22/hr=04/',
        'data/dt=2026-11-22/hr=05/',
        'late/',
      ]);
      expect(objects['data/dt=2026-11-22/hr=05/'].toString()).to.equal(
        `${ev('g1', '05')}\n${ev('g3', '05')}\n`,
      );
      expect(objects['data/dt=2026-11-22/hr=04/'].toString()).to.equal(`${ev('g2', '04')}\n`);
      expect(objects['late/'].equals(Buffer.concat([data, Buffer.from('\n')]))).to.equal(true);
    });
  }
});

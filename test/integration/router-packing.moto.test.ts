// Packing on moto: the same Kinesis batch routed with packing on (the default) and off, each on a
// fresh moto, and S3 read back object by object. moto writes one object per PutRecordBatch, the
// records' bytes concatenated — as Firehose does within a buffer — so S3 shows exactly what packing
// changes: fewer, larger Firehose records, and nothing in the bytes.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import { hourPrefix } from '../../rotation/core/names';
import { RotationSettings } from '../../rotation/core/settings';
import { routeBatch } from '../../rotation/handlers/route-batch';
import { at, settings } from '../support/fixtures';
import { kinesisEvent } from '../support/kinesis-event';
import { clientConfig, sharedMoto, useMoto } from '../support/moto';
import { BUCKET, provision } from '../support/router-moto';
import { splitLines } from '../support/s3-readback';

// 05:50: hour 06 is open (from 05:45, earlyMinutes 15) and hour 04 still takes late records.
const NOW = at('2026-11-22T05:50:00Z');
const PACKED = settings({ compression: 'UNCOMPRESSED' });
const UNPACKED = settings({ compression: 'UNCOMPRESSED', recordPackingKiB: 0 });
const HOURS = ['2026-11-22T04', '2026-11-22T05', '2026-11-22T06', '2026-11-22T02' /* late */];

/** Record i: a JSON line of one of four hours, every 7th without its newline, every 11th not JSON. */
function record(i: number): string {
  if (i % 11 === 10) return `not json #${String(i).padStart(5, '0')}`;
  const text = JSON.stringify({
    id: `r${String(i).padStart(5, '0')}`,
    timestamp: `${HOURS[i % 4]}:17:00Z`,
    v: 'x'.repeat(i % 97),
  });
  return i % 7 ? `${text}\n` : text;
}

/** Object bodies per Firehose static prefix (the part before the arrival-time path). */
async function objects(s3: S3Client): Promise<Record<string, Buffer[]>> {
  const out: Record<string, Buffer[]> = {};
  const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  for (const { Key } of page.Contents ?? []) {
    const prefix = /^(.*\/)\d{4}\/\d{2}\/\d{2}\/\d{2}\/[^/]+$/.exec(Key!)![1];
    const body = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
    (out[prefix] ??= []).push(Buffer.from(await body.Body!.transformToByteArray()));
  }
  expect(page.IsTruncated).to.equal(false);
  return out;
}

describe('router packing on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();

  async function route(s: RotationSettings, count: number) {
    const server = await sharedMoto();
    await server.reset();
    await provision(moto.endpoint, s, NOW);
    const event = kinesisEvent(
      Array.from({ length: count }, (_, i) => ({ sequenceNumber: String(10_000 + i), data: record(i) })),
    );
    const client = new FirehoseClient(clientConfig(moto.endpoint));
    const deps = {
      client,
      now: () => NOW,
      sleep: () => Promise.resolve(),
      deadline: NOW.plus({ minutes: 1 }),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    };
    const { response, counts } = await routeBatch(event, deps, s);
    expect(response.batchItemFailures).to.deep.equal([]);
    return { counts, objects: await objects(new S3Client(clientConfig(moto.endpoint))) };
  }

  it('one call per stream either way: S3 objects are byte-for-byte identical with packing on and off', async () => {
    const packed = await route(PACKED, 1_200);
    const unpacked = await route(UNPACKED, 1_200);
    expect(Object.keys(packed.objects).sort()).to.deep.equal(
      [...HOURS.slice(0, 3).map((h) => hourPrefix('data', at(`${h}:00:00Z`))), 'late/'].sort(),
    );
    expect(packed.objects).to.deep.equal(unpacked.objects);
    expect([packed.counts.calls, unpacked.counts.calls]).to.deep.equal([4, 4]);
    expect(packed.counts.perReason).to.deep.equal(unpacked.counts.perReason);
  });

  it('more records than one unpacked call holds: the same lines per prefix, each object in source order, fewer calls', async () => {
    const packed = await route(PACKED, 4_000);
    const unpacked = await route(UNPACKED, 4_000);
    const lines = (o: Record<string, Buffer[]>) =>
      Object.fromEntries(
        Object.entries(o).map(([p, bodies]) => [
          p,
          bodies.flatMap((b) => splitLines(b.toString('utf8'))).sort(),
        ]),
      );
    expect(lines(packed.objects)).to.deep.equal(lines(unpacked.objects));
    for (const bodies of Object.values(packed.objects)) {
      for (const body of bodies) {
        const ids = splitLines(body.toString('utf8')).map((l) => /r?(\d{5})/.exec(l)![1]);
        expect(ids).to.deep.equal([...ids].sort());
      }
    }
    // 4,000 records: 2 calls unpacked for each stream over 500 records, 1 packed (all far under 4 MiB).
    expect([packed.counts.calls, unpacked.counts.calls]).to.deep.equal([4, 9]);
    expect(packed.counts).to.deep.equal({ ...unpacked.counts, calls: 4 });
  });
});

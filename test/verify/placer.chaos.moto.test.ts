// CI-sized part 2b of `npm run verify`: the router chaos (2,000 records), then the placer on every
// fallback object it left, each notified twice, under S3 faults that kill runs mid-object; and a
// sabotaged bucket that proves the reconciliation sees a record placed twice.
import { CopyObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { runPlacerSim } from '../../verify/placer-sim';
import { runRouterSim } from '../../verify/router-sim';
import { clientConfig, useMoto } from '../support/moto';

describe('verify: the placer after the router chaos (CI size)', function () {
  this.timeout(180_000);
  const moto = useMoto();
  const chaos = () =>
    runRouterSim({
      endpoint: moto.endpoint,
      records: 2000,
      seed: 11,
      hours: 4,
      batchSize: 250,
      maxRetries: 3,
      partialCallRate: 0.2,
      partialEntryRate: 0.1,
      wireFaultRate: 0.05,
      deleteEvery: 40,
    });
  const place = (f: Awaited<ReturnType<typeof chaos>>, faultRate: number) =>
    runPlacerSim({
      endpoint: moto.endpoint,
      settings: f.settings,
      producer: f.producer,
      seed: 11,
      faultRate,
      now: DateTime.fromISO('2026-12-01T00:00:00Z', { zone: 'utc' }),
    });

  it('places every fallback copy with an event time once: placed twice 0, lost 0, misplaced 0', async () => {
    const f = await chaos();
    expect(f.violations).to.deep.equal([]);
    const p = await place(f, 0.3);
    expect(p.violations).to.deep.equal([]);
    expect([p.placedTwice, p.lost, p.misplaced]).to.deep.equal([0, 0, 0]);
    expect(p.placedLines).to.equal(p.placeable);
    expect(p.placeable).to.be.above(100);
    expect(p.fallbackLines).to.be.above(p.placeable); // unparseable ones stay
    // The faults really happened, crashes mid-object included.
    expect(p.faults['torn-read']).to.be.above(0);
    expect(p.faults['put-lost-response']).to.be.above(0);
    expect(p.failedAttempts).to.be.above(0);
    expect(p.deliveries).to.equal(2 * p.fallbackObjects);
  });

  it('sees a placed object written under a second key as records placed twice', async () => {
    const f = await chaos();
    await place(f, 0);
    const s3 = new S3Client(clientConfig(moto.endpoint));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'verify-lake', Prefix: 'data/' }));
    const placed = listed.Contents!.map((o) => o.Key!).find((k) => /\/placed-[0-9a-f]{16}-0000$/.test(k))!;
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'verify-lake',
        Key: placed.replace(/placed-[0-9a-f]{16}/, 'placed-ffffffffffffffff'),
        CopySource: `verify-lake/${placed}`,
      }),
    );
    const p = await place(f, 0);
    expect(p.placedTwice).to.be.above(0);
    expect([p.lost, p.misplaced]).to.deep.equal([0, 0]);
    expect(p.violations[0]).to.equal(`${p.placedTwice} placed copies beyond the fallback's`);
  });
});

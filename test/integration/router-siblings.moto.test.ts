// Two streams per hour against moto: the spread by partition key, and a sibling that does not exist
// yet, whose share moto's real ResourceNotFoundException sends to index 0 of the same hour. The
// streams are made here from the rotation's own create request (stream-config), so the test does
// not depend on how many hours the rotation plans with N = 2 under moto's quota of 50.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import { hourlyStreamRequest } from '../../rotation/aws/stream-config';
import { hourPrefix } from '../../rotation/core/names';
import { routeBatch, RouterDeps } from '../../rotation/handlers/route-batch';
import { at, settings } from '../support/fixtures';
import { kinesisEvent } from '../support/kinesis-event';
import { clientConfig, useMoto } from '../support/moto';
import { expectedContents, readBack } from '../support/s3-readback';

const NOW = at('2026-11-22T05:20:00Z');
const HOUR = at('2026-11-22T05:00:00Z');
const S2 = settings({ compression: 'UNCOMPRESSED', streamsPerHour: 2, bucketArn: 'arn:aws:s3:::demo-lake' });
const line = (id: string) => `${JSON.stringify({ id, timestamp: '2026-11-22T05:30:00Z' })}\n`;
// kinesisEvent keys record i as pk-<i>: with N = 2, pk-0 and pk-2 hash to index 1, pk-1 and pk-3 to 0.
const LINES = ['a', 'b', 'c', 'd'].map(line);

describe('router on moto, two streams per hour', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let setup: FirehoseClient;
  let s3: S3Client;
  // Not recorded for the IAM ledger: PutRecordBatch on sibling names is proven by
  // test/iam/streams-per-hour.test.ts.
  const deps = (): RouterDeps => ({
    client: new FirehoseClient(clientConfig(moto.endpoint)),
    now: () => NOW,
    sleep: () => Promise.resolve(),
    deadline: NOW.plus({ minutes: 1 }),
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const createStream = (name: string) =>
    setup.send(
      new CreateDeliveryStreamCommand({ ...hourlyStreamRequest(S2, HOUR), DeliveryStreamName: name }),
    );

  beforeEach(async () => {
    setup = new FirehoseClient(clientConfig(moto.endpoint));
    s3 = new S3Client(clientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    await createStream('events-2026112205');
  });

  it('with both streams: the records of a key go to its stream, all under the hour partition', async () => {
    await createStream('events-2026112205-1');
    const event = kinesisEvent(LINES.map((data, i) => ({ sequenceNumber: String(300 + i), data })));
    const { response, counts } = await routeBatch(event, deps(), S2);
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(counts.perStream).to.deep.equal({ 'events-2026112205': 2, 'events-2026112205-1': 2 });
    const prefix = hourPrefix('data', HOUR);
    expect(await readBack(s3, 'demo-lake')).to.deep.equal(
      expectedContents(
        LINES.map((l) => [prefix, l]),
        { [prefix]: 2 }, // one object per stream: moto writes each call as one object
      ),
    );
  });

  it("a sibling not created yet: moto's ResourceNotFoundException sends its share to index 0", async () => {
    const event = kinesisEvent(LINES.map((data, i) => ({ sequenceNumber: String(400 + i), data })));
    const { response, counts } = await routeBatch(event, deps(), S2);
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect([counts.perStream, counts.perReason]).to.deep.equal([{ 'events-2026112205': 4 }, { hourly: 4 }]);
    const prefix = hourPrefix('data', HOUR);
    expect(await readBack(s3, 'demo-lake')).to.deep.equal(
      expectedContents(
        LINES.map((l) => [prefix, l]),
        { [prefix]: 2 }, // index 0's own call, then the moved share's
      ),
    );
  });
});

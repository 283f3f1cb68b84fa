// The router against moto over HTTP with the real SDK: hourly streams made by the rotation
// executor, the fallback as Pulumi would make it, records sent through routeBatch, and S3 read back
// object by object. moto writes each PutRecordBatch as one object at once: S3 holds what was sent.
// moto accepts more than AWS does (501 records a call, any record size): the limits are proven in
// the delivery tests with a fake that counts, and only observed here.
import { S3Client } from '@aws-sdk/client-s3';
import { DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import { hourPrefix } from '../../rotation/core/names';
import { routeBatch, RouterDeps } from '../../rotation/handlers/route-batch';
import { at } from '../support/fixtures';
import { kinesisEvent } from '../support/kinesis-event';
import { clientConfig, useMoto } from '../support/moto';
import { BUCKET, MOTO_SETTINGS, provision } from '../support/router-moto';
import { expectedContents, readBack } from '../support/s3-readback';

const NOW = at('2026-11-22T05:20:00Z');
const LATE = 'late/';
const data = (iso: string) => hourPrefix('data', at(iso));
const line = (id: string, timestamp: unknown) => `${JSON.stringify({ id, timestamp })}\n`;

describe('router on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let control: FirehoseClient;
  let s3: S3Client;
  const deps = (now = NOW): RouterDeps => ({
    client: new FirehoseClient(clientConfig(moto.endpoint)),
    now: () => now,
    sleep: () => Promise.resolve(),
    deadline: now.plus({ minutes: 1 }),
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });

  beforeEach(async () => {
    control = await provision(moto.endpoint, MOTO_SETTINGS, NOW);
    s3 = new S3Client(clientConfig(moto.endpoint));
  });

  it('every record lands under its event hour or the fallback prefix, byte for byte', async () => {
    // [sequence number, record as sent, expected prefix or undefined for a batch item failure]
    const cases: [string, string | Uint8Array, string | undefined][] = [
      ['101', line('h04a', '2026-11-22T04:00:00Z'), data('2026-11-22T04:00:00Z')],
      ['102', line('h04b', '2026-11-22T09:59:59.999+05:30').trimEnd(), data('2026-11-22T04:00:00Z')],
      ['103', line('h04c', Date.parse('2026-11-22T04:59:59.999Z')).trimEnd(), data('2026-11-22T04:00:00Z')],
      ['104', line('h05a', 1795325400).trimEnd(), data('2026-11-22T05:00:00Z')],
      ['105', line('h05b', '2026-11-21T21:05:00-08:00'), data('2026-11-22T05:00:00Z')],
      // Hour 06 opens at 05:45 (earlyMinutes 15): its stream exists, empty, and gets nothing yet.
      ['106', line('h06', '2026-11-22T06:00:00Z'), LATE],
      ['107', line('h23', '2026-11-22T23:59:59Z').trimEnd(), LATE],
      ['108', line('tomorrow', '2026-11-23T10:00:00Z').trimEnd(), LATE],
      ['109', line('late', '2026-11-22T03:59:59.999Z').trimEnd(), LATE],
      ['110', line('early', '2026-11-24T00:00:00Z').trimEnd(), LATE],
      ['111', 'plain text', LATE],
      ['112', '{"id":"no-time"}', LATE],
      ['113', line('ambiguous', '2026-11-22T05:00:00').trimEnd(), LATE],
      ['114', new Uint8Array(1_024_000).fill(0x20), undefined],
    ];
    const event = kinesisEvent(cases.map(([sequenceNumber, d]) => ({ sequenceNumber, data: d })));
    const { response, counts } = await routeBatch(event, deps(), MOTO_SETTINGS);

    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: '114' }] });
    expect(counts.perReason).to.deep.equal({
      hourly: 5,
      late: 1,
      early: 4,
      'not-json': 1,
      'no-timestamp': 1,
      'bad-timestamp': 1,
    });
    const sent = cases.filter(([, , prefix]) => prefix !== undefined);
    const asLine = (d: string | Uint8Array) =>
      typeof d === 'string' && d.endsWith('\n') ? d : `${d.toString()}\n`;
    expect(await readBack(s3, BUCKET)).to.deep.equal(
      expectedContents(
        sent.map(([, d, prefix]) => [prefix!, asLine(d)]),
        {},
      ),
    );
  });

  it('1,200 records of three hours arrive as calls of at most 500, none lost or duplicated', async () => {
    const hours = ['2026-11-22T04', '2026-11-22T05', '2026-11-22T06'];
    const lines = Array.from({ length: 1_200 }, (_, i) =>
      line(`r${i}`, `${hours[i % 3]}:${String(i % 60).padStart(2, '0')}:00Z`),
    );
    const event = kinesisEvent(lines.map((l, i) => ({ sequenceNumber: String(1000 + i), data: l })));
    // At 05:50 hour 06 is open (from 05:45) and hour 04 still takes late records (until 06:00).
    const { response, counts } = await routeBatch(event, deps(at('2026-11-22T05:50:00Z')), MOTO_SETTINGS);

    expect([response, counts.calls]).to.deep.equal([{ batchItemFailures: [] }, 3]);
    const objects = Object.fromEntries(hours.map((h) => [data(`${h}:00:00Z`), 1]));
    expect(await readBack(s3, BUCKET)).to.deep.equal(
      expectedContents(
        lines.map((l, i) => [data(`${hours[i % 3]}:00:00Z`), l]),
        objects,
      ),
    );
  });

  it('records for an hourly stream that is gone are rerouted to the fallback, not lost', async () => {
    await control.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112206' }));
    const lines = [
      line('a', '2026-11-22T06:10:00Z'),
      line('b', '2026-11-22T06:20:00Z'),
      line('c', '2026-11-22T05:30:00Z'),
    ];
    const event = kinesisEvent(lines.map((l, i) => ({ sequenceNumber: String(200 + i), data: l })));
    const { response, counts } = await routeBatch(event, deps(at('2026-11-22T05:50:00Z')), MOTO_SETTINGS);

    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(counts.perReason).to.deep.equal({ hourly: 1, unavailable: 2 });
    expect(await readBack(s3, BUCKET)).to.deep.equal(
      expectedContents(
        [
          [LATE, lines[0]],
          [LATE, lines[1]],
          [data('2026-11-22T05:00:00Z'), lines[2]],
        ],
        {},
      ),
    );
  });
});

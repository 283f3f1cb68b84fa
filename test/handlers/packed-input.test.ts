// routeBatch with producer-packed records, example by example, against a scripted Firehose that
// throws on any call it does not expect: how the events of one Kinesis record map back to its
// sequence number when some are delivered and some are not.
import { expect } from 'chai';
import { routeBatch, RouterDeps } from '../../rotation/handlers/route-batch';
import { FB, H04, H05, line, NOW, PACKED, S } from '../support/delivery-harness';
import { ExpectedCall, ScriptedFirehose, unavailable } from '../support/fake-firehose';
import { kinesisEvent } from '../support/kinesis-event';
import { aggregate, badChecksum } from '../support/kpl';

const T05 = '2026-11-22T05:10:00Z';
const T04 = '2026-11-22T04:10:00Z';
const SEQ = (n: number) => `4963${String(n).padStart(52, '0')}`;

function deps(expected: ExpectedCall[]) {
  const fake = new ScriptedFirehose(expected);
  const d: RouterDeps = {
    client: fake.client,
    now: () => NOW,
    sleep: () => Promise.resolve(),
    deadline: NOW.plus({ minutes: 1 }),
    random: () => 0.5,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  return { fake, deps: d };
}

describe('routeBatch with producer-packed records', () => {
  it('one event of a KPL record not delivered: the record fails once; its delivered sibling is counted delivered', async () => {
    const { fake, deps: d } = deps([
      { stream: H05, records: [line('a', T05), line('c', T05)], reply: { failed: { 0: 'InternalFailure' } } },
      { stream: H04, records: [line('b', T04)] },
      // The resend of the refused entry, refused again until attempts run out (10 attempts).
      ...Array.from({ length: 9 }, () => ({
        stream: H05,
        records: [line('a', T05)],
        reply: { failed: { 0: 'InternalFailure' } },
      })),
    ]);
    const event = kinesisEvent([
      { sequenceNumber: SEQ(1), data: aggregate([{ data: line('a', T05) }, { data: line('b', T04) }]) },
      { sequenceNumber: SEQ(2), data: line('c', T05) },
    ]);
    const { response, counts } = await routeBatch(event, d, S);
    fake.assertDone();
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: SEQ(1) }] });
    expect(counts).to.deep.include({ records: 3, delivered: 2, failed: 1, perReason: { hourly: 2 } });
  });

  it('packing on: one Firehose record packs events of two Kinesis records; when it fails, both records fail', async () => {
    const bad = badChecksum(aggregate([{ data: 'x' }]));
    // The fake shows entries as UTF-8 text; the aggregate's bytes as such, with the added newline.
    const badText = new TextDecoder().decode(Buffer.concat([bad, Buffer.from('\n')]));
    const { fake, deps: d } = deps([
      { stream: H05, records: [line('a', T05) + line('b', T05) + line('c', T05)], reply: unavailable() },
      { stream: FB, records: [badText] },
    ]);
    const event = kinesisEvent([
      { sequenceNumber: SEQ(1), data: `${line('a', T05)}${line('b', T05)}` },
      { sequenceNumber: SEQ(2), data: bad },
      { sequenceNumber: SEQ(3), data: line('c', T05) },
    ]);
    const { response, counts } = await routeBatch(event, d, PACKED);
    fake.assertDone();
    expect(response).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: SEQ(1) }, { itemIdentifier: SEQ(3) }],
    });
    expect(counts).to.deep.include({
      records: 4,
      delivered: 1,
      failed: 3,
      perReason: { 'bad-aggregate': 1 },
      perFailure: { 'call-failed': 3 },
    });
  });
});

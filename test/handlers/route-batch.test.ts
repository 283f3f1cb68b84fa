import { expect } from 'chai';
import { MAX_RECORD_BYTES } from '../../rotation/core/chunking';
import { routeBatch, RouterDeps } from '../../rotation/handlers/route-batch';
import { FB, H05, line, NOW, PACKED, S } from '../support/delivery-harness';
import { ExpectedCall, ScriptedFirehose, unavailable } from '../support/fake-firehose';
import { kinesisEvent } from '../support/kinesis-event';

const T = 1795326600; // 2026-11-22T05:50:00Z
const SEQ = (n: number) => `4963${String(n).padStart(52, '0')}`;

function deps(expected: ExpectedCall[]) {
  const fake = new ScriptedFirehose(expected);
  const logs: [string, string, Record<string, unknown>][] = [];
  const d: RouterDeps = {
    client: fake.client,
    now: () => NOW,
    sleep: () => Promise.resolve(),
    deadline: NOW.plus({ minutes: 1 }),
    random: () => 0.5,
    log: {
      info: (message, extra) => logs.push(['info', message, extra]),
      warn: (message, extra) => logs.push(['warn', message, extra]),
      error: (message, extra) => logs.push(['error', message, extra]),
    },
  };
  return { fake, logs, deps: d };
}

describe('routeBatch', () => {
  it('decodes base64, routes, and returns exactly the failed sequence numbers', async () => {
    const {
      fake,
      logs,
      deps: d,
    } = deps([
      { stream: H05, records: [line('a', T)] },
      { stream: FB, records: ['not json\n'], reply: unavailable() },
    ]);
    const event = kinesisEvent([
      { sequenceNumber: SEQ(1), data: line('a', T) },
      { sequenceNumber: SEQ(2), data: 'not json' },
      { sequenceNumber: SEQ(3), data: new Uint8Array(MAX_RECORD_BYTES).fill(0x20) },
    ]);
    const { response, counts } = await routeBatch(event, d, S);
    fake.assertDone();
    expect(response).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: SEQ(2) }, { itemIdentifier: SEQ(3) }],
    });
    expect(counts).to.deep.equal({
      records: 3,
      delivered: 1,
      failed: 2,
      perStream: { [H05]: 1 },
      perReason: { hourly: 1 },
      perFailure: { 'too-large': 1, 'call-failed': 1 },
      calls: 2,
      throttled: 1, // the fallback call refused with ServiceUnavailableException ("Slow down.")
    });
    expect(logs.map(([level, message]) => `${level}: ${message}`)).to.deep.equal([
      'error: record larger than Firehose accepts; returned to Kinesis as a batch item failure',
      'error: records not delivered; returned to Kinesis as batch item failures',
      'info: router batch',
    ]);
    expect(logs[2][2].failures).to.deep.equal([
      {
        id: SEQ(3),
        reason: 'too-large',
        detail: 'record is 1024001 bytes with its newline; Firehose accepts at most 1024000',
      },
      { id: SEQ(2), reason: 'call-failed', detail: 'ServiceUnavailableException: Slow down.' },
    ]);
  });

  it('a batch where everything is delivered returns no batch item failures', async () => {
    const { fake, deps: d } = deps([{ stream: H05, records: [line('a', T), line('b', T)] }]);
    const event = kinesisEvent([
      { sequenceNumber: SEQ(1), data: line('a', T).trimEnd() },
      { sequenceNumber: SEQ(2), data: line('b', T) },
    ]);
    const { response } = await routeBatch(event, d, S);
    fake.assertDone();
    expect(response).to.deep.equal({ batchItemFailures: [] });
  });

  it('packing on: a failed packed entry returns each of its records, so Lambda resumes at the lowest', async () => {
    const { fake, deps: d } = deps([
      { stream: H05, records: [line('a', T) + line('c', T)], reply: unavailable() },
      { stream: FB, records: ['not json\n'] },
    ]);
    const event = kinesisEvent([
      { sequenceNumber: SEQ(1), data: line('a', T) },
      { sequenceNumber: SEQ(2), data: 'not json' },
      { sequenceNumber: SEQ(3), data: line('c', T) },
    ]);
    const { response, counts } = await routeBatch(event, d, PACKED);
    fake.assertDone();
    expect(response).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: SEQ(1) }, { itemIdentifier: SEQ(3) }],
    });
    expect([counts.delivered, counts.failed, counts.perFailure]).to.deep.equal([1, 2, { 'call-failed': 2 }]);
  });

  it('refuses a record without a sequence number instead of returning an empty identifier', async () => {
    const { fake, deps: d } = deps([]);
    const event = kinesisEvent([
      { sequenceNumber: SEQ(1), data: '{}' },
      { sequenceNumber: '', data: '{}' },
    ]);
    let error: unknown;
    await routeBatch(event, d, S).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal(
      'Kinesis record 1 has no sequenceNumber; cannot report it as a batch item failure',
    );
    expect(fake.calls).to.deep.equal([]);
  });
});

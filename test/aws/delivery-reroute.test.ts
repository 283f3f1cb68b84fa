import { ResourceInUseException } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import { MAX_RECORD_BYTES } from '../../rotation/core/chunking';
import { at } from '../support/fixtures';
import { byId, FB, H04, H05, harness, line, NOW, src } from '../support/delivery-harness';
import { notFound } from '../support/fake-firehose';

const T = 1795326600; // 2026-11-22T05:50:00Z

describe('delivery: reroutes and the failure path', () => {
  const unavailableErrors: [string, Error, string][] = [
    [
      'ResourceNotFoundException',
      notFound(H05),
      `ResourceNotFoundException: Firehose ${H05} not found under account 123456789012.`,
    ],
    [
      'ResourceInUseException (stream not ACTIVE)',
      new ResourceInUseException({ message: `Firehose ${H05} is in CREATING state.`, $metadata: {} }),
      `ResourceInUseException: Firehose ${H05} is in CREATING state.`,
    ],
  ];
  for (const [name, error, detail] of unavailableErrors) {
    it(`${name} for an hourly stream reroutes its records to the fallback`, async () => {
      const h = harness([
        { stream: H05, records: [line('a', T), line('b', T)], reply: error },
        { stream: FB, records: [line('a', T), line('b', T)] },
      ]);
      const report = await h.run([src('a', T), src('b', T)]);
      expect(byId(report.delivered)).to.deep.equal([
        { id: 'a', stream: FB, reason: 'unavailable' },
        { id: 'b', stream: FB, reason: 'unavailable' },
      ]);
      expect([report.failed, h.sleeps]).to.deep.equal([[], []]);
      expect(h.logs).to.deep.equal([
        [
          'warn',
          'rerouting records to the fallback stream',
          { stream: H05, records: 2, reason: 'unavailable', detail },
        ],
      ]);
    });
  }

  it('a per-record ResourceNotFoundException reroutes only that record', async () => {
    const h = harness([
      {
        stream: H05,
        records: [line('a', T), line('b', T), line('c', T)],
        reply: { failed: { 1: 'ResourceNotFoundException' } },
      },
      { stream: FB, records: [line('b', T)] },
    ]);
    const report = await h.run([src('a', T), src('b', T), src('c', T)]);
    expect(byId(report.delivered)).to.deep.equal([
      { id: 'a', stream: H05, reason: 'hourly' },
      { id: 'b', stream: FB, reason: 'unavailable' },
      { id: 'c', stream: H05, reason: 'hourly' },
    ]);
    expect(h.sleeps).to.deep.equal([]);
  });

  it('a missing fallback stream is a failure, never a reroute to itself', async () => {
    const h = harness([{ stream: FB, records: [line('late', '2026-11-22T01:00:00Z')], reply: notFound(FB) }]);
    const report = await h.run([src('late', '2026-11-22T01:00:00Z')]);
    expect(report.failed).to.deep.equal([
      {
        id: 'late',
        reason: 'call-failed',
        detail: `ResourceNotFoundException: Firehose ${FB} not found under account 123456789012.`,
      },
    ]);
    expect([report.delivered, report.calls]).to.deep.equal([[], 1]);
  });

  it('a record over 1,000 KiB is never sent, logged and reported; the rest of the batch goes on', async () => {
    const h = harness([{ stream: H05, records: [line('a', T)] }]);
    const big = { id: 'big', data: new Uint8Array(MAX_RECORD_BYTES).fill(0x20) };
    const report = await h.run([big, src('a', T)]);
    expect(report.failed).to.deep.equal([
      {
        id: 'big',
        reason: 'too-large',
        detail: 'record is 1024001 bytes with its newline; Firehose accepts at most 1024000',
      },
    ]);
    expect(report.delivered).to.deep.equal([{ id: 'a', stream: H05, reason: 'hourly' }]);
    expect(h.logs).to.deep.equal([
      [
        'error',
        'record larger than Firehose accepts; returned to Kinesis as a batch item failure',
        { sequenceNumber: 'big', bytes: 1_024_001, limitBytes: 1_024_000 },
      ],
    ]);
  });

  it('at the deadline nothing is sent and every record is a failure', async () => {
    const h = harness([], { deadline: NOW });
    const report = await h.run([src('a', T), src('b', '2026-11-22T01:00:00Z')]);
    const detail = 'invocation deadline 2026-11-22T05:20:00.000Z reached before the send';
    expect(byId(report.failed)).to.deep.equal([
      { id: 'a', reason: 'deadline', detail },
      { id: 'b', reason: 'deadline', detail },
    ]);
    expect([report.delivered, report.calls]).to.deep.equal([[], 0]);
  });

  it('a resend that would end after the deadline is not attempted; its records fail', async () => {
    const h = harness(
      [
        {
          stream: H05,
          records: [line('a', T), line('b', T)],
          reply: { failed: { 0: 'ServiceUnavailableException' } },
        },
      ],
      { deadline: NOW.plus({ milliseconds: 75 }) },
    );
    const report = await h.run([src('a', T), src('b', T)]);
    expect(report.failed).to.deep.equal([
      { id: 'a', reason: 'deadline', detail: 'no time left for a resend before 2026-11-22T05:20:00.075Z' },
    ]);
    expect([report.delivered, h.sleeps]).to.deep.equal([[{ id: 'b', stream: H05, reason: 'hourly' }], []]);
  });

  it('when the hour closes during a backoff, the resend goes to the fallback as late', async () => {
    // Hour 04 may be written until 06:00:00.000; the first send is 50 ms before, the resend 25 ms after.
    const start = at('2026-11-22T05:59:59.950Z');
    const h = harness(
      [
        {
          stream: H04,
          records: [line('a', '2026-11-22T04:30:00Z'), line('b', '2026-11-22T04:31:00Z')],
          reply: { failed: { 1: 'InternalFailure' } },
        },
        { stream: FB, records: [line('b', '2026-11-22T04:31:00Z')] },
      ],
      { start },
    );
    const report = await h.run([src('a', '2026-11-22T04:30:00Z'), src('b', '2026-11-22T04:31:00Z')]);
    expect(byId(report.delivered)).to.deep.equal([
      { id: 'a', stream: H04, reason: 'hourly' },
      { id: 'b', stream: FB, reason: 'late' },
    ]);
    expect(h.sleeps).to.deep.equal([75]);
    expect(h.logs).to.deep.equal([
      [
        'warn',
        'rerouting records to the fallback stream',
        {
          stream: H04,
          records: 1,
          reason: 'late',
          detail: 'hour closed at 2026-11-22T06:00:00.025Z before the send',
        },
      ],
    ]);
  });
});

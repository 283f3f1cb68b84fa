import { expect } from 'chai';
import { countDelivery } from '../support/delivery';
import { byId, FB, H04, H05, harness, line, src } from '../support/delivery-harness';
import { unavailable } from '../support/fake-firehose';
import { settings } from '../support/fixtures';

describe('delivery', () => {
  it('sends each destination once, newline-terminated, and accounts for every record', async () => {
    const h = harness([
      { stream: H05, records: [line('a', '2026-11-22T05:10:00Z'), line('c', 1795326600)] },
      { stream: H04, records: [line('b', '2026-11-22T09:30:00+05:00')] },
      { stream: FB, records: [line('d', '2026-11-22T05:00:00'), line('e', '2026-11-22T03:00:00Z')] },
    ]);
    const report = await h.run([
      src('a', '2026-11-22T05:10:00Z'),
      src('b', '2026-11-22T09:30:00+05:00'),
      src('c', 1795326600),
      src('d', '2026-11-22T05:00:00'),
      src('e', '2026-11-22T03:00:00Z'),
    ]);
    expect(byId(report.delivered)).to.deep.equal([
      { id: 'a', stream: H05, reason: 'hourly' },
      { id: 'b', stream: H04, reason: 'hourly' },
      { id: 'c', stream: H05, reason: 'hourly' },
      { id: 'd', stream: FB, reason: 'bad-timestamp' },
      { id: 'e', stream: FB, reason: 'late' },
    ]);
    expect(countDelivery(report)).to.deep.equal({
      records: 5,
      delivered: 5,
      failed: 0,
      perStream: { [H05]: 2, [H04]: 1, [FB]: 2 },
      perReason: { hourly: 3, 'bad-timestamp': 1, late: 1 },
      perFailure: {},
      calls: 3,
      throttled: 0,
    });
    expect([h.sleeps, h.logs]).to.deep.equal([[], []]);
  });

  it('resends only the failed entries, once, after a backoff', async () => {
    const ids = ['r0', 'r1', 'r2', 'r3', 'r4'];
    const h = harness([
      {
        stream: H05,
        records: ids.map((id) => line(id, 1795326600)),
        reply: { failed: { 1: 'ServiceUnavailableException', 3: 'InternalFailure' } },
      },
      { stream: H05, records: [line('r1', 1795326600), line('r3', 1795326600)] },
    ]);
    const report = await h.run(ids.map((id) => src(id, 1795326600)));
    expect(byId(report.delivered).map((d) => d.id)).to.deep.equal(ids);
    expect([report.failed, report.calls, h.sleeps]).to.deep.equal([[], 2, [75]]);
  });

  it('gives up after maxAttempts with growing backoffs and reports retries-exhausted', async () => {
    const failing = {
      stream: H05,
      records: [line('b', 1795326600)],
      reply: { failed: { 0: 'InternalFailure' } },
    };
    const h = harness(
      [
        {
          stream: H05,
          records: [line('a', 1795326600), line('b', 1795326600)],
          reply: { failed: { 1: 'InternalFailure' } },
        },
        failing,
        { ...failing },
      ],
      { maxAttempts: 3 },
    );
    const report = await h.run([src('a', 1795326600), src('b', 1795326600)]);
    expect(report.delivered).to.deep.equal([{ id: 'a', stream: H05, reason: 'hourly' }]);
    expect(report.failed).to.deep.equal([
      { id: 'b', reason: 'retries-exhausted', detail: 'still failing after 3 attempts' },
    ]);
    expect(h.sleeps).to.deep.equal([75, 150]);
    expect(h.logs).to.deep.equal([
      [
        'error',
        'records not delivered; returned to Kinesis as batch item failures',
        { stream: H05, records: 1, reason: 'retries-exhausted', detail: 'still failing after 3 attempts' },
      ],
    ]);
  });

  // The fake cannot show the SDK's own retries of a throttled call (the real client retries
  // ServiceUnavailableException itself); it shows what happens when they are used up.
  it('a whole call that still fails after the SDK retries goes to the failure path, not resent', async () => {
    const h = harness([{ stream: H05, records: [line('a', 1795326600)], reply: unavailable() }]);
    const report = await h.run([src('a', 1795326600)]);
    expect(report.failed).to.deep.equal([
      { id: 'a', reason: 'call-failed', detail: 'ServiceUnavailableException: Slow down.' },
    ]);
    expect([report.delivered, report.calls, h.sleeps]).to.deep.equal([[], 1, []]);
  });

  it('splits a group into calls of at most 500 records', async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    const lines = ids.map((id) => line(id, 1795326600));
    const h = harness([
      { stream: H05, records: lines.slice(0, 500) },
      { stream: H05, records: lines.slice(500) },
    ]);
    const report = await h.run(ids.map((id) => src(id, 1795326600)));
    expect([report.delivered.length, report.calls, h.fake.calls.map((c) => c.records.length)]).to.deep.equal([
      501,
      2,
      [500, 1],
    ]);
  });

  it('splits a group into calls of at most 4 MiB of data', async () => {
    // Five records of 1,000,000 bytes with their newline: four fit in 4 MiB, the fifth does not.
    const padded = (id: string) => {
      const base = { id, timestamp: 1795326600, pad: '' };
      base.pad = 'x'.repeat(1_000_000 - 1 - JSON.stringify(base).length);
      return JSON.stringify(base);
    };
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const lines = ids.map((id) => `${padded(id)}\n`);
    const h = harness([
      { stream: H05, records: lines.slice(0, 4) },
      { stream: H05, records: lines.slice(4) },
    ]);
    const report = await h.run(ids.map((id) => ({ id, data: new TextEncoder().encode(padded(id)) })));
    expect(h.fake.calls.map((c) => c.bytes)).to.deep.equal([4_000_000, 1_000_000]);
    expect(report.delivered.length).to.equal(5);
  });

  for (const concurrency of [1, 2, 4]) {
    it(`keeps at most routerConcurrency = ${concurrency} calls in flight across groups`, async () => {
      // Six open hours: the current one and five still taking late records (lateness 6 h).
      const hours = ['00', '01', '02', '03', '04', '05'];
      const h = harness(
        hours.map((hh) => ({
          stream: `events-20261122${hh}`,
          records: [line(hh, `2026-11-22T${hh}:00:00Z`)],
        })),
        { s: settings({ routerConcurrency: concurrency, latenessMinutes: 360 }) },
      );
      const report = await h.run(hours.map((hh) => src(hh, `2026-11-22T${hh}:00:00Z`)));
      expect([report.delivered.length, h.fake.maxInFlight]).to.deep.equal([6, concurrency]);
    });
  }
});

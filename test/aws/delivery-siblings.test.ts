// Several streams per hour (streamsPerHour 2 here): the spread, the move of a throttled share to
// a sibling, a missing sibling's share to index 0, and index 0 missing to the fallback. Ids double
// as partition keys (test/support/routing): with N = 2, a and c hash to index 0, b and d to 1.
import { expect } from 'chai';
import { notFound, unavailable } from '../support/fake-firehose';
import { countDelivery } from '../support/delivery';
import { byId, FB, H05, harness, line, src } from '../support/delivery-harness';
import { settings } from '../support/fixtures';

const S2 = settings({ recordPackingKiB: 0, streamsPerHour: 2 });
const PACKED2 = settings({ streamsPerHour: 2 });
const H05_1 = `${H05}-1`;
const T = 1795326600; // 2026-11-22T05:10:00Z, in the open hour 05 at NOW (05:20)
const rec = (id: string) => src(id, T);
const l = (id: string) => line(id, T);
const MOVE = 'moving records to a sibling stream of their hour';
const SLOW = (stream: string) => `ServiceUnavailableException from ${stream}`;
const fates = (report: Awaited<ReturnType<ReturnType<typeof harness>['run']>>) =>
  byId(report.delivered).map((d) => `${d.id}:${d.stream}:${d.reason}`);

describe('delivery over several streams per hour', () => {
  it('spreads an hour by partition key: a, c → index 0, b, d → index 1, one call each', async () => {
    const h = harness(
      [
        { stream: H05, records: [l('a'), l('c')] },
        { stream: H05_1, records: [l('b'), l('d')] },
      ],
      { s: S2 },
    );
    const report = await h.run(['a', 'b', 'c', 'd'].map(rec));
    expect(countDelivery(report)).to.deep.equal({
      records: 4,
      delivered: 4,
      failed: 0,
      perStream: { [H05]: 2, [H05_1]: 2 },
      perReason: { hourly: 4 },
      perFailure: {},
      calls: 2,
      throttled: 0,
    });
  });

  it('a throttled entry moves to the next sibling at once, without a backoff; the rest stay', async () => {
    const h = harness(
      [
        { stream: H05_1, records: [l('b'), l('d')], reply: { failed: { 0: 'ServiceUnavailableException' } } },
        { stream: H05, records: [l('b')] },
      ],
      { s: S2 },
    );
    const report = await h.run([rec('b'), rec('d')]);
    expect(fates(report)).to.deep.equal([`b:${H05}:hourly`, `d:${H05_1}:hourly`]);
    expect([report.failed, report.calls, report.throttled, h.sleeps]).to.deep.equal([[], 2, 1, []]);
    expect(h.logs).to.deep.equal([
      ['warn', MOVE, { stream: H05_1, to: H05, records: 1, reason: 'throttled', detail: SLOW(H05_1) }],
    ]);
  });

  it('a moved share throttled again is resent in place with backoff, never moved twice', async () => {
    const slow = { failed: { 0: 'ServiceUnavailableException' } };
    const h = harness(
      [
        { stream: H05_1, records: [l('b')], reply: slow },
        { stream: H05, records: [l('b')], reply: slow },
        { stream: H05, records: [l('b')] },
      ],
      { s: S2 },
    );
    const report = await h.run([rec('b')]);
    expect(fates(report)).to.deep.equal([`b:${H05}:hourly`]);
    expect([report.calls, report.throttled, h.sleeps]).to.deep.equal([3, 2, [75]]);
  });

  it('a whole call refused for throughput (after the SDK retries) moves to the sibling', async () => {
    const h = harness(
      [
        { stream: H05, records: [l('a'), l('c')], reply: unavailable() },
        { stream: H05_1, records: [l('a'), l('c')] },
      ],
      { s: S2 },
    );
    const report = await h.run([rec('a'), rec('c')]);
    expect(fates(report)).to.deep.equal([`a:${H05_1}:hourly`, `c:${H05_1}:hourly`]);
    expect([report.failed, report.throttled]).to.deep.equal([[], 2]);
    expect(h.logs[0]).to.deep.equal([
      'warn',
      MOVE,
      {
        stream: H05,
        to: H05_1,
        records: 2,
        reason: 'throttled',
        detail: 'ServiceUnavailableException: Slow down.',
      },
    ]);
  });

  it('a moved share refused as a whole call fails as with one stream (call-failed, back to Kinesis)', async () => {
    const h = harness(
      [
        { stream: H05, records: [l('a')], reply: unavailable() },
        { stream: H05_1, records: [l('a')], reply: unavailable() },
      ],
      { s: S2 },
    );
    const report = await h.run([rec('a')]);
    expect(report.failed).to.deep.equal([
      { id: 'a', reason: 'call-failed', detail: 'ServiceUnavailableException: Slow down.' },
    ]);
    expect([report.delivered, report.throttled]).to.deep.equal([[], 2]);
  });

  it('a sibling not created yet (ResourceNotFoundException) sends its share to index 0, not the fallback', async () => {
    const h = harness(
      [
        { stream: H05_1, records: [l('b'), l('d')], reply: notFound(H05_1) },
        { stream: H05, records: [l('b'), l('d')] },
      ],
      { s: S2 },
    );
    const report = await h.run([rec('b'), rec('d')]);
    expect(fates(report)).to.deep.equal([`b:${H05}:hourly`, `d:${H05}:hourly`]);
    expect(h.logs).to.deep.equal([
      [
        'warn',
        MOVE,
        {
          stream: H05_1,
          to: H05,
          records: 2,
          reason: 'unavailable',
          detail: `ResourceNotFoundException: Firehose ${H05_1} not found under account 123456789012.`,
        },
      ],
    ]);
  });

  it('a per-entry ResourceNotFoundException on a sibling sends only that entry to index 0', async () => {
    const h = harness(
      [
        { stream: H05_1, records: [l('b'), l('d')], reply: { failed: { 1: 'ResourceNotFoundException' } } },
        { stream: H05, records: [l('d')] },
      ],
      { s: S2 },
    );
    const report = await h.run([rec('b'), rec('d')]);
    expect(fates(report)).to.deep.equal([`b:${H05_1}:hourly`, `d:${H05}:hourly`]);
  });

  it('index 0 missing as well: the share goes to the fallback, as with one stream', async () => {
    const h = harness(
      [
        { stream: H05_1, records: [l('b')], reply: notFound(H05_1) },
        { stream: H05, records: [l('b')], reply: notFound(H05) },
        { stream: FB, records: [l('b')] },
      ],
      { s: S2 },
    );
    const report = await h.run([rec('b')]);
    expect(fates(report)).to.deep.equal([`b:${FB}:unavailable`]);
  });

  it('throttled at index 0, moved to a missing sibling: back to index 0, where it stays', async () => {
    const slow = { failed: { 0: 'ServiceUnavailableException' } };
    const h = harness(
      [
        { stream: H05, records: [l('a')], reply: slow },
        { stream: H05_1, records: [l('a')], reply: notFound(H05_1) },
        { stream: H05, records: [l('a')], reply: slow },
        { stream: H05, records: [l('a')] },
      ],
      { s: S2 },
    );
    const report = await h.run([rec('a')]);
    expect(fates(report)).to.deep.equal([`a:${H05}:hourly`]);
    expect([report.calls, report.throttled, h.sleeps]).to.deep.equal([4, 2, [75]]);
  });

  it('with one stream per hour a throttled entry is resent in place, as before, and counted', async () => {
    const h = harness([
      { stream: H05, records: [l('b'), l('d')], reply: { failed: { 0: 'ServiceUnavailableException' } } },
      { stream: H05, records: [l('b')] },
    ]);
    const report = await h.run([rec('b'), rec('d')]);
    expect(fates(report)).to.deep.equal([`b:${H05}:hourly`, `d:${H05}:hourly`]);
    expect([report.calls, report.throttled, h.sleeps, h.logs]).to.deep.equal([2, 1, [75], []]);
  });

  it('packed: a throttled Firehose record moves whole; its records count on the sibling', async () => {
    const h = harness(
      [
        {
          stream: H05_1,
          records: [l('b') + l('d')],
          reply: { failed: { 0: 'ServiceUnavailableException' } },
        },
        { stream: H05, records: [l('b') + l('d')] },
      ],
      { s: PACKED2 },
    );
    const report = await h.run([rec('b'), rec('d')]);
    expect(fates(report)).to.deep.equal([`b:${H05}:hourly`, `d:${H05}:hourly`]);
    expect(countDelivery(report).perStream).to.deep.equal({ [H05]: 2 });
    expect(report.throttled).to.equal(2); // records, not Firehose entries
  });
});

// Delivery with packing on (the default): the same fates per record as unpacked, with a packed
// entry resent, rerouted or failed as a whole. Scripted fake Firehose: any other call throws.
import { expect } from 'chai';
import { MAX_RECORD_BYTES } from '../../rotation/core/chunking';
import { countDelivery } from '../support/delivery';
import { at, settings } from '../support/fixtures';
import { byId, FB, H04, H05, harness, line, PACKED, src } from '../support/delivery-harness';

const T = 1795326600; // 2026-11-22T05:50:00Z
const LATE = '2026-11-22T03:00:00Z';
const packed = (...parts: string[]) => parts.join('');
/** A JSON line of exactly `size` bytes, newline included, in hour 05. */
const padded = (id: string, size: number) => {
  const bare = JSON.stringify({ id, timestamp: T, pad: '' }).length;
  return `${JSON.stringify({ id, timestamp: T, pad: 'x'.repeat(size - 1 - bare) })}\n`;
};

describe('delivery with packing', () => {
  it('one Firehose record per stream holds its records in order, byte for byte; fates per record', async () => {
    const h = harness(
      [
        { stream: H05, records: [packed(line('a', T), line('c', T), line('e', T))] },
        { stream: H04, records: [line('b', '2026-11-22T04:10:00Z')] },
        // The fallback packs records of different reasons; each is still counted under its own.
        { stream: FB, records: [packed(line('d', LATE), line('f', LATE), 'not json\n')] },
      ],
      { s: PACKED },
    );
    const report = await h.run([
      src('a', T),
      src('b', '2026-11-22T04:10:00Z'),
      src('c', T),
      src('d', LATE),
      src('e', T),
      src('f', LATE),
      { id: 'g', data: new TextEncoder().encode('not json') },
    ]);
    expect(countDelivery(report)).to.deep.equal({
      records: 7,
      delivered: 7,
      failed: 0,
      perStream: { [H04]: 1, [H05]: 3, [FB]: 3 },
      perReason: { hourly: 4, late: 2, 'not-json': 1 },
      perFailure: {},
      calls: 3,
      throttled: 0,
    });
    expect(byId(report.delivered).map((d) => `${d.id}:${d.stream}`)).to.deep.equal([
      `a:${H05}`,
      `b:${H04}`,
      `c:${H05}`,
      `d:${FB}`,
      `e:${H05}`,
      `f:${FB}`,
      `g:${FB}`,
    ]);
  });

  it('a failed packed entry is resent whole after a backoff; the entries beside it are not', async () => {
    // Records of 400 bytes and entries of at most 1 KiB: two records per entry.
    const s = settings({ recordPackingKiB: 1 });
    const ids = ['r0', 'r1', 'r2', 'r3', 'r4'];
    const l = ids.map((id) => padded(id, 400));
    const h = harness(
      [
        {
          stream: H05,
          records: [l[0] + l[1], l[2] + l[3], l[4]],
          reply: { failed: { 1: 'ServiceUnavailableException' } },
        },
        { stream: H05, records: [l[2] + l[3]] },
      ],
      { s },
    );
    const report = await h.run(
      ids.map((id, i) => ({ id, data: new TextEncoder().encode(l[i].slice(0, -1)) })),
    );
    expect(byId(report.delivered).map((d) => d.id)).to.deep.equal(ids);
    expect([report.failed, report.calls, h.sleeps]).to.deep.equal([[], 2, [75]]);
  });

  it('when the hour closes while a packed entry waits, the whole entry goes to the fallback as late', async () => {
    // Hour 04 is open until 05:59:59.999 (lateness 60 min); the backoff crosses 06:00.
    const entry = packed(line('a', '2026-11-22T04:10:00Z'), line('b', '2026-11-22T04:20:00Z'));
    const h = harness(
      [
        { stream: H04, records: [entry], reply: { failed: { 0: 'InternalFailure' } } },
        { stream: FB, records: [entry] },
      ],
      { s: PACKED, start: at('2026-11-22T05:59:59.950Z') },
    );
    const report = await h.run([src('a', '2026-11-22T04:10:00Z'), src('b', '2026-11-22T04:20:00Z')]);
    expect(byId(report.delivered)).to.deep.equal([
      { id: 'a', stream: FB, reason: 'late' },
      { id: 'b', stream: FB, reason: 'late' },
    ]);
    expect(h.logs[0][2]).to.deep.include({ stream: H04, records: 2, reason: 'late' });
  });

  it('a per-entry ResourceNotFoundException reroutes every record of that entry to the fallback', async () => {
    const entry = packed(line('a', T), line('b', T), line('c', T));
    const h = harness(
      [
        { stream: H05, records: [entry], reply: { failed: { 0: 'ResourceNotFoundException' } } },
        { stream: FB, records: [entry] },
      ],
      { s: PACKED },
    );
    const report = await h.run([src('a', T), src('b', T), src('c', T)]);
    expect(countDelivery(report).perReason).to.deep.equal({ unavailable: 3 });
    expect(report.delivered.every((d) => d.stream === FB)).to.equal(true);
  });

  it('a whole call failing reports each record of each entry, in order (batchItemFailures takes the lowest)', async () => {
    const h = harness(
      [{ stream: H05, records: [packed(line('a', T), line('b', T))], reply: new Error('socket hang up') }],
      { s: PACKED },
    );
    const report = await h.run([src('a', T), src('b', T)]);
    expect(report.failed).to.deep.equal([
      { id: 'a', reason: 'call-failed', detail: 'Error: socket hang up' },
      { id: 'b', reason: 'call-failed', detail: 'Error: socket hang up' },
    ]);
  });

  it('retries exhausted: the log counts records, not entries', async () => {
    const entry = packed(line('a', T), line('b', T));
    const failing = { stream: H05, records: [entry], reply: { failed: { 0: 'InternalFailure' } } };
    const h = harness([failing, { ...failing }], { s: PACKED, maxAttempts: 2 });
    const report = await h.run([src('a', T), src('b', T)]);
    expect(report.failed.map((f) => `${f.id}:${f.reason}`)).to.deep.equal([
      'a:retries-exhausted',
      'b:retries-exhausted',
    ]);
    expect(h.logs.at(-1)).to.deep.equal([
      'error',
      'records not delivered; returned to Kinesis as batch item failures',
      { stream: H05, records: 2, reason: 'retries-exhausted', detail: 'still failing after 2 attempts' },
    ]);
  });

  it('oversized records behave as today: over 1,000 KiB rejected, exactly 1,000 KiB sent alone', async () => {
    const atLimit = `${' '.repeat(MAX_RECORD_BYTES - 1)}\n`;
    const tooLarge = ' '.repeat(MAX_RECORD_BYTES); // 1,024,001 bytes with its newline
    const h = harness(
      [
        { stream: H05, records: [packed(line('a', T), line('b', T))] },
        // Neither neighbour fits beside the record at the limit, so all three are entries of one call.
        { stream: FB, records: ['x\n', atLimit, 'y\n'] },
      ],
      { s: PACKED },
    );
    const bytes = (text: string) => new TextEncoder().encode(text);
    const report = await h.run([
      { id: 'x', data: bytes('x') },
      src('a', T),
      { id: 'limit', data: bytes(atLimit) },
      { id: 'big', data: bytes(tooLarge) },
      src('b', T),
      { id: 'y', data: bytes('y') },
    ]);
    expect(report.failed.map((f) => `${f.id}:${f.reason}`)).to.deep.equal(['big:too-large']);
    expect(countDelivery(report).perStream).to.deep.equal({ [H05]: 2, [FB]: 3 });
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { chunk, MAX_RECORD_BYTES } from '../../rotation/core/chunking';
import { CopyArena, packChunks, packingBytes, recordCount, recordsOf } from '../../rotation/core/packing';
import { decodeKinesisBatch, Outbound, Route } from '../../rotation/core/routing';

const HOURLY: Route = { kind: 'hourly', stream: 'events-2026112205', hour: null!, writeDeadlineMs: 0 };
const late = (): Route => ({ kind: 'fallback', stream: 'events-fallback', reason: 'late' });
const notJson = (): Route => ({ kind: 'fallback', stream: 'events-fallback', reason: 'not-json' });
const text = (data: Uint8Array) => Buffer.from(data).toString('latin1');
/** A record of `size` bytes ("<id>xxx…\n", cut to size) with its own buffer. */
const rec = (id: string, size: number, route: Route = HOURLY): Outbound => ({
  id,
  data: new Uint8Array(Buffer.from(`${`${id}${'x'.repeat(size)}`.slice(0, size - 1)}\n`, 'latin1')),
  route,
});
/** Entries per call, each entry as its records' ids joined by "+". */
const shape = (chunks: Outbound[][]) =>
  chunks.map((c) =>
    c.map((e) =>
      recordsOf(e)
        .map((r) => r.id)
        .join('+'),
    ),
  );
const SMALL = { records: 3, bytes: 100 };

describe('packing', () => {
  const table: [string, Outbound[], number, string[][]][] = [
    [
      'consecutive records share entries up to maxBytes',
      [rec('a', 10), rec('b', 10), rec('c', 10)],
      20,
      [['a+b', 'c']],
    ],
    [
      'a record exactly at maxBytes joins nothing and nothing joins it',
      [rec('a', 1), rec('b', 20), rec('c', 1)],
      20,
      [['a', 'b', 'c']],
    ],
    [
      'a record over maxBytes is an entry of its own, as unpacked',
      [rec('a', 5), rec('b', 30), rec('c', 5)],
      20,
      [['a', 'b', 'c']],
    ],
    [
      'an entry never crosses a call: the call fills to its byte limit',
      [rec('a', 40), rec('b', 40), rec('c', 40)],
      100,
      [['a+b'], ['c']],
    ],
    [
      'a call holds at most `records` entries',
      [rec('a', 30), rec('b', 30), rec('c', 30), rec('d', 5)],
      20,
      [['a', 'b', 'c'], ['d']],
    ],
    [
      'the fallback’s records of different reasons share entries',
      [rec('a', 5, late()), rec('b', 5, late()), rec('c', 5, notJson()), rec('d', 5, late())],
      50,
      [['a+b+c+d']],
    ],
    [
      '0 is off: one record per entry, calls as chunk()',
      [rec('a', 10), rec('b', 10), rec('c', 10), rec('d', 10)],
      0,
      [['a', 'b', 'c'], ['d']],
    ],
    ['nothing in, nothing out', [], 20, []],
  ];
  for (const [name, records, maxBytes, expected] of table) {
    it(`${name}: ${JSON.stringify(expected)}`, () => {
      const chunks = packChunks(records, maxBytes, SMALL);
      expect(shape(chunks)).to.deep.equal(expected);
      expect(
        chunks
          .flat()
          .map((e) => text(e.data))
          .join(''),
      ).to.equal(records.map((r) => text(r.data)).join(''));
    });
  }

  it('the setting is KiB: 1000 KiB is exactly Firehose’s record limit', () => {
    expect([packingBytes(0), packingBytes(1), packingBytes(1000)]).to.deep.equal([0, 1024, MAX_RECORD_BYTES]);
  });

  it('records side by side in one buffer (a decoded batch) are packed as one view, without a copy', () => {
    const [a, b, c] = decodeKinesisBatch(
      ['{"a":1}', '{"b":2}\n', '{"c":3}'].map((t) => Buffer.from(t).toString('base64')),
    );
    const [[entry]] = packChunks(
      [a, b, c].map((data, i) => ({ id: `r${i}`, data, route: HOURLY })),
      100,
    );
    expect(text(entry.data)).to.equal('{"a":1}\n{"b":2}\n{"c":3}\n');
    expect(entry.data.buffer).to.equal(a.buffer);
    expect(entry.data.byteOffset).to.equal(a.byteOffset);
  });

  it('records of one batch with another stream’s record between them are copied span by span', () => {
    const [a, b, c, d] = decodeKinesisBatch(
      ['"a"', '"b"', '"c"', '"d"'].map((t) => Buffer.from(t).toString('base64')),
    );
    const [[entry]] = packChunks(
      [a, b, d].map((data, i) => ({ id: `r${i}`, data, route: HOURLY })),
      100,
    );
    expect(text(entry.data)).to.equal('"a"\n"b"\n"d"\n');
    expect(text(c)).to.equal('"c"\n');
    c[0] = 0x78; // the entry is a copy, not a view over the batch buffer
    expect(text(entry.data)).to.equal('"a"\n"b"\n"d"\n');
  });

  it('a delivery’s copy buffer is reused by the next once released, never while in use, and never overrun', () => {
    // Over Node's 4 KiB pool size, so each buffer is its own allocation.
    const records = [rec('a', 3000), rec('b', 3000)];
    const first = new CopyArena(records);
    const a = first.take(5000);
    const concurrent = new CopyArena(records).take(5000);
    expect(concurrent.buffer).not.to.equal(a.buffer);
    first.release();
    const next = new CopyArena(records).take(5000);
    expect([next.buffer, next.byteOffset]).to.deep.equal([a.buffer, a.byteOffset]);
    expect(() => new CopyArena(records).take(6001)).to.throw(
      RangeError,
      "packing needs 6001 bytes, more than its records' 6000",
    );
  });

  it('records apart (another stream between them) are copied into one new record, route and first id kept', () => {
    const records = [rec('a', 4), rec('b', 4)];
    const [[entry]] = packChunks(records, 100);
    expect(entry.data.buffer).not.to.equal(records[0].data.buffer);
    expect([entry.id, entry.route, text(entry.data), recordCount([entry])]).to.deep.equal([
      'a',
      HOURLY,
      'axx\nbxx\n',
      2,
    ]);
  });

  it('a lone record is passed through as the same object (no packed list)', () => {
    const r = rec('a', 30);
    const [[entry]] = packChunks([r], 20);
    expect(entry).to.equal(r);
    expect(entry.packed).to.equal(undefined);
  });

  // Arbitrary sizes, reasons and limits; sizes never exceed the call's byte limit, as planBatch ensures.
  const scenario = fc
    .record({
      bytes: fc.integer({ min: 2, max: 200 }),
      records: fc.integer({ min: 1, max: 6 }),
      max: fc.integer({ min: 0, max: 250 }),
    })
    .chain((l) =>
      fc.tuple(
        fc.constant(l),
        fc.array(fc.tuple(fc.integer({ min: 2, max: l.bytes }), fc.constantFrom(HOURLY, late(), notJson())), {
          maxLength: 60,
        }),
      ),
    );

  it('property: entries carry every record once, in order, byte for byte, within every limit', () => {
    fc.assert(
      fc.property(scenario, ([l, specs]) => {
        const records = specs.map(([size, route], i) => rec(`r${i}`, size, route));
        const limits = { records: l.records, bytes: l.bytes };
        const chunks = packChunks(records, l.max, limits);
        const entries = chunks.flat();
        expect(entries.flatMap(recordsOf)).to.deep.equal(records);
        expect(Buffer.concat(entries.map((e) => e.data))).to.deep.equal(
          Buffer.concat(records.map((r) => r.data)),
        );
        for (const c of chunks) {
          expect(c.length).to.be.within(1, l.records);
          expect(c.reduce((n, e) => n + e.data.byteLength, 0)).to.be.at.most(l.bytes);
        }
        for (const e of entries) {
          const members = recordsOf(e);
          if (members.length > 1) expect(e.data.byteLength).to.be.at.most(l.max);
          // A packed entry keeps the first record's route; each record keeps its own.
          expect(e.route).to.equal(members[0].route);
        }
        if (l.max === 0) expect(chunks).to.deep.equal(chunk(records, limits));
      }),
    );
  });

  it('property: greedy — every call but the last is full: no entry slot left, or the next record does not fit', () => {
    fc.assert(
      fc.property(scenario, ([l, specs]) => {
        const records = specs.map(([size, route], i) => rec(`r${i}`, size, route));
        const chunks = packChunks(records, l.max, { records: l.records, bytes: l.bytes });
        for (let k = 0; k + 1 < chunks.length; k++) {
          const used = chunks[k].reduce((n, e) => n + e.data.byteLength, 0);
          const next = recordsOf(chunks[k + 1][0])[0].data.byteLength;
          expect(chunks[k].length === l.records || used + next > l.bytes, `call ${k}`).to.equal(true);
        }
      }),
    );
  });

  it('property: with room for the entries, calls are exactly the greedy byte split (the 4 MiB floor, scaled down)', () => {
    // AWS's ratio scaled by 1/1024: 1000-byte entries, 4,096-byte calls; 500 entries never bind.
    const limits = { records: 500, bytes: 4096 };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 60 }), (sizes) => {
        const records = sizes.map((size, i) => rec(`r${i}`, size));
        const packed = packChunks(records, 1000, limits);
        // Without an entry limit, greedy splitting by bytes alone is the fewest calls for ordered records.
        expect(packed.length).to.equal(chunk(records, { records: Infinity, bytes: limits.bytes }).length);
      }),
    );
  });
});

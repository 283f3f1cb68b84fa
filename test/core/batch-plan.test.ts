import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { chunk, MAX_BATCH_BYTES, MAX_BATCH_RECORDS, MAX_RECORD_BYTES } from '../../rotation/core/chunking';
import { isKplAggregate } from '../../rotation/core/kpl';
import { KPL_MAGIC } from '../support/kpl';
import { decodeKinesisBatch, groupByStream, withNewline } from '../../rotation/core/routing';
import { at, settings } from '../support/fixtures';
import { planBatch } from '../support/routing';

const S = settings();
const now = '2026-11-22T05:20:00Z';
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);
const json = (timestamp: unknown) => bytes(JSON.stringify({ id: 1, timestamp }));
const instant = fc.integer({ min: Date.parse('2000-01-01Z'), max: Date.parse('2100-01-01Z') });
// Only byteLength matters to chunking; a fake avoids allocating gigabytes in properties.
const sized = (n: number, id = n) => ({ id, data: { byteLength: n } as Uint8Array });

describe('batch plan', () => {
  const newlines: [string, string][] = [
    ['a', 'a\n'],
    ['a\n', 'a\n'],
    ['', '\n'],
    ['a\r\n', 'a\r\n'],
    ['a\n\n', 'a\n\n'],
    ['a\nb', 'a\nb\n'],
  ];
  for (const [input, output] of newlines) {
    it(`withNewline(${JSON.stringify(input)}) = ${JSON.stringify(output)}`, () => {
      expect(text(withNewline(bytes(input)))).to.equal(output);
    });
  }

  it('withNewline keeps a record that already ends in a newline as is, without copying', () => {
    const data = bytes('{"a":1}\n');
    expect(withNewline(data)).to.equal(data);
  });

  it('planBatch rejects a record only when it exceeds 1,024,000 bytes with its newline', () => {
    const plan = planBatch(
      [
        { id: 'fits', data: new Uint8Array(MAX_RECORD_BYTES - 1).fill(0x61) },
        { id: 'fits-with-newline', data: new Uint8Array(MAX_RECORD_BYTES).fill(0x0a) },
        { id: 'too-large', data: new Uint8Array(MAX_RECORD_BYTES).fill(0x61) },
      ],
      at(now),
      S,
    );
    expect(plan.outbound.map((o) => [o.id, o.data.byteLength, o.route.stream])).to.deep.equal([
      ['fits', 1_024_000, 'events-fallback'],
      ['fits-with-newline', 1_024_000, 'events-fallback'],
    ]);
    expect(plan.rejected).to.deep.equal([
      {
        id: 'too-large',
        reason: 'too-large',
        bytes: 1_024_001,
        detail: 'record is 1024001 bytes with its newline; Firehose accepts at most 1024000',
      },
    ]);
  });

  it('groupByStream keeps input order inside each destination', () => {
    const plan = planBatch(
      ['2026-11-22T05:01:00Z', 'x', '2026-11-22T04:01:00Z', '2026-11-22T05:02:00Z', 'y'].map((t, i) => ({
        id: String(i),
        data: t.length > 1 ? json(t) : bytes(t),
      })),
      at(now),
      S,
    );
    const groups = [...groupByStream(plan.outbound)].map(([stream, items]) => [
      stream,
      items.map((o) => o.id),
    ]);
    expect(groups).to.deep.equal([
      ['events-2026112205', ['0', '3']],
      ['events-fallback', ['1', '4']],
      ['events-2026112204', ['2']],
    ]);
  });

  it('property: decodeKinesisBatch gives each record its bytes, newline-terminated like withNewline unless a KPL aggregate', () => {
    // Some records start with the KPL magic: those keep their exact bytes (their MD5 covers them).
    const data = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 40 }).map((d) => Buffer.concat([KPL_MAGIC, d])),
    );
    fc.assert(
      fc.property(fc.array(data, { maxLength: 30 }), (datas) => {
        const decoded = decodeKinesisBatch(datas.map((d) => Buffer.from(d).toString('base64')));
        expect(decoded.map((d) => Buffer.from(d).toString('hex'))).to.deep.equal(
          datas.map((d) => Buffer.from(isKplAggregate(d) ? d : withNewline(d)).toString('hex')),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('property: planBatch puts every event of every record in exactly one of outbound or rejected, bytes unchanged', () => {
    const record = fc.oneof(
      fc.string().map(bytes),
      instant.map((ms) => json(new Date(ms).toISOString())),
      // JSON Lines: several documents, one per line, split into events.
      fc
        .array(instant, { minLength: 2, maxLength: 4 })
        .map((ms) => bytes(ms.map((t) => `{"timestamp":${t}}`).join('\n'))),
      fc.uint8Array({ maxLength: 64 }),
      fc
        .constantFrom(MAX_RECORD_BYTES - 1, MAX_RECORD_BYTES, MAX_RECORD_BYTES + 1)
        .map((n) => new Uint8Array(n)),
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), instant, (datas, nowMs) => {
        const records = datas.map((data, i) => ({ id: `seq-${i}`, data }));
        const plan = planBatch(records, DateTime.fromMillis(nowMs, { zone: 'utc' }), S);
        const rejected = new Set(plan.rejected.map((r) => r.id));
        for (const { id, data } of records) {
          const events = plan.outbound.filter((o) => o.id === id);
          if (rejected.has(id)) continue; // only a too-large record here: its one event is refused
          // The events are the record's bytes, in order, each "\n"-terminated: its lines, or itself.
          expect(events.length).to.be.at.least(1);
          for (const e of events) {
            expect(e.data.byteLength).to.be.at.most(MAX_RECORD_BYTES);
            expect(e.data[e.data.byteLength - 1]).to.equal(0x0a);
            // Split events are lines: their only LF is their last byte.
            if (events.length > 1) expect(e.data.indexOf(0x0a)).to.equal(e.data.byteLength - 1);
          }
          expect(Buffer.concat(events.map((e) => e.data)).equals(Buffer.from(withNewline(data)))).to.equal(
            true,
          );
        }
        for (const r of plan.rejected) {
          expect(r.bytes).to.be.above(MAX_RECORD_BYTES);
          expect(plan.outbound.some((o) => o.id === r.id)).to.equal(false);
        }
      }),
    );
  });

  const chunkings: [string, number[], number[]][] = [
    ['nothing', [], []],
    ['501 small records', Array<number>(501).fill(10), [500, 1]],
    ['exactly 4 MiB', Array<number>(4).fill(1_048_576), [4]],
    ['4 MiB and one byte', [...Array<number>(4).fill(1_048_576), 1], [4, 1]],
    ['five maximum records', Array<number>(5).fill(MAX_RECORD_BYTES), [4, 1]],
    ['304 bytes then 4,194,000: exactly 4 MiB', [...Array<number>(304).fill(1), 4_194_000, 1], [305, 1]],
  ];
  for (const [name, sizes, expected] of chunkings) {
    it(`chunk: ${name} → ${JSON.stringify(expected)}`, () => {
      expect(chunk(sizes.map((n) => sized(n))).map((c) => c.length)).to.deep.equal(expected);
    });
  }

  it('chunk refuses a single record over the batch byte limit', () => {
    expect(() => chunk([sized(MAX_BATCH_BYTES + 1)])).to.throw(
      RangeError,
      'a record of 4194305 bytes exceeds the batch limit of 4194304 bytes',
    );
  });

  it('property: chunks keep order, are non-empty, and never exceed 500 records or 4 MiB', () => {
    const size = fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: MAX_RECORD_BYTES }));
    fc.assert(
      fc.property(fc.array(size, { maxLength: 1_500 }), (sizes) => {
        const items = sizes.map((n, i) => sized(n, i));
        const chunks = chunk(items);
        expect(chunks.flat()).to.deep.equal(items);
        for (const c of chunks) {
          expect(c.length).to.be.within(1, MAX_BATCH_RECORDS);
          expect(c.reduce((sum, item) => sum + item.data.byteLength, 0)).to.be.at.most(MAX_BATCH_BYTES);
        }
      }),
    );
  });
});

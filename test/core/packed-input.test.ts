// Producer-packed records, example by example: JSON Lines split into their lines, KPL aggregates
// into their user records, each event routed by its own event time; a record that is not cleanly
// either keeps the one-record rules, whole. Properties over mixes: test/handlers/packed-input.property.test.ts.
import { expect } from 'chai';
import { planColumns } from '../../rotation/core/batch-plan';
import { MAX_RECORD_BYTES } from '../../rotation/core/chunking';
import { decodeKinesisBatch } from '../../rotation/core/routing';
import { at, settings } from '../support/fixtures';
import { aggregate, badChecksum, magicThenGarbage, truncatedProtobuf, withChecksum } from '../support/kpl';
import { referenceStreamIndex } from '../support/router-reference';
import { planBatch, planLines } from '../support/routing';

const S = settings();
const NOW = at('2026-11-22T05:20:00Z');
const ev = (id: string, timestamp?: string) => JSON.stringify({ id, timestamp });
const A = ev('a', '2026-11-22T05:10:00Z');
const B = ev('b', '2026-11-22T04:10:00Z');
const LATE = ev('c', '2026-11-22T02:10:00Z');
const H05 = 'events-2026112205';
const H04 = 'events-2026112204';
const FB = 'events-fallback';
const q = (text: string) => JSON.stringify(text);

describe('producer-packed records: JSON Lines', () => {
  const examples: [string, string, string[]][] = [
    [
      'two documents, no final newline',
      `${A}\n${B}`,
      [`s ${q(`${A}\n`)} → ${H05}`, `s ${q(`${B}\n`)} → ${H04}`],
    ],
    [
      'CRLF lines keep their CR',
      `${A}\r\n${B}\r\n`,
      [`s ${q(`${A}\r\n`)} → ${H05}`, `s ${q(`${B}\r\n`)} → ${H04}`],
    ],
    [
      'each line by its own time: on time, late, no timestamp',
      `${A}\n${LATE}\n{"id":"d"}\n`,
      [
        `s ${q(`${A}\n`)} → ${H05}`,
        `s ${q(`${LATE}\n`)} → ${FB} late`,
        `s ${q('{"id":"d"}\n')} → ${FB} no-timestamp`,
      ],
    ],
    [
      'JSON values that are not objects',
      '1\n"x"',
      [`s ${q('1\n')} → ${FB} no-timestamp`, `s ${q('"x"\n')} → ${FB} no-timestamp`],
    ],
    [
      'one line cut short: whole, not-json',
      `${A}\n${B.slice(0, -1)}`,
      [`s ${q(`${A}\n${B.slice(0, -1)}\n`)} → ${FB} not-json`],
    ],
    [
      'a blank line between: whole, not-json',
      `${A}\n\n${B}\n`,
      [`s ${q(`${A}\n\n${B}\n`)} → ${FB} not-json`],
    ],
    ['a blank line after: whole, multi-line', `${A}\n\n`, [`s ${q(`${A}\n\n`)} → ${FB} multi-line`]],
    [
      'one pretty-printed document: whole, multi-line',
      '{\n"id": 1\n}',
      [`s ${q('{\n"id": 1\n}\n')} → ${FB} multi-line`],
    ],
    [
      'a lone CR inside a line: whole, not-json',
      `${A}\n{"id":\r1}`,
      [`s ${q(`${A}\n{"id":\r1}\n`)} → ${FB} not-json`],
    ],
    [
      'a byte-order mark on line 2: whole, not-json',
      `${A}\n\ufeff${B}`,
      [`s ${q(`${A}\n\ufeff${B}\n`)} → ${FB} not-json`],
    ],
  ];
  for (const [name, input, expected] of examples) {
    it(`${name} → ${expected.length} event(s)`, () => {
      expect(planLines([{ id: 's', data: Buffer.from(input) }], NOW, S)).to.deep.equal(expected);
    });
  }

  it('with several streams per hour, the lines of a record spread by its partition key: together', () => {
    const s = settings({ streamsPerHour: 2 });
    for (const key of ['k-0', 'k-1', 'k-2', 'k-3']) {
      const data = Buffer.from(
        [A, ev('b', '2026-11-22T05:11:00Z'), ev('c', '2026-11-22T05:12:00Z')].join('\n'),
      );
      const plan = planBatch([{ id: 's', data, partitionKey: key }], NOW, s);
      expect(plan.outbound.map((o) => (o.route.kind === 'hourly' ? o.route.index : -1))).to.deep.equal(
        Array<number>(3).fill(referenceStreamIndex(key, 2)),
      );
    }
  });

  it('lines are views of the decoded batch: adjacent, nothing copied', () => {
    const [data] = decodeKinesisBatch([Buffer.from(`${A}\n${B}`).toString('base64')]);
    const plan = planColumns(['s'], [data], NOW, S);
    expect(
      plan.outbound.map((o) => [o.data.buffer === data.buffer, o.data.byteOffset - data.byteOffset]),
    ).to.deep.equal([
      [true, 0],
      [true, A.length + 1],
    ]);
  });

  it('the size limit is per line: a record over 1,000 KiB of small lines is sent; one line over it fails the record', () => {
    const line = (id: string, n: number) =>
      `{"id":"${id}","timestamp":"2026-11-22T05:10:00Z","p":"${'x'.repeat(n)}"}`;
    const big = `${line('a', 600_000)}\n${line('b', 600_000)}`;
    const over = `${line('c', 10)}\n${line('d', MAX_RECORD_BYTES)}`;
    const plan = planBatch(
      [
        { id: 'big', data: Buffer.from(big) },
        { id: 'over', data: Buffer.from(over) },
      ],
      NOW,
      S,
    );
    expect(plan.outbound.map((o) => [o.id, o.data.length, o.route.stream])).to.deep.equal([
      ['big', 600_053, H05],
      ['big', 600_053, H05],
      ['over', 63, H05],
    ]);
    expect(plan.rejected.map((r) => [r.id, r.bytes])).to.deep.equal([['over', 1_024_053]]);
  });
});

describe('producer-packed records: KPL aggregates', () => {
  it('each user record is routed by its own time, with the Kinesis record as its id', () => {
    const agg = aggregate([{ data: A }, { data: `${B}\n` }, { data: 'not json' }, { data: LATE }]);
    expect(planLines([{ id: 's', data: agg }], NOW, S)).to.deep.equal([
      `s ${q(`${A}\n`)} → ${H05}`,
      `s ${q(`${B}\n`)} → ${H04}`,
      `s ${q('not json\n')} → ${FB} not-json`,
      `s ${q(`${LATE}\n`)} → ${FB} late`,
    ]);
  });

  it('a user record that is JSON Lines is split like a Kinesis record; one that is pretty-printed stays whole', () => {
    const agg = aggregate([{ data: `${A}\n${B}` }, { data: '{\n}' }]);
    expect(planLines([{ id: 's', data: agg }], NOW, S)).to.deep.equal([
      `s ${q(`${A}\n`)} → ${H05}`,
      `s ${q(`${B}\n`)} → ${H04}`,
      `s ${q('{\n}\n')} → ${FB} multi-line`,
    ]);
  });

  it('decodeKinesisBatch keeps an aggregate byte for byte: no newline joins the bytes its MD5 covers', () => {
    const agg = aggregate([{ data: A }]);
    const [data, plain] = decodeKinesisBatch([agg.toString('base64'), Buffer.from(A).toString('base64')]);
    expect(Buffer.from(data).equals(agg)).to.equal(true);
    expect(Buffer.from(plain).toString()).to.equal(`${A}\n`);
  });

  const good = aggregate([{ data: A }, { data: B }]);
  const malformed: [string, Buffer, string][] = [
    ['a wrong MD5', badChecksum(good), 'KPL aggregate: MD5 checksum does not match its protobuf'],
    [
      'a protobuf cut short (its MD5 right)',
      truncatedProtobuf(good, 3),
      // protobufjs: the last user record's bytes (45 at offset 69) run past the 111 left
      'KPL aggregate: protobuf does not decode (index out of range: 69 + 45 > 111)',
    ],
    [
      'the magic, then garbage',
      magicThenGarbage(Buffer.from('hello world, not protobuf at all')),
      'KPL aggregate: protobuf does not decode (invalid wire type 4 at offset 3)',
    ],
    [
      'the magic and nothing else',
      magicThenGarbage(Buffer.alloc(0)),
      'KPL aggregate: MD5 checksum does not match its protobuf',
    ],
    ['an aggregate of no user records', withChecksum(Buffer.alloc(0)), 'aggregate holds no user records'],
  ];
  for (const [name, data, detail] of malformed) {
    it(`${name}: the whole record to the fallback, bad-aggregate, bytes unchanged`, () => {
      const plan = planBatch([{ id: 's', data }], NOW, S);
      expect(plan.rejected).to.deep.equal([]);
      expect(plan.outbound.map((o) => [o.id, o.route])).to.deep.equal([
        ['s', { kind: 'fallback', stream: FB, reason: 'bad-aggregate', detail }],
      ]);
      expect(Buffer.from(plan.outbound[0].data).equals(Buffer.concat([data, Buffer.from('\n')]))).to.equal(
        true,
      );
    });
  }

  it('with several streams per hour, a user record spreads by its own partition key', () => {
    const s = settings({ streamsPerHour: 2 });
    const keys = ['k-0', 'k-1', 'k-2', 'k-3', 'k-4', 'k-5'];
    const agg = aggregate(
      keys.map((partitionKey, i) => ({ partitionKey, data: ev(`e${i}`, '2026-11-22T05:10:00Z') })),
    );
    const plan = planBatch([{ id: 's', data: agg, partitionKey: 'record-key' }], NOW, s);
    expect(plan.outbound.map((o) => (o.route.kind === 'hourly' ? o.route.index : -1))).to.deep.equal(
      keys.map((k) => referenceStreamIndex(k, 2)),
    );
    expect(new Set(keys.map((k) => referenceStreamIndex(k, 2))).size).to.equal(2); // both indexes are exercised
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  dataPrefixFor,
  LineSplitter,
  placeableDataPrefixes,
  placedObjectKey,
  placementReader,
  sourceTag,
} from '../../rotation/core/placement';
import { withNewline } from '../../rotation/core/routing';
import type { FormerGeneration } from '../../rotation/core/generations';
import { streamName } from '../../rotation/core/names';
import { at, settings } from '../support/fixtures';
import { decideRoute } from '../support/routing';

const S = settings();
const bytes = (text: string) => new TextEncoder().encode(text);
const line = (text: string) => bytes(`${text}\n`);
const hourMs = (iso: string) => at(iso).toMillis();
const place = placementReader(S);

describe('placement: the hour of a fallback line', () => {
  const examples: [string, Uint8Array, number | string][] = [
    ['ISO with Z', line('{"id":1,"timestamp":"2026-11-22T05:59:59.999Z"}'), hourMs('2026-11-22T05:00:00Z')],
    ['offset', line('{"timestamp":"2026-11-22T10:29:59+05:30"}'), hourMs('2026-11-22T04:00:00Z')],
    ['epoch seconds', line('{"timestamp":1795325400}'), hourMs('2026-11-22T05:00:00Z')],
    ['epoch millis', line('{"timestamp":1795325400123}'), hourMs('2026-11-22T05:00:00Z')],
    [
      'CRLF terminator (the router allows one CR)',
      line('{"timestamp":1795325400}\r'),
      hourMs('2026-11-22T05:00:00Z'),
    ],
    ['before 1970', line('{"timestamp":"1969-12-31T23:30:00Z"}'), hourMs('1969-12-31T23:00:00Z')],
    ['not JSON', line('{"id":1,"timestamp":'), 'not-json'],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d, 0x0a]), 'not-json'],
    ['empty line', line(''), 'not-json'],
    ['no timestamp', line('{"id":1}'), 'no-timestamp'],
    ['null timestamp', line('{"timestamp":null}'), 'no-timestamp'],
    ['bad timestamp', line('{"timestamp":"yesterday"}'), 'bad-timestamp'],
    ['no offset', line('{"timestamp":"2026-11-22T05:00:00"}'), 'bad-timestamp'],
    ['byte-order mark', bytes('\ufeff{"timestamp":1795325400}\n'), 'byte-order-mark'],
    ['CR inside', line('{"timestamp":\r1795325400}'), 'multi-line'],
    ['no newline (end of a torn object)', bytes('{"timestamp":1795325400}'), 'unterminated'],
    ['year 10000', line('{"timestamp":"+010000-01-01T00:00:00Z"}'), 'bad-timestamp'],
    ['epoch millis in year 275759', line('{"timestamp":8.6e15}'), 'out-of-range'],
    ['year -1 (epoch seconds)', line('{"timestamp":-62198755200}'), 'out-of-range'],
  ];
  for (const [name, data, expected] of examples) {
    it(`${name} → ${typeof expected === 'number' ? new Date(expected).toISOString() : expected}`, () => {
      expect(place(data)).to.equal(expected);
    });
  }

  it('reads the configured field and format, as the router does', () => {
    const nested = placementReader(settings({ eventTimeField: 'meta.ts', eventTimeFormat: 'epochSeconds' }));
    expect(nested(line('{"meta":{"ts":1795325400}}'))).to.equal(hourMs('2026-11-22T05:00:00Z'));
    expect(nested(line('{"meta":{"ts":"2026-11-22T05:00:00Z"}}'))).to.equal('bad-timestamp');
  });

  // The agreement that makes a placed record's hour the router's: routed at an instant when that
  // hour is open, the same bytes go to that hour's stream; a line it cannot place, the router sends
  // to the fallback for the same reason.
  it('agrees with the router on every record (property)', () => {
    const value = fc.oneof(
      fc.integer({ min: -2e9, max: 4e9 }),
      fc.integer({ min: -2e12, max: 4e12 }),
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom('yesterday', '', null, true, [], {}),
    );
    const record = fc.oneof(
      fc.record({ id: fc.nat(), timestamp: value }).map((o) => JSON.stringify(o)),
      fc.record({ id: fc.nat() }).map((o) => JSON.stringify(o)),
      fc.string({ unit: 'binary', maxLength: 40 }).filter((t) => !t.includes('\n')),
      value.map((v) => JSON.stringify({ timestamp: v }, null, 1)), // multi-line
    );
    fc.assert(
      fc.property(record, (text) => {
        const data = withNewline(bytes(text));
        const placed = place(data);
        if (typeof placed === 'number') {
          const hour = DateTime.fromMillis(placed, { zone: 'utc' });
          const route = decideRoute(data, hour.plus({ minutes: 30 }), S);
          expect(route.stream).to.equal(streamName(S.streamPrefix, hour));
        } else if (placed !== 'out-of-range') {
          const route = decideRoute(data, at('2026-11-22T05:30:00Z'), S);
          expect(route.kind === 'fallback' && route.reason).to.equal(placed);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('LineSplitter', () => {
  const split = (chunks: string[], max?: number) => {
    const splitter = new LineSplitter(max);
    const lines = chunks.flatMap((c) => [...splitter.push(bytes(c))].map((l) => Buffer.from(l).toString()));
    const rest = splitter.end();
    return { lines, rest: rest && Buffer.from(rest).toString(), overlong: splitter.overlongLines };
  };

  it('joins lines across chunks and returns the unterminated end', () => {
    expect(split(['{"a"', ':1}\n{"b":2}\n{', '"c"'])).to.deep.equal({
      lines: ['{"a":1}\n', '{"b":2}\n'],
      rest: '{"c"',
      overlong: 0,
    });
  });

  it('drops a line longer than any router record without holding it', () => {
    expect(split(['0123', '456789\nok\n', '0123456789abc'], 8)).to.deep.equal({
      lines: ['ok\n'],
      rest: undefined,
      overlong: 2,
    });
  });

  it('yields exactly the lines, however the bytes are chunked (property)', () => {
    const lines = fc.array(
      fc.string({ maxLength: 20 }).filter((t) => !t.includes('\n')),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(lines, fc.array(fc.nat(), { maxLength: 10 }), (texts, cuts) => {
        const whole = texts.map((t) => `${t}\n`).join('');
        const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((p, i, all) => whole.slice(p, all[i + 1] ?? whole.length));
        expect(split(chunks).lines).to.deep.equal(texts.map((t) => `${t}\n`));
      }),
    );
  });
});

describe('placed object keys', () => {
  it('derive from the source object and the part, in the hour partition', () => {
    const tag = sourceTag('demo-lake', 'late/2026/11/22/07/x-1', 'v1');
    expect(tag).to.match(/^[0-9a-f]{16}$/);
    expect(placedObjectKey('data', hourMs('2026-11-22T05:00:00Z'), tag, 3, 'GZIP')).to.equal(
      `data/dt=2026-11-22/hr=05/placed-${tag}-0003.gz`,
    );
    expect(placedObjectKey('a/b', hourMs('2026-01-02T23:00:00Z'), tag, 0, 'UNCOMPRESSED')).to.equal(
      `a/b/dt=2026-01-02/hr=23/placed-${tag}-0000`,
    );
  });

  it('differ for another version of the same key, and are equal for the same one', () => {
    expect(sourceTag('b', 'k', 'v1')).to.equal(sourceTag('b', 'k', 'v1'));
    expect(sourceTag('b', 'k', 'v1')).not.to.equal(sourceTag('b', 'k', 'v2'));
    expect(sourceTag('b', 'k1', 'v')).not.to.equal(sourceTag('b', 'k', '1v'));
  });
});

describe('the data prefix of a placed hour (settings changes)', () => {
  // Two former configurations: hours before 2026112206 were named (and written) under "older",
  // hours from then until 2026112209 under "old"; later hours under the current "data".
  const formers = [
    { namesUntil: '2026112206', dataPrefix: 'older' },
    { namesUntil: '2026112209', dataPrefix: 'old' },
  ] as FormerGeneration[];
  const s = { dataPrefix: 'data', formerGenerations: formers };

  it("is where the hour's stream wrote: a former configuration's prefix before its namesUntil", () => {
    expect(
      ['2026-11-22T05:00:00Z', '2026-11-22T06:00:00Z', '2026-11-22T08:59:59Z', '2026-11-22T09:00:00Z'].map(
        (iso) => dataPrefixFor(hourMs(iso), s),
      ),
    ).to.deep.equal(['older', 'old', 'old', 'data']);
    expect(
      dataPrefixFor(hourMs('2026-11-22T05:00:00Z'), { dataPrefix: 'data', formerGenerations: [] }),
    ).to.equal('data');
  });

  it('the placer may write to the current and every live former prefix, each once', () => {
    expect(
      placeableDataPrefixes({ dataPrefix: 'data', formerGenerations: [...formers, formers[1]] }),
    ).to.deep.equal(['data', 'older', 'old']);
  });
});

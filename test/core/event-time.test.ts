import { expect } from 'chai';
import fc from 'fast-check';
import { EventTimeFormat, eventTimeOf, fieldAt, parseEventTime } from '../../rotation/core/event-time';

type Expected = string | { reason: 'no-timestamp' | 'bad-timestamp'; detail: string };

function expectTime(value: unknown, format: EventTimeFormat, expected: Expected): void {
  const result = parseEventTime(value, format);
  if (typeof expected === 'string') {
    expect(result.ok ? result.time.toISO() : result).to.equal(expected);
  } else {
    expect(result).to.deep.equal({ ok: false, ...expected });
  }
}

const bad = (detail: string) => ({ reason: 'bad-timestamp' as const, detail });

describe('event time', () => {
  const examples: [unknown, EventTimeFormat, Expected][] = [
    ['2026-11-22T05:30:00Z', 'auto', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T05:30:00z', 'auto', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T05:30:00+05:30', 'auto', '2026-11-22T00:00:00.000Z'],
    ['2026-11-22T23:30:00-08:00', 'auto', '2026-11-23T07:30:00.000Z'],
    ['2026-11-22T05:30:00.123456+0000', 'iso8601', '2026-11-22T05:30:00.123Z'],
    ['2026-11-22T05:30+01', 'iso8601', '2026-11-22T04:30:00.000Z'],
    [
      '2026-11-22T05:30:00',
      'auto',
      bad('ISO-8601 time without offset or Z is ambiguous: "2026-11-22T05:30:00"'),
    ],
    ['2026-11-22', 'iso8601', bad('ISO-8601 time without offset or Z is ambiguous: "2026-11-22"')],
    ['2026-13-01T00:00:00Z', 'auto', bad('not an ISO-8601 time: "2026-13-01T00:00:00Z"')],
    ['yesterday', 'auto', bad('not an ISO-8601 time: "yesterday"')],
    ['x'.repeat(70), 'auto', bad(`not an ISO-8601 time: "${'x'.repeat(64)}…"`)],
    [1795325400, 'auto', '2026-11-22T05:30:00.000Z'],
    [1795325400.9999, 'auto', '2026-11-22T05:30:00.999Z'],
    [1795325400123, 'auto', '2026-11-22T05:30:00.123Z'],
    [99999999999, 'auto', '5138-11-16T09:46:39.000Z'],
    [1e11, 'auto', '1973-03-03T09:46:40.000Z'],
    [0, 'auto', '1970-01-01T00:00:00.000Z'],
    [1795325400, 'epochSeconds', '2026-11-22T05:30:00.000Z'],
    [1795325400123, 'epochMillis', '2026-11-22T05:30:00.123Z'],
    [1795325400, 'epochMillis', '1970-01-21T18:42:05.400Z'],
    [1e20, 'epochMillis', bad('epoch millis out of range: 100000000000000000000')],
    ['1795325400', 'epochSeconds', bad('expected epochSeconds, got "1795325400"')],
    ['2026-11-22T05:30:00Z', 'epochMillis', bad('expected epochMillis, got "2026-11-22T05:30:00Z"')],
    [1795325400, 'iso8601', bad('expected iso8601, got 1795325400')],
    [true, 'auto', bad('expected an ISO-8601 string or epoch number, got a boolean')],
    [{}, 'auto', bad('expected an ISO-8601 string or epoch number, got an object')],
    [[1], 'auto', bad('expected an ISO-8601 string or epoch number, got an array')],
    [null, 'auto', { reason: 'no-timestamp', detail: 'field absent' }],
    [undefined, 'epochSeconds', { reason: 'no-timestamp', detail: 'field absent' }],
  ];
  for (const [value, format, expected] of examples) {
    it(`${JSON.stringify(value)?.slice(0, 40)} as ${format} → ${JSON.stringify(expected)}`, () => {
      expectTime(value, format, expected);
    });
  }

  const paths: [unknown, string, unknown][] = [
    [{ meta: { ts: 1 } }, 'meta.ts', 1],
    [{ meta: { ts: { deep: 2 } } }, 'meta.ts.deep', 2],
    [{ meta: 'x' }, 'meta.ts', undefined],
    [{ 'meta.ts': 1 }, 'meta.ts', undefined], // a dotted path always means nesting
    [{}, 'constructor', undefined], // inherited properties are not fields
    [{ a: [5, 6] }, 'a.1', 6],
    [[1], '0', 1],
    ['text', 'length', undefined],
    [null, 'timestamp', undefined],
  ];
  for (const [doc, path, expected] of paths) {
    it(`fieldAt(${JSON.stringify(doc)}, "${path}") = ${JSON.stringify(expected)}`, () => {
      expect(fieldAt(doc, path)).to.equal(expected);
    });
  }

  it('reads the configured field of a document', () => {
    const result = eventTimeOf({ meta: { at: '2026-11-22T05:30:00-08:00' } }, 'meta.at', 'auto');
    expect(result.ok && result.time.toISO()).to.equal('2026-11-22T13:30:00.000Z');
    expect(eventTimeOf({ at: 1 }, 'meta.at', 'auto')).to.deep.equal({
      ok: false,
      reason: 'no-timestamp',
      detail: 'field absent',
    });
  });

  const instant = fc.date({
    min: new Date('1990-01-01Z'),
    max: new Date('2100-01-01Z'),
    noInvalidDate: true,
  });

  it('property: an instant written with any offset reads back as the same UTC instant', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -12 * 60, max: 14 * 60 }), (date, offsetMinutes) => {
        const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        const result = parseEventTime(`${local}${offset}`, 'auto');
        expect(result.ok && result.time.toMillis()).to.equal(date.getTime());
      }),
    );
  });

  it('property: auto reads epoch seconds and epoch millis of the same instant alike', () => {
    fc.assert(
      fc.property(instant, (date) => {
        const millis = date.getTime();
        const fromSeconds = parseEventTime(millis / 1000, 'auto');
        const fromMillis = parseEventTime(millis, 'auto');
        expect(fromSeconds.ok && fromSeconds.time.toMillis()).to.equal(millis);
        expect(fromMillis.ok && fromMillis.time.toMillis()).to.equal(millis);
      }),
    );
  });
});

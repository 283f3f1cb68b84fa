import { expect } from 'chai';
import fc from 'fast-check';
import { EventTimeFormat } from '../../rotation/core/event-time';
import { eventTimeOf, fieldAt, parseEventTime } from '../support/event-time';

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
const OFFSET = 'UTC offset out of range (hh ≤ 23, mm ≤ 59)';

describe('event time', () => {
  const examples: [unknown, EventTimeFormat, Expected][] = [
    ['2026-11-22T05:30:00Z', 'auto', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T05:30:00z', 'auto', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T05:30:00+05:30', 'auto', '2026-11-22T00:00:00.000Z'],
    ['2026-11-22T23:30:00-08:00', 'auto', '2026-11-23T07:30:00.000Z'],
    ['2026-11-22T05:30:00.123456+0000', 'iso8601', '2026-11-22T05:30:00.123Z'],
    ['2026-11-22T05:30+01', 'iso8601', '2026-11-22T04:30:00.000Z'],
    ['2026-11-22t05:30:00Z', 'auto', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T05:30Z', 'auto', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T05:59:59.99999999999999999999Z', 'auto', '2026-11-22T05:59:59.999Z'],
    ['2026-11-22T05:30:00.1239+05:30', 'auto', '2026-11-22T00:00:00.123Z'],
    ['2026-11-22T05:30:00-0800', 'auto', '2026-11-22T13:30:00.000Z'],
    ['2026-11-22T05:30:00+23:59', 'auto', '2026-11-21T05:31:00.000Z'],
    ['2026-11-22T05:30:00-00:00', 'auto', '2026-11-22T05:30:00.000Z'],
    [
      '2026-11-22T05:30:00',
      'auto',
      bad('RFC 3339 time without offset or Z is ambiguous: "2026-11-22T05:30:00"'),
    ],
    ['2026-11-22', 'iso8601', bad('not an RFC 3339 date-time: "2026-11-22"')],
    ['2026-11-22T05:10:00-00:60', 'auto', bad(`${OFFSET}: "2026-11-22T05:10:00-00:60"`)],
    ['2026-11-22T05:10:00+05:99', 'auto', bad(`${OFFSET}: "2026-11-22T05:10:00+05:99"`)],
    ['2026-11-22T05:10:00+25:00', 'auto', bad(`${OFFSET}: "2026-11-22T05:10:00+25:00"`)],
    ['2026-11-22T05:10:00+99:00', 'auto', bad(`${OFFSET}: "2026-11-22T05:10:00+99:00"`)],
    ['2026-11-22T05:10:00+24', 'auto', bad(`${OFFSET}: "2026-11-22T05:10:00+24"`)],
    ['2026-13-01T00:00:00Z', 'auto', bad('date or time field out of range: "2026-13-01T00:00:00Z"')],
    ['2026-02-29T00:00:00Z', 'auto', bad('date or time field out of range: "2026-02-29T00:00:00Z"')],
    ['2026-11-22T23:59:60Z', 'auto', bad('date or time field out of range: "2026-11-22T23:59:60Z"')],
    ['2026-11-22T24:00:00Z', 'auto', bad('date or time field out of range: "2026-11-22T24:00:00Z"')],
    ['2026-11-22 05:30:00Z', 'auto', bad('not an RFC 3339 date-time: "2026-11-22 05:30:00Z"')],
    ['2026-W47-7T05:30:00Z', 'auto', bad('not an RFC 3339 date-time: "2026-W47-7T05:30:00Z"')],
    ['20261122T053000Z', 'auto', bad('not an RFC 3339 date-time: "20261122T053000Z"')],
    ['2026-11-22T05:30:00.Z', 'auto', bad('not an RFC 3339 date-time: "2026-11-22T05:30:00.Z"')],
    ['2026-11-22T05:30:00,5Z', 'auto', bad('not an RFC 3339 date-time: "2026-11-22T05:30:00,5Z"')],
    ['2026-11-22T05:30:00Z ', 'auto', bad('not an RFC 3339 date-time: "2026-11-22T05:30:00Z "')],
    ['yesterday', 'auto', bad('not an RFC 3339 date-time: "yesterday"')],
    ['x'.repeat(70), 'auto', bad(`not an RFC 3339 date-time: "${'x'.repeat(64)}…"`)],
    [1795325400, 'auto', '2026-11-22T05:30:00.000Z'],
    [1795325400.9999, 'auto', '2026-11-22T05:30:00.999Z'],
    [1795325400.123, 'auto', '2026-11-22T05:30:00.123Z'],
    [1795327199.9999998, 'auto', '2026-11-22T05:59:59.999Z'],
    [1795327199.9999998, 'epochSeconds', '2026-11-22T05:59:59.999Z'],
    [1795327199999.9995, 'auto', '2026-11-22T05:59:59.999Z'],
    [1795327199999.9995, 'epochMillis', '2026-11-22T05:59:59.999Z'],
    [-0.0005, 'epochSeconds', '1969-12-31T23:59:59.999Z'],
    [-1.5, 'epochMillis', '1969-12-31T23:59:59.998Z'],
    [1e-7, 'epochSeconds', '1970-01-01T00:00:00.000Z'],
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
    [true, 'auto', bad('expected an RFC 3339 string or epoch number, got a boolean')],
    [{}, 'auto', bad('expected an RFC 3339 string or epoch number, got an object')],
    [[1], 'auto', bad('expected an RFC 3339 string or epoch number, got an array')],
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
    [{ a: [5, 6] }, 'a.1', undefined], // arrays are not objects with fields
    [{ a: [5, 6] }, 'a.length', undefined],
    [[1], '0', undefined],
    [[1], 'length', undefined],
    [{ s: 'text' }, 's.length', undefined],
    ['text', 'length', undefined],
    [JSON.parse('{"__proto__": {"ts": 3}}'), '__proto__.ts', 3], // JSON's own "__proto__" key
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

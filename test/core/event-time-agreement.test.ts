// The router's hot path parses ISO-8601 by hand (no DateTime per record) and falls back to luxon
// for unusual shapes. This property keeps the fast path honest: for any string or number, it
// accepts exactly what luxon's path accepts and yields the same instant.
import { expect } from 'chai';
import fc from 'fast-check';
import { eventMillisFastReader, parseEventMillis, parseEventTime } from '../../rotation/core/event-time';
import { EVENT_TIME_FORMATS } from '../../rotation/core/settings';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isoLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 14 }),
    day: fc.integer({ min: 0, max: 33 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,10}$/), { nil: undefined }),
    zone: fc.constantFrom('Z', 'z', '', '+05:30', '-08:00', '+24:00', '+05:60', '+0530', '+05', '-00:00'),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}` +
      `${t.fraction === undefined ? '' : `.${t.fraction}`}${t.zone}`,
  );

function agree(value: unknown, format: (typeof EVENT_TIME_FORMATS)[number]) {
  const fast = parseEventMillis(value, format);
  const slow = parseEventTime(value, format);
  expect(fast.ok, `${JSON.stringify(value)} as ${format}`).to.equal(slow.ok);
  if (fast.ok && slow.ok) expect(fast.millis, JSON.stringify(value)).to.equal(slow.time.toMillis());
  if (!fast.ok && !slow.ok) expect(fast.reason).to.equal(slow.reason);
  // The router's number-only reader: NaN or exactly the full reader's instant, never another one;
  // and NaN is not allowed for the common ISO shape the bench and most producers use.
  const quick = eventMillisFastReader('t', format)({ t: value });
  if (Number.isNaN(quick)) expect(fast.ok && isCommon(value, format), JSON.stringify(value)).to.equal(false);
  else expect(fast.ok && fast.millis, `${JSON.stringify(value)} as ${format}`).to.equal(quick);
}

const COMMON =
  /^[1-9]\d{3}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const isCommon = (value: unknown, format: string) =>
  typeof value === 'string'
    ? format !== 'epochSeconds' && format !== 'epochMillis' && COMMON.test(value)
    : typeof value === 'number';

describe('event time: fast path agrees with luxon', () => {
  it('property: generated ISO-8601 strings, valid and invalid, in auto and iso8601', () => {
    fc.assert(
      fc.property(isoLike, fc.constantFrom('auto' as const, 'iso8601' as const), (value, format) =>
        agree(value, format),
      ),
      { numRuns: 3000 },
    );
  });

  it('property: any string and any number, in every format', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.double({ min: -1e17, max: 1e17, noNaN: true }), fc.integer()),
        fc.constantFrom(...EVENT_TIME_FORMATS),
        (value, format) => agree(value, format),
      ),
      { numRuns: 3000 },
    );
  });
});

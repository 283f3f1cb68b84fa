// The event-time rule is implemented once (rotation/core/iso-millis.ts, event-time.ts). This file
// holds it against an independent reading of docs/router.md (test/support/router-reference.ts): a
// regex of the documented grammar with its range checks, luxon for the calendar arithmetic (on the
// fraction cut to 3 digits, since luxon rounds longer ones through parseFloat), BigInt for epochs.
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import '../../rotation/core/luxon-strict'; // the luxon comparison below expects it to throw
import { eventMillisFastReader } from '../../rotation/core/event-time';
import { parseEventMillis, parseEventTime } from '../support/event-time';
import { EVENT_TIME_FORMATS } from '../../rotation/core/settings';
import { referenceEventTime } from '../support/router-reference';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isoLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 14 }),
    day: fc.integer({ min: 0, max: 33 }),
    t: fc.constantFrom('T', 't', ' '),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.option(fc.integer({ min: 0, max: 61 }), { nil: undefined }),
    fraction: fc.option(fc.stringMatching(/^\d{0,25}$/), { nil: undefined }),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', '', '+05:30', '-08:00', '+24:00', '+05:60', '+0530', '+05', '-00:00', '+5'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
        .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}${t.t}${pad(t.hour, 2)}:${pad(t.minute, 2)}` +
      (t.second === undefined ? '' : `:${pad(t.second, 2)}`) +
      (t.second === undefined || t.fraction === undefined ? '' : `.${t.fraction}`) +
      t.zone,
  );

function check(value: unknown, format: (typeof EVENT_TIME_FORMATS)[number]) {
  const fast = parseEventMillis(value, format);
  const slow = parseEventTime(value, format);
  expect(fast.ok, `${JSON.stringify(value)} as ${format}`).to.equal(slow.ok);
  if (fast.ok && slow.ok) expect(fast.millis, JSON.stringify(value)).to.equal(slow.time.toMillis());
  if (!fast.ok && !slow.ok) expect(fast).to.deep.equal(slow);
  // The router's number-only reader: NaN or exactly the full reader's instant, never another one;
  // and never NaN for an instant the rule accepts (nearly every record takes that path).
  const quick = eventMillisFastReader('t', format)({ t: value });
  if (Number.isNaN(quick)) expect(fast.ok, `${JSON.stringify(value)} as ${format}`).to.equal(false);
  else expect(fast.ok && fast.millis, `${JSON.stringify(value)} as ${format}`).to.equal(quick);

  const expected = referenceEventTime(value, format);
  expect(fast.ok ? fast.millis : fast.reason, `${JSON.stringify(value)} as ${format}`).to.equal(expected);
}

describe('event time: one rule, held against a reference from the docs', () => {
  it('property: generated date-times, valid and invalid, in auto and iso8601', () => {
    fc.assert(
      fc.property(isoLike, fc.constantFrom('auto' as const, 'iso8601' as const), (value, format) =>
        check(value, format),
      ),
      { numRuns: 5000 },
    );
  });

  it('property: any string and any number, in every format', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.double({ min: -1e17, max: 1e17, noNaN: true }),
          fc.integer(),
          // Epochs a hair before an hour boundary, in seconds and in milliseconds.
          fc.integer({ min: 1_000_000, max: 2_000_000 }).map((h) => h * 3600 - Number.EPSILON * h * 3600),
          fc.integer({ min: 1, max: 9_999_999 }).map((n) => 1795327199 + n / 1e7),
          fc.integer({ min: 1, max: 9_999 }).map((n) => 1795327199999 + n / 1e4),
        ),
        fc.constantFrom(...EVENT_TIME_FORMATS),
        (value, format) => check(value, format),
      ),
      { numRuns: 5000 },
    );
  });

  it('luxon rounds a long fraction to 1000 ms and refuses it; the rule truncates it', () => {
    const text = '2026-11-22T05:59:59.99999999999999999999Z';
    expect(() => DateTime.fromISO(text)).to.throw('you specified 1000 (of type number) as a millisecond');
    expect(parseEventMillis(text, 'auto')).to.deep.equal({
      ok: true,
      millis: Date.parse('2026-11-22T05:59:59.999Z'),
    });
  });
});

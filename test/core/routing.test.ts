import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { streamName } from '../../rotation/core/names';
import { isOpen, routeCache } from '../../rotation/core/event-hour';
import { Route, RoutingSettings } from '../../rotation/core/routing';
import { hourOf, isFarAhead, opensAt, writeDeadline } from '../../rotation/core/time-window';
import { deletableAt } from '../../rotation/core/stream-deletion';
import { at, settings } from '../support/fixtures';
import { decideRoute } from '../support/routing';

const S = settings();
/** The route of an event of `hour` at `now`, through the router's per-hour routes. */
const routeHour = (hour: DateTime, now: DateTime, s: RoutingSettings): Route =>
  routeCache(now, s)(hour.toMillis());
const bytes = (text: string) => new TextEncoder().encode(text);
const json = (timestamp: unknown) => bytes(JSON.stringify({ id: 1, timestamp }));

const T = '2026-11-22T05:10:00Z';
const MULTI = 'a line break (CR or LF) inside the JSON document would split it across lines';
const BOM = 'starts with a UTF-8 byte-order mark, which line-based JSON readers refuse';
const AMBIGUOUS = 'RFC 3339 time without offset or Z is ambiguous: "2026-11-22T05:00:00"';

/** One line per route; an hourly route's hour must agree with its stream name. */
function summary(route: Route): string {
  if (route.kind === 'hourly') {
    expect(streamName('events', route.hour)).to.equal(route.stream);
    return route.stream;
  }
  return `${route.stream} ${route.reason}${route.detail ? `: ${route.detail}` : ''}`;
}

describe('routing', () => {
  const now = '2026-11-22T05:20:00Z';
  const fb = 'events-fallback';
  const examples: [string, Uint8Array, string][] = [
    ['current hour start', json('2026-11-22T05:00:00Z'), 'events-2026112205'],
    ['previous hour, last ms', json('2026-11-22T04:59:59.999Z'), 'events-2026112204'],
    ['+05:30 offset', json('2026-11-22T10:29:59+05:30'), 'events-2026112204'],
    ['-08:00 offset', json('2026-11-21T21:00:00-08:00'), 'events-2026112205'],
    ['epoch seconds', json(1795325400), 'events-2026112205'],
    ['epoch millis', json(1795325400123), 'events-2026112205'],
    ['next hour, 25 min before it opens (05:45)', json('2026-11-22T06:00:00Z'), `${fb} early`],
    ['last hour of tomorrow (has a stream, empty)', json('2026-11-23T23:59:59.999Z'), `${fb} early`],
    ['two hours ago', json('2026-11-22T03:59:59.999Z'), `${fb} late`],
    ['day after tomorrow', json('2026-11-24T00:00:00Z'), `${fb} early`],
    ['no offset', json('2026-11-22T05:00:00'), `${fb} bad-timestamp: ${AMBIGUOUS}`],
    ['field missing', bytes('{"ts":1}'), `${fb} no-timestamp: field absent`],
    ['a JSON string', bytes('"2026-11-22T05:00:00Z"'), `${fb} no-timestamp: field absent`],
    ['plain text', bytes('hello'), `${fb} not-json: not valid JSON`],
    ['two lines, the second cut short', bytes('{}\n{'), `${fb} not-json: not valid JSON`],
    ['a JSON line then a blank one', bytes('{}\n\n{}'), `${fb} not-json: not valid JSON`],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), `${fb} not-json: not valid UTF-8`],
    ['empty record', new Uint8Array(), `${fb} not-json: not valid JSON`],
    ['CRLF terminator', bytes(`${JSON.stringify({ timestamp: T })}\r\n`), 'events-2026112205'],
    ['CR before the added LF', bytes(`${JSON.stringify({ timestamp: T })}\r`), 'events-2026112205'],
    ['pretty-printed', bytes(JSON.stringify({ timestamp: T }, null, 2)), `${fb} multi-line: ${MULTI}`],
    ['leading newline', bytes(`\n${JSON.stringify({ timestamp: T })}`), `${fb} multi-line: ${MULTI}`],
    ['blank line after', bytes(`${JSON.stringify({ timestamp: T })}\n\n`), `${fb} multi-line: ${MULTI}`],
    ['lone CR inside', bytes(`{"timestamp":\r"${T}"}`), `${fb} multi-line: ${MULTI}`],
    ['CR CR LF', bytes(`${JSON.stringify({ timestamp: T })}\r\r\n`), `${fb} multi-line: ${MULTI}`],
    ['byte-order mark', bytes(`\ufeff${JSON.stringify({ timestamp: T })}`), `${fb} byte-order-mark: ${BOM}`],
    ['escaped \\n in a string', bytes(JSON.stringify({ timestamp: T, msg: 'a\nb' })), 'events-2026112205'],
    ['U+2028 in a string', bytes(JSON.stringify({ timestamp: T, msg: 'a\u2028b' })), 'events-2026112205'],
  ];
  for (const [name, data, expected] of examples) {
    it(`at ${now}: ${name} → ${expected}`, () => {
      expect(summary(decideRoute(data, at(now), S))).to.equal(expected);
    });
  }

  it('an hour is open one ms before its write deadline and late exactly at it', () => {
    const hour = at('2026-11-22T04:00:00Z');
    const deadline = writeDeadline(hour, S);
    expect(deadline.toISO()).to.equal('2026-11-22T06:00:00.000Z');
    expect(summary(routeHour(hour, deadline.minus({ milliseconds: 1 }), S))).to.equal('events-2026112204');
    expect(routeHour(hour, deadline, S)).to.deep.equal({
      kind: 'fallback',
      stream: 'events-fallback',
      reason: 'late',
    });
  });

  it('the next hour opens earlyMinutes (15) before it starts: early 1 ms before, its stream at', () => {
    const hour = at('2026-11-22T06:00:00Z');
    expect(summary(routeHour(hour, at('2026-11-22T05:44:59.999Z'), S))).to.equal('events-fallback early');
    expect(summary(routeHour(hour, at('2026-11-22T05:45:00Z'), S))).to.equal('events-2026112206');
  });

  it('with lateness 0 an hour closes the instant it ends', () => {
    const s = settings({ latenessMinutes: 0 });
    const hour = at('2026-11-22T04:00:00Z');
    expect(routeHour(hour, at('2026-11-22T04:59:59.999Z'), s).kind).to.equal('hourly');
    expect(routeHour(hour, at('2026-11-22T05:00:00Z'), s)).to.deep.equal({
      kind: 'fallback',
      stream: 'events-fallback',
      reason: 'late',
    });
  });

  const windowSettings = fc.record({
    latenessMinutes: fc.integer({ min: 0, max: 1440 }),
    bufferingIntervalSeconds: fc.integer({ min: 0, max: 900 }),
    safetyMarginMinutes: fc.integer({ min: 1, max: 120 }),
    horizonDays: fc.integer({ min: 1, max: 7 }),
    earlyMinutes: fc.integer({ min: 0, max: 60 }),
  });
  const instant = fc.integer({ min: Date.parse('2000-01-01Z'), max: Date.parse('2100-01-01Z') });
  const offsetDays = fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 });
  // The same instant as a producer might write it: ISO with Z or an offset, epoch s or ms.
  const encodings: ((t: DateTime) => unknown)[] = [
    (t) => t.toISO(),
    (t) => t.setZone('UTC+5:30').toISO(),
    (t) => t.setZone('UTC-8').toISO(),
    (t) => t.toMillis() / 1000,
    (t) => t.toMillis(),
  ];

  it('property: hourly only while isOpen, always before deletableAt; every fallback has its reason; never a far-ahead hour (I1)', () => {
    fc.assert(
      fc.property(windowSettings, instant, offsetDays, fc.nat(encodings.length - 1), (w, nowMs, delta, e) => {
        const s: RoutingSettings = { ...S, ...w };
        const now = DateTime.fromMillis(nowMs, { zone: 'utc' });
        const event = DateTime.fromMillis(nowMs + delta, { zone: 'utc' });
        const hour = hourOf(event);
        const route = decideRoute(json(encodings[e](event)), now, s);
        expect(route.kind === 'hourly').to.equal(isOpen(hour, now, s));
        if (route.kind === 'hourly') {
          expect(isFarAhead(hour, now, s)).to.equal(false);
          expect(now >= opensAt(hour, s)).to.equal(true);
          expect(route.stream).to.equal(streamName(s.streamPrefix, hour));
          expect(now < writeDeadline(hour, s)).to.equal(true);
          expect(now < deletableAt(hour, s)).to.equal(true);
        } else if (route.reason === 'late') {
          expect(now >= writeDeadline(hour, s)).to.equal(true);
        } else {
          expect(route.reason).to.equal('early');
          expect(now < opensAt(hour, s)).to.equal(true);
        }
      }),
    );
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { hourKey } from '../../rotation/core/names';
import {
  deletableAt,
  horizonEnd,
  hoursToEnsure,
  isOpen,
  maxLiveWindowHours,
  stillOpen,
  writeDeadline,
} from '../../rotation/core/time-window';
import { at, settings } from '../support/fixtures';

const S = settings(); // lateness 60 min, buffering 300 s, margin 15 min, horizon: through tomorrow

describe('time window', () => {
  const openTable: [string, string, boolean, string][] = [
    ['2026-11-22T05:00:00Z', '2026-11-22T05:00:00Z', true, 'current hour'],
    ['2026-11-22T04:00:00Z', '2026-11-22T05:59:59.999Z', true, 'previous hour, 1 ms before its deadline'],
    ['2026-11-22T04:00:00Z', '2026-11-22T06:00:00Z', false, 'previous hour, at its deadline (end + 60 min)'],
    [
      '2026-11-23T23:00:00Z',
      '2026-11-22T00:00:00Z',
      true,
      'last hour of tomorrow (early but within horizon)',
    ],
    ['2026-11-24T00:00:00Z', '2026-11-22T23:59:59Z', false, 'day after tomorrow: beyond the horizon'],
    ['2026-11-24T00:00:00Z', '2026-11-23T00:00:00Z', true, 'day after tomorrow, seen from tomorrow'],
  ];
  for (const [hour, now, open, why] of openTable) {
    it(`hour ${hour} at ${now}: ${open ? 'open' : 'closed'} (${why})`, () => {
      expect(isOpen(at(hour), at(now), S)).to.equal(open);
    });
  }

  it('deadlines of 2026-11-22T04:00Z with the defaults', () => {
    const h = at('2026-11-22T04:00:00Z');
    expect(writeDeadline(h, S).toISO()).to.equal('2026-11-22T06:00:00.000Z');
    expect(deletableAt(h, S).toISO()).to.equal('2026-11-22T06:20:00.000Z');
    expect(horizonEnd(at('2026-11-22T23:59:59Z'), S).toISO()).to.equal('2026-11-24T00:00:00.000Z');
  });

  it('hoursToEnsure at 00:30 lists 49 hours: current, then nearest, future first on ties', () => {
    const hours = hoursToEnsure(at('2026-11-22T00:30:00Z'), S).map(hourKey);
    expect(hours).to.have.length(49);
    expect(hours.slice(0, 4)).to.deep.equal(['2026112200', '2026112201', '2026112123', '2026112202']);
    expect(hours[48]).to.equal('2026112323');
  });

  const liveTable: [number, number, number, number][] = [
    [60, 300, 15, 4], // drain 80 min → 2 draining hours + current + next
    [0, 0, 1, 3],
    [1440, 900, 120, 29], // 26.25 h of draining → 27 + 2
  ];
  for (const [lateness, buffer, margin, live] of liveTable) {
    it(`live window with lateness ${lateness} min, buffer ${buffer} s, margin ${margin} min is ${live} hours`, () => {
      const s = settings({
        latenessMinutes: lateness,
        bufferingIntervalSeconds: buffer,
        safetyMarginMinutes: margin,
        quota: 100,
      });
      expect(maxLiveWindowHours(s)).to.equal(live);
    });
  }

  const instant = fc
    .integer({ min: at('2026-01-01T00:00:00Z').toMillis(), max: at('2028-01-01T00:00:00Z').toMillis() })
    .map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }));
  const windowSettings = fc
    .record({
      latenessMinutes: fc.integer({ min: 0, max: 1440 }),
      bufferingIntervalSeconds: fc.integer({ min: 0, max: 900 }),
      safetyMarginMinutes: fc.integer({ min: 1, max: 120 }),
      horizonDays: fc.integer({ min: 1, max: 7 }),
    })
    .map((w) => settings({ ...w, quota: 5000 }));

  it('property: the last instant the router may write is strictly before the deletion instant', () => {
    fc.assert(
      fc.property(windowSettings, instant, fc.integer({ min: -2000, max: 200 }), (s, now, offset) => {
        const hour = now.startOf('hour').plus({ hours: offset });
        if (isOpen(hour, now, s)) expect(now < deletableAt(hour, s)).to.equal(true);
        expect(writeDeadline(hour, s) < deletableAt(hour, s)).to.equal(true);
      }),
    );
  });

  it('property: stillOpen(writeDeadline) at any later instant equals isOpen for an hour open earlier', () => {
    fc.assert(
      fc.property(
        windowSettings,
        instant,
        fc.integer({ min: -3, max: 60 }),
        fc.integer({ min: 0, max: 3 * 86_400_000 }),
        (s, first, offset, later) => {
          const hour = first.startOf('hour').plus({ hours: offset });
          if (!isOpen(hour, first, s)) return;
          const now = first.plus({ milliseconds: later });
          expect(stillOpen(writeDeadline(hour, s).toMillis(), now), now.toISO()).to.equal(
            isOpen(hour, now, s),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: the open hours at any instant are exactly hoursToEnsure, and fit maxLiveWindowHours + horizon', () => {
    fc.assert(
      fc.property(windowSettings, instant, (s, now) => {
        const ensured = new Set(hoursToEnsure(now, s).map(hourKey));
        for (let offset = -1500; offset <= 24 * 8; offset++) {
          const hour = now.startOf('hour').plus({ hours: offset });
          expect(ensured.has(hourKey(hour)), hourKey(hour)).to.equal(isOpen(hour, now, s));
        }
        const future = horizonEnd(now, s).diff(now.startOf('hour'), 'hours').hours;
        expect(ensured.size).to.be.at.most(maxLiveWindowHours(s) - 2 + future);
      }),
      { numRuns: 60 },
    );
  });
});

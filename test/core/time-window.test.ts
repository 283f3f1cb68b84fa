import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { maxLiveWindowHours } from '../../rotation/core/capacity';
import { closedAt, isOpen } from '../../rotation/core/event-hour';
import { hourKey } from '../../rotation/core/names';
import {
  horizonEnd,
  hoursToEnsure,
  isFarAhead,
  opensAt,
  writeDeadline,
} from '../../rotation/core/time-window';
import { deletableAt } from '../../rotation/core/stream-deletion';
import { at, settings } from '../support/fixtures';
import { runs } from '../support/property-runs';

const S = settings(); // lateness 60 min, buffering 300 s, margin 15 min, horizon: through tomorrow

describe('time window', () => {
  const openTable: [string, string, boolean, string][] = [
    ['2026-11-22T05:00:00Z', '2026-11-22T05:00:00Z', true, 'current hour'],
    ['2026-11-22T04:00:00Z', '2026-11-22T05:59:59.999Z', true, 'previous hour, 1 ms before its deadline'],
    ['2026-11-22T04:00:00Z', '2026-11-22T06:00:00Z', false, 'previous hour, at its deadline (end + 60 min)'],
    ['2026-11-22T06:00:00Z', '2026-11-22T05:45:00Z', true, 'next hour, at its opening (start − 15 min)'],
    ['2026-11-22T06:00:00Z', '2026-11-22T05:44:59.999Z', false, 'next hour, 1 ms before its opening'],
    [
      '2026-11-23T23:00:00Z',
      '2026-11-22T00:00:00Z',
      false,
      'last hour of tomorrow: within the horizon, not open',
    ],
    ['2026-11-24T00:00:00Z', '2026-11-22T23:59:59Z', false, 'day after tomorrow: beyond the horizon'],
    ['2026-11-24T00:00:00Z', '2026-11-23T23:45:00Z', true, 'day after tomorrow, at its opening'],
  ];
  for (const [hour, now, open, why] of openTable) {
    it(`hour ${hour} at ${now}: ${open ? 'open' : 'closed'} (${why})`, () => {
      expect(isOpen(at(hour), at(now), S)).to.equal(open);
    });
  }

  it('earlyMinutes 0: an hour opens at its start; 60: a whole hour before', () => {
    const h = at('2026-11-22T06:00:00Z');
    expect(isOpen(h, at('2026-11-22T05:59:59.999Z'), settings({ earlyMinutes: 0 }))).to.equal(false);
    expect(isOpen(h, at('2026-11-22T06:00:00Z'), settings({ earlyMinutes: 0 }))).to.equal(true);
    expect(isOpen(h, at('2026-11-22T05:00:00Z'), settings({ earlyMinutes: 60 }))).to.equal(true);
    expect(opensAt(h, settings({ earlyMinutes: 60 })).toISO()).to.equal('2026-11-22T05:00:00.000Z');
  });

  // Far-ahead at t: opensAt(H) > t + 60 s (router decision) + 10 min (margin); earlyMinutes 15.
  const farTable: [string, string, boolean, string][] = [
    ['2026-11-22T07:00:00Z', '2026-11-22T06:33:59.999Z', true, 'opens 11 min + 1 ms later'],
    ['2026-11-22T07:00:00Z', '2026-11-22T06:34:00Z', false, 'opens exactly 11 min later'],
    ['2026-11-22T07:00:00Z', '2026-11-22T06:50:00Z', false, 'open already'],
    ['2026-11-22T12:00:00Z', '2026-11-22T10:59:50Z', true, 'the hour after next, planned at 10:59:50'],
    ['2026-11-22T12:00:00Z', '2026-11-22T11:00:00.600Z', true, '… and acted on at 11:00:00.6'],
    ['2026-11-22T11:00:00Z', '2026-11-22T10:30:00Z', true, 'next hour half an hour before it'],
    ['2026-11-22T05:00:00Z', '2026-11-22T06:00:00Z', false, 'a past hour'],
  ];
  for (const [hour, t, far, why] of farTable) {
    it(`hour ${hour} at ${t}: ${far ? 'far-ahead' : 'near'} (${why})`, () => {
      expect(isFarAhead(at(hour), at(t), S)).to.equal(far);
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
      earlyMinutes: fc.integer({ min: 0, max: 60 }),
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

  it('property: !closedAt(writeDeadline) at any later instant equals isOpen for an hour open earlier', () => {
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
          expect(!closedAt(writeDeadline(hour, s).toMillis(), now), now.toISO()).to.equal(
            isOpen(hour, now, s),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property (I1): a far-ahead hour is open at no instant up to its judgement + decision time + margin', () => {
    fc.assert(
      fc.property(
        windowSettings,
        instant,
        fc.integer({ min: -3, max: 72 }),
        fc.integer({ min: 0, max: 60_000 + 10 * 60_000 }), // the router's decision time + the margin
        (s, t, offset, later) => {
          const hour = t.startOf('hour').plus({ hours: offset });
          if (!isFarAhead(hour, t, s)) return;
          expect(isOpen(hour, t, s)).to.equal(false);
          expect(isOpen(hour, t.plus({ milliseconds: later }), s)).to.equal(false);
          // Far-ahead never outlives the opening: an hour is open only once it is no longer far-ahead.
          expect(isFarAhead(hour, opensAt(hour, s), s)).to.equal(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: hoursToEnsure is every open hour plus every later one before the horizon, within maxLiveWindowHours + horizon', () => {
    fc.assert(
      fc.property(windowSettings, instant, (s, now) => {
        const ensured = new Set(hoursToEnsure(now, s).map(hourKey));
        const current = now.startOf('hour');
        for (let offset = -1500; offset <= 24 * 8; offset++) {
          const hour = current.plus({ hours: offset });
          const ahead = hour >= current && hour < horizonEnd(now, s);
          expect(ensured.has(hourKey(hour)), hourKey(hour)).to.equal(isOpen(hour, now, s) || ahead);
        }
        const future = horizonEnd(now, s).diff(now.startOf('hour'), 'hours').hours;
        expect(ensured.size).to.be.at.most(maxLiveWindowHours(s) - 2 + future);
      }),
      { numRuns: runs(15) },
    );
  });
});

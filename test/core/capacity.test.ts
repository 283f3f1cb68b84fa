// The capacity rule's small pieces, as example tables: the slots a failing hour-complete signal may
// hold (spareSlots; the holds over 29 runs on moto: test/verify/signal-failure.moto.test.ts) and
// which hours are near-term (isNearTerm, which the census, the summary and the timeline also ask),
// and the fits the settings check words into its messages (the messages: test/core/settings.test.ts).
import { expect } from 'chai';
import {
  budgetFit,
  dayProfile,
  isNearTerm,
  liveWindowFits,
  lookaheadEverFits,
  mostStreamsPerHour,
  reserveFits,
  spareSlots,
} from '../../rotation/core/capacity';
import { at } from '../support/fixtures';

describe('capacity: spare slots for a held stream', () => {
  const plan = (
    quota: number | undefined,
    reserve: number,
    countBefore: number | undefined,
    d: number,
    c: number,
  ) => ({
    quota,
    reserve,
    countBefore,
    deletes: Array.from({ length: d }),
    creates: Array.from({ length: c }),
  });
  const examples: [string, Parameters<typeof spareSlots>[0], number][] = [
    ['quota 50, reserve 2, 40 streams, 3 deletes, 5 creates: 50 − 2 − 42', plan(50, 2, 40, 3, 5), 6],
    ['the reserve is not spare: 48 streams after the plan at quota 50, reserve 2', plan(50, 2, 46, 0, 2), 0],
    [
      'over the far-ahead limit (near-term creates took the reserve): none, never negative',
      plan(50, 2, 49, 0, 1),
      0,
    ],
    ['no reserve in the plan: counted as 0', { quota: 10, countBefore: 7, deletes: [1], creates: [] }, 4],
    ['no quota (teardown): none', plan(undefined, 0, 7, 7, 0), 0],
    ['no count before: none', plan(50, 2, undefined, 0, 0), 0],
  ];
  for (const [why, p, expected] of examples) {
    it(`${why} → ${expected}`, () => {
      expect(spareSlots(p)).to.equal(expected);
    });
  }
});

describe('capacity: near-term hours', () => {
  const now = at('2026-11-22T10:59:59.999Z');
  const examples: [string, boolean, string][] = [
    ['2026-11-22T10:00:00Z', true, 'the current hour'],
    ['2026-11-22T11:00:00Z', true, 'the next hour'],
    ['2026-11-22T12:00:00Z', false, 'the hour after next: far-ahead'],
    ['2026-11-22T09:00:00Z', true, 'a past hour still open'],
    ['2026-11-20T09:00:00Z', true, 'any past hour, open or not'],
  ];
  for (const [hour, near, why] of examples) {
    it(`${hour} at ${now.toISO()}: ${near ? 'near-term' : 'far-ahead'} (${why})`, () => {
      expect(isNearTerm(at(hour), now)).to.equal(near);
    });
  }
});

describe('capacity: what the settings must fit', () => {
  // lateness 60 min + buffering 300 s + margin 15 min: a live window of 4 hours.
  const w = { latenessMinutes: 60, bufferingIntervalSeconds: 300, safetyMarginMinutes: 15, horizonDays: 1 };

  it('the live window and the fallback in the quota: 4 + 1 streams fit quota 5, not 4; × 2 per hour: 9', () => {
    expect([4, 5].map((quota) => liveWindowFits({ ...w, quota }))).to.deep.equal([false, true]);
    expect([8, 9].map((quota) => liveWindowFits({ ...w, quota, streamsPerHour: 2 }))).to.deep.equal([
      false,
      true,
    ]);
  });

  it('the most streams per hour that fit: (quota − 1) ÷ 4 hours, rounded down', () => {
    expect([4, 5, 12, 50].map((quota) => mostStreamsPerHour({ ...w, quota }))).to.deep.equal([0, 1, 2, 12]);
  });

  it('a budget: at most the quota, at least the live window and the fallback', () => {
    const s = { ...w, quota: 50 };
    expect([51, 50, 5, 4].map((b) => budgetFit(b, s))).to.deep.equal([
      'over-quota',
      'fits',
      'fits',
      'below-live-window',
    ]);
    expect(budgetFit(8, { ...s, streamsPerHour: 2 })).to.equal('below-live-window');
  });

  it('the reserve: at most the quota minus the live window and the fallback (50 − 5 = 45)', () => {
    expect([45, 46].map((reserveStreams) => reserveFits({ ...w, quota: 50, reserveStreams }))).to.deep.equal([
      true,
      false,
    ]);
  });

  it('the lookahead: fits at quota 50; never with a budget of 5 (26 streams needed at the least)', () => {
    const s = { ...w, quota: 50, reserveStreams: 1 };
    expect(lookaheadEverFits(dayProfile(s))).to.equal(true);
    expect(dayProfile({ ...s, streamBudget: 5 }).minimum).to.equal(26);
    expect(lookaheadEverFits(dayProfile({ ...s, streamBudget: 5 }))).to.equal(false);
  });
});

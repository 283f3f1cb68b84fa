// The capacity rule's small pieces, as example tables: the slots a failing hour-complete signal may
// hold (spareSlots; the holds over 29 runs on moto: test/verify/signal-failure.moto.test.ts) and
// which hours are near-term (isNearTerm, which the census, the summary and the timeline also ask).
import { expect } from 'chai';
import { isNearTerm, spareSlots } from '../../rotation/core/capacity';
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

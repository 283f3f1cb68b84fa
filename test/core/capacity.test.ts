// The capacity rule's small pieces, as example tables: the slots a failing hour-complete signal may
// hold (spareSlots; the holds over 29 runs on moto: test/verify/signal-failure.moto.test.ts).
import { expect } from 'chai';
import { spareSlots } from '../../rotation/core/capacity';

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

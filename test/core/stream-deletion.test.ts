import { expect } from 'chai';
import fc from 'fast-check';
import { deletableAt, onSignalFailure } from '../../rotation/core/stream-deletion';
import { at, settings } from '../support/fixtures';

// Defaults: lateness 60 min, buffering 300 s, margin 15 min → hour 05 is deletable at 07:20.
const S = settings();
const H05 = at('2026-11-22T05:00:00Z');

describe('signal hold: what a failed hour-complete signal does to its delete', () => {
  it('hour 05 may be held from 07:20 until 10:20 (3 hours)', () => {
    expect(deletableAt(H05, S).toISO()).to.equal('2026-11-22T07:20:00.000Z');
    expect(onSignalFailure(H05, deletableAt(H05, S), S, 1).why).to.equal(
      'stream kept for a retry by a later run until 2026-11-22T10:20:00.000Z',
    );
  });

  const examples: [string, number, string][] = [
    [
      '2026-11-22T07:20:00Z',
      1,
      'held: stream kept for a retry by a later run until 2026-11-22T10:20:00.000Z',
    ],
    [
      '2026-11-22T10:19:59.999Z',
      3,
      'held: stream kept for a retry by a later run until 2026-11-22T10:20:00.000Z',
    ],
    ['2026-11-22T10:20:00Z', 3, 'deleted-unsignalled: held since 2026-11-22T07:20:00.000Z, the most allowed'],
    ['2026-11-22T08:00:00Z', 0, 'deleted-unsignalled: no quota slot to spare: a planned create needs it'],
    ['2026-11-22T08:00:00Z', -1, 'deleted-unsignalled: no quota slot to spare: a planned create needs it'],
  ];
  for (const [now, spare, expected] of examples) {
    it(`at ${now} with ${spare} spare slot(s) → ${expected}`, () => {
      const { action, why } = onSignalFailure(H05, at(now), S, spare);
      expect(`${action}: ${why}`).to.equal(expected);
    });
  }

  it('property: held exactly while a slot is spare and the hold has not ended', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * 3_600_000 }),
        fc.integer({ min: -2, max: 5 }),
        fc.integer({ min: 0, max: 600 }),
        (afterDeletable, spare, lateness) => {
          const s = settings({ latenessMinutes: lateness });
          const now = deletableAt(H05, s).plus({ milliseconds: afterDeletable });
          const held = afterDeletable < 3 * 3_600_000 && spare > 0; // the hold: 3 hours
          expect(onSignalFailure(H05, now, s, spare).action).to.equal(held ? 'held' : 'deleted-unsignalled');
        },
      ),
    );
  });
});

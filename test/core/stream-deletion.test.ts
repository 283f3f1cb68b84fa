import { expect } from 'chai';
import fc from 'fast-check';
import { CONFIG_TAG, generationOf } from '../../rotation/core/generations';
import { OWNER_TAG } from '../../rotation/core/settings';
import {
  deletableAt,
  onSignalFailure,
  orphanDeletable,
  remakeReason,
} from '../../rotation/core/stream-deletion';
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

describe('orphans: drained by their own buffering interval, or far-ahead', () => {
  // Hour 04 ends 05:00; lateness 60 min + margin 15 min, then the orphan's own buffer.
  const examples: [string, string, number | undefined, boolean, string][] = [
    ['2026-11-22T04:00:00Z', '2026-11-22T06:15:59.999Z', 60, false, 'its own 60 s: draining until 06:16'],
    ['2026-11-22T04:00:00Z', '2026-11-22T06:16:00Z', 60, true, 'its own 60 s: drained at 06:16'],
    [
      '2026-11-22T04:00:00Z',
      '2026-11-22T06:29:59.999Z',
      undefined,
      false,
      'unread: 900 s, draining until 06:30',
    ],
    ['2026-11-22T04:00:00Z', '2026-11-22T06:30:00Z', undefined, true, 'unread: 900 s, drained at 06:30'],
    ['2026-11-22T08:00:00Z', '2026-11-22T05:30:00Z', undefined, true, 'far-ahead: empty by I1'],
    ['2026-11-22T06:00:00Z', '2026-11-22T05:30:00Z', undefined, false, 'the next hour: neither'],
  ];
  for (const [hour, now, buffering, deletable, why] of examples) {
    it(`hour ${hour} at ${now}: ${deletable ? 'deleted' : 'waits'} (${why})`, () => {
      const orphan = { hour: at(hour), bufferingIntervalSeconds: buffering };
      expect(orphanDeletable(orphan, at(now), S)).to.equal(deletable);
    });
  }
});

describe('remakes (I2): only while a former configuration lives', () => {
  it('a far-ahead stream made under another configuration is remade only while a former one is live', () => {
    const stale = {
      name: 'events-2026112220',
      hour: at('2026-11-22T20:00:00Z'),
      status: 'ACTIVE',
      tags: { [CONFIG_TAG]: 'another', [OWNER_TAG]: S.deploymentId },
    };
    expect(remakeReason(stale, at('2026-11-22T05:30:00Z'), S)).to.equal(undefined);
    const former = {
      ...generationOf(settings({ dataPrefix: 'old' })),
      namesUntil: '2026112200',
      expires: '2026-11-25T00:00:00.000Z',
    };
    const changed = settings({ formerGenerations: [former] });
    expect(remakeReason(stale, at('2026-11-22T05:30:00Z'), changed)).to.equal('reconfigure');
  });
});

// planRotation after a settings change: streams made under a former configuration are found by
// their former prefix and owner, drained with the longest window, made again when their hour is
// far-ahead (empty by I1), and kept as they are while near (I2: no in-place update).
import { expect } from 'chai';
import fc from 'fast-check';
import { generationOf, nextFormers } from '../../rotation/core/generations';
import { hourFromKey, hourKey, parseStreamName } from '../../rotation/core/names';
import { emptyAndRemakeable } from '../../rotation/core/stream-deletion';
import { isFarAhead } from '../../rotation/core/time-window';
import { ExistingStream, planRotation, streamsToInspect } from '../../rotation/core/planner';
import { hourlyStreamTags, RotationSettings, SettingsInput } from '../../rotation/core/settings';
import { takeCensus } from '../../rotation/core/region-census';
import { at, settings } from '../support/fixtures';
import { deployment, fallbackOf, foreignStreams } from '../support/sharing-world';

const UP = '2026-11-22T10:20:00Z';
const NOW = at('2026-11-22T10:30:00Z');

/** Settings after an `up` from `before` to `change` at 10:20. */
function after(before: RotationSettings, change: Partial<SettingsInput>): RotationSettings {
  const next = settings({ ...change });
  return settings({
    ...change,
    formerGenerations: nextFormers({ current: generationOf(before), formers: [] }, next, at(UP)),
  });
}
/** Streams `prefix`-H for `count` hours from `from`, made (and tagged) under `made`. */
function made(
  made: RotationSettings,
  from: string,
  count: number,
  prefix = made.streamPrefix,
): ExistingStream[] {
  return Array.from({ length: count }, (_, i) => {
    const hour = at(from).plus({ hours: i });
    const tags = Object.fromEntries(hourlyStreamTags(made, hour).map((t) => [t.Key, t.Value]));
    return { name: `${prefix}-${hourKey(hour)}`, status: 'ACTIVE' as const, tags };
  });
}
const fallback: ExistingStream = { name: 'events-fallback', status: 'ACTIVE' };

describe('planRotation after a settings change', () => {
  const A = settings();

  it('streamPrefix events → orders: old names are still ours and drain; hours through tomorrow keep them', () => {
    const B = after(A, { streamPrefix: 'orders' });
    const existing = [fallback, ...made(A, '2026-11-22T08:00:00Z', 40)]; // 08h of the 22nd .. 23h of the 23rd
    const plan = planRotation(NOW, existing, B);
    expect(plan.deletes).to.deep.equal([
      { name: 'events-2026112208', hour: '2026112208', reason: 'drained' },
    ]);
    expect(plan.creates).to.deep.equal([]); // every hour through the horizon has its events-… stream
    expect(plan.keeps).to.have.length(39);
    expect([plan.staleKept, plan.conflicts]).to.deep.equal([[], []]);
  });

  it('a missing hour before namesUntil is created under the former name, with the current configuration', () => {
    const B = after(A, { streamPrefix: 'orders' });
    const existing = [
      fallback,
      ...made(A, '2026-11-22T09:00:00Z', 30),
      ...made(A, '2026-11-23T16:00:00Z', 8),
    ];
    const plan = planRotation(NOW, existing, B);
    expect(plan.creates.map((c) => c.name)).to.deep.equal(['events-2026112315']);
  });

  it('deploymentId demo/dev → demo/prod: old-owner streams are ours; far-ahead hours are made again, near-term keep theirs (I2)', () => {
    const B = after(A, { deploymentId: 'demo/prod' });
    const existing = [fallback, ...made(A, '2026-11-22T08:00:00Z', 5)]; // 08h .. 12h
    const plan = planRotation(NOW, existing, B);
    // 12h opens at 11:45, more than 11 min after 10:30: far-ahead, empty, deleted and created again.
    expect(plan.deletes).to.deep.equal([
      { name: 'events-2026112208', hour: '2026112208', reason: 'drained' },
      { name: 'events-2026112212', hour: '2026112212', reason: 'reconfigure' },
    ]);
    expect(plan.creates.map((c) => c.name)).to.include('events-2026112212');
    // 09h takes late records, 10h is current, 11h is next: they keep what they were made with.
    expect(plan.staleKept).to.deep.equal(['events-2026112209', 'events-2026112210', 'events-2026112211']);
    expect(plan.conflicts).to.deep.equal([]);
  });

  it('a dataPrefix change makes far-ahead hours again; a stream of a foreign owner under a former prefix is left alone', () => {
    const B = after(A, { dataPrefix: 'data2', streamPrefix: 'orders' });
    const foreign = made(settings({ deploymentId: 'someone/else' }), '2026-11-22T13:00:00Z', 1);
    const existing = [fallback, ...made(A, '2026-11-22T10:00:00Z', 3), ...foreign];
    const plan = planRotation(NOW, existing, B);
    expect(plan.deletes).to.deep.equal([
      { name: 'events-2026112212', hour: '2026112212', reason: 'reconfigure' },
    ]);
    expect(plan.staleKept).to.deep.equal(['events-2026112210', 'events-2026112211']);
    expect(plan.conflicts).to.deep.equal(['events-2026112213']);
  });

  it('property (I2): only far-ahead, empty, stale streams are made again; every one is created back under its own name', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 86_400_000 - 1 }),
        fc.integer({ min: 1, max: 40 }),
        (ms, count) => {
          const now = at('2026-11-22T10:20:00Z').plus({ milliseconds: ms });
          const B = after(A, { dataPrefix: 'data2' });
          const existing = [fallback, ...made(A, now.startOf('hour').minus({ hours: 2 }).toISO(), count)];
          const plan = planRotation(now, existing, B);
          const creates = new Set(plan.creates.map((c) => c.name));
          for (const d of plan.deletes.filter((x) => x.reason === 'reconfigure')) {
            const hour = hourFromKey(d.hour)!;
            expect(isFarAhead(hour, now, B), d.name).to.equal(true);
            expect(hour > now.startOf('hour').plus({ hours: 1 }), d.name).to.equal(true);
            expect(creates.has(d.name), d.name).to.equal(true);
          }
          // Every stream kept with another configuration is near-term or not far-ahead: never addressed
          // by a delete, and no stale stream of a far-ahead hour is left (one destination per hour).
          for (const name of plan.staleKept) {
            const hour = parseStreamName('events', name)!;
            expect(emptyAndRemakeable(hour, now, B), name).to.equal(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an hour is remade whole or not at all: a stale sibling still CREATING keeps the whole hour as made', () => {
    const A2 = settings({ streamsPerHour: 2 });
    const B = after(A2, { dataPrefix: 'data2', streamsPerHour: 2 });
    const [first] = made(A2, '2026-11-22T12:00:00Z', 2);
    const creating = { ...first, name: 'events-2026112212-1', status: 'CREATING' as const };
    const [next] = made(A2, '2026-11-22T13:00:00Z', 1);
    const sibling13 = { ...next, name: 'events-2026112213-1' };
    const plan = planRotation(NOW, [fallback, first, creating, next, sibling13], B);
    // 12h waits for the next run; 13h (both ACTIVE) is remade whole, index order.
    expect(plan.deletes.filter((d) => d.reason === 'reconfigure').map((d) => d.name)).to.deep.equal([
      'events-2026112213',
      'events-2026112213-1',
    ]);
    expect(plan.staleKept).to.include.members(['events-2026112212', 'events-2026112212-1']);
  });

  it('lateness 600 → 30 min: streams are kept for the longest drain of any live configuration', () => {
    const L = settings({ latenessMinutes: 600 });
    const B = after(L, { latenessMinutes: 30 });
    const existing = [fallback, ...made(L, '2026-11-22T00:00:00Z', 2)];
    // 00h would be deletable at 01:00 + 30 + 5 + 15 = 01:50 under B alone; under L at 11:20.
    expect(planRotation(NOW, existing, B).deletes).to.deep.equal([]);
    expect(planRotation(at('2026-11-22T11:20:00Z'), existing, B).deletes.map((d) => d.name)).to.deep.equal([
      'events-2026112200',
    ]);
  });

  it('streamsToInspect reads status and tags of every hour not yet open while a former configuration lives', () => {
    const B = after(A, { deploymentId: 'demo/prod' });
    const names = [
      'events-fallback',
      'events-2026112209',
      'events-2026112210',
      'events-2026112211',
      'events-2026112300',
    ];
    expect(streamsToInspect(NOW, names, B)).to.deep.equal({
      ownership: [],
      health: ['events-2026112210', 'events-2026112211'],
      proof: ['events-2026112211'],
      config: ['events-2026112211', 'events-2026112300'],
    });
  });
  it('over the share after a settings change: the farthest stale streams are given back, not also remade (#24 with I2)', () => {
    const B = after(A, { dataPrefix: 'data2' });
    const other = deployment('team/other', 'clicks');
    // 10h .. 19h made under A; another deployment's fallback and 30 foreign streams beside them.
    const region = [
      fallbackOf(B),
      fallbackOf(other),
      ...made(A, '2026-11-22T10:00:00Z', 10),
      ...foreignStreams(30),
    ];
    const tags = new Map(region.map((e) => [e.name, e.tags]));
    const census = takeCensus(
      NOW,
      region.map((e) => e.name),
      tags,
      B,
    );
    const plan = planRotation(NOW, region, B, { value: 50, origin: 'applied' }, census);
    // pool 50 − 1 reserve − 30 foreign − 2 × (4 + 1) = 9: demo/dev's share 5 (it sorts first).
    // Far ahead it holds 12h .. 19h (8): the 3 farthest go over the share, the other 5 are remade.
    expect(plan.sharing).to.include({ deployments: 2, pool: 9, share: 5, farAhead: 5 });
    expect(plan.deletes.map((d) => [d.hour, d.reason])).to.deep.equal([
      ['2026112219', 'over-share'],
      ['2026112218', 'over-share'],
      ['2026112217', 'over-share'],
      ...['12', '13', '14', '15', '16'].map((h) => [`20261122${h}`, 'reconfigure']),
    ]);
    // 09h is still open for late records and missing; the 5 remade; none of the 3 given back.
    expect(plan.creates.map((c) => c.hour)).to.deep.equal([
      '2026112209',
      '2026112212',
      '2026112213',
      '2026112214',
      '2026112215',
      '2026112216',
    ]);
    expect(plan.staleKept).to.deep.equal(['events-2026112210', 'events-2026112211']);
  });
});

// planRotation with several streams per hour (streamsPerHour N): every figure counts streams, an
// hour's N streams are planned together, nearest hour first, and a change of N on a live stack
// adds or retires siblings without touching a stream of the old set before its hour has drained.
// The properties of test/core/planner.test.ts run for N = 1..4; these are the worked examples.
import { expect } from 'chai';
import { generationOf, nextFormers } from '../../rotation/core/generations';
import { hourStreamNames } from '../../rotation/core/names';
import { ExistingStream, planRotation, streamsToInspect } from '../../rotation/core/planner';
import { summarize } from '../../rotation/core/rotation-summary';
import { hourlyStreamTags, RotationSettings, SettingsInput } from '../../rotation/core/settings';
import { at, settings } from '../support/fixtures';

const fallback: ExistingStream = { name: 'events-fallback', status: 'ACTIVE' };
const noOutcome = {
  created: [],
  deleted: [],
  completed: [],
  notCreated: [],
  notDeleted: [],
  signalFailures: [],
};

/** All `n` streams of `count` hours from `from`, made (and tagged) under `made`. */
function made(
  made: RotationSettings,
  from: string,
  count: number,
  n = made.streamsPerHour,
): ExistingStream[] {
  return Array.from({ length: count }, (_, i) => at(from).plus({ hours: i })).flatMap((hour) => {
    const tags = Object.fromEntries(hourlyStreamTags(made, hour).map((t) => [t.Key, t.Value]));
    return hourStreamNames(made.streamPrefix, hour, n).map((name) => ({
      name,
      status: 'ACTIVE' as const,
      tags,
    }));
  });
}

describe('planRotation with streamsPerHour 2 at quota 50', () => {
  const S = settings({ streamsPerHour: 2 });

  it('00:30, empty account: 48 streams = 24 hours; both streams of the current, next and open past hour first', () => {
    const plan = planRotation(at('2026-11-22T00:30:00Z'), [fallback], S);
    expect(plan.creates).to.have.length(48);
    expect(plan.creates.slice(0, 8).map((c) => c.name)).to.deep.equal([
      'events-2026112200',
      'events-2026112200-1',
      'events-2026112201',
      'events-2026112201-1',
      'events-2026112123',
      'events-2026112123-1',
      'events-2026112202',
      'events-2026112202-1',
    ]);
    // Near-term 3 hours (6 streams), then far-ahead hours 02h..22h (42 streams), the reserve kept.
    expect(plan.creates.at(-1)).to.deep.equal({ name: 'events-2026112222-1', hour: '2026112222' });
    expect(plan.countAfter).to.equal(49);
    // Short: 25 hours × 2 streams, named by stream key, nearest first.
    expect(plan.shortfall).to.have.length(50);
    expect(plan.shortfall.slice(0, 3)).to.deep.equal(['2026112223', '2026112223-1', '2026112300']);
  });

  it('a quota with room for one more stream: the next hour gets its first stream, its sibling is short', () => {
    // 00:30 with both streams of 00h and 23h (D-1): 4 + fallback + 44 foreign = 49 of 50.
    const foreign = Array.from({ length: 44 }, (_, i) => ({ name: `other-${i}`, status: 'ACTIVE' as const }));
    const existing = [fallback, ...foreign, ...made(S, '2026-11-21T23:00:00Z', 2)];
    const plan = planRotation(at('2026-11-22T00:30:00Z'), existing, S);
    expect(plan.creates.map((c) => c.name)).to.deep.equal(['events-2026112201']);
    expect(plan.shortfall.slice(0, 2)).to.deep.equal(['2026112201-1', '2026112202']);
    const summary = summarize(plan, noOutcome);
    // Near-term: only 01h's sibling; tomorrow: 24 hours × 2 streams.
    expect([summary.nearTermShortfall, summary.tomorrowMissing]).to.deep.equal([1, 48]);
    expect(summary.shortfall).to.have.length(2 * 47 - 1);
  });

  it('a refused create is reported by its stream key too (the sibling suffix kept)', () => {
    const plan = planRotation(at('2026-11-22T00:30:00Z'), [fallback], S);
    const summary = summarize(plan, {
      ...noOutcome,
      notCreated: [{ name: 'events-2026112201-1', reason: 'quota reached' }],
    });
    expect(summary.shortfall.slice(0, 2)).to.deep.equal(['2026112201-1', '2026112223']);
    expect(summary.nearTermShortfall).to.equal(1);
  });

  it('streamsToInspect reads the siblings of the current and next hour, and of drained hours', () => {
    const names = [
      'events-fallback',
      'events-2026112203',
      'events-2026112203-1',
      'events-2026112205-1',
      'events-2026112206',
      'events-2026112206-1',
      'events-2026112206-2', // beyond N = 2: not ours, never read (the role may not)
    ];
    expect(streamsToInspect(at('2026-11-22T05:30:00Z'), names, S)).to.deep.equal({
      ownership: ['events-2026112203', 'events-2026112203-1'],
      health: ['events-2026112205-1', 'events-2026112206', 'events-2026112206-1'],
      proof: ['events-2026112206', 'events-2026112206-1'],
      config: [],
    });
  });
});

describe('changing streamsPerHour on a live stack (an `up` at 10:20, a run at 10:30)', () => {
  const UP = at('2026-11-22T10:20:00Z');
  const NOW = at('2026-11-22T10:30:00Z');
  function after(before: RotationSettings, change: Partial<SettingsInput>): RotationSettings {
    const next = settings(change);
    return settings({
      ...change,
      formerGenerations: nextFormers({ current: generationOf(before), formers: [] }, next, UP),
    });
  }

  it('1 → 2: siblings for the current hour first, then next, then future hours; no stream of the old set touched', () => {
    const A = settings();
    const B = after(A, { streamsPerHour: 2 });
    const existing = [fallback, ...made(A, '2026-11-22T08:00:00Z', 40)]; // 08h of the 22nd .. 23h of the 23rd
    const plan = planRotation(NOW, existing, B);
    // 08h drained at 10:20 with the defaults: that delete would have happened without the change.
    expect(plan.deletes.map((d) => d.name)).to.deep.equal(['events-2026112208']);
    // 50 - 40 after the delete = 10 free: the near-term siblings take 3, far-ahead ones all but the reserve.
    expect(plan.creates.map((c) => c.name)).to.deep.equal([
      'events-2026112210-1',
      'events-2026112211-1',
      'events-2026112209-1',
      ...['12', '13', '14', '15', '16', '17'].map((h) => `events-20261122${h}-1`),
    ]);
    expect(plan.shortfall[0]).to.equal('2026112218-1');
    expect(plan.shortfall).to.have.length(30);
    // Same destination and owner: nothing to make again, nothing stale.
    expect([plan.staleKept, plan.conflicts]).to.deep.equal([[], []]);
    expect(plan.keeps).to.have.length(39);
  });

  it('2 → 1: siblings of near-term hours are kept until their hour drains; far-ahead ones (empty, I1) go at once', () => {
    const A = settings({ streamsPerHour: 2 });
    const B = after(A, { streamsPerHour: 1 });
    expect(B.formerGenerations.map((f) => f.streamsPerHour)).to.deep.equal([2]);
    const existing = [fallback, ...made(A, '2026-11-22T08:00:00Z', 6)]; // 08h .. 13h, both streams
    const plan = planRotation(NOW, existing, B);
    expect(plan.deletes.map((d) => [d.name, d.reason])).to.deep.equal([
      ['events-2026112208', 'drained'],
      ['events-2026112208-1', 'drained'],
      ['events-2026112212-1', 'unneeded'], // 12h opens at 11:45: far-ahead at 10:30
      ['events-2026112213-1', 'unneeded'],
    ]);
    expect(plan.keeps).to.include.members([
      'events-2026112209-1',
      'events-2026112210-1',
      'events-2026112211-1',
    ]);
    expect(plan.creates.map((c) => c.name).filter((n) => n.endsWith('-1'))).to.deep.equal([]);
    expect(plan.creates[0].name).to.equal('events-2026112214');
    // 13h's sibling goes when 13h has drained (15:20), with 13h itself.
    const later = planRotation(at('2026-11-22T15:20:00Z'), existing, B);
    expect(later.deletes.map((d) => d.name)).to.include.members(['events-2026112213', 'events-2026112213-1']);
  });

  it('2 → 1 after the former configuration expired: a leftover sibling is not ours, counted and never touched', () => {
    const A = settings({ streamsPerHour: 2 });
    const C = settings(); // no former generation left
    const existing = [fallback, ...made(A, '2026-11-22T08:00:00Z', 1)];
    const plan = planRotation(NOW, existing, C);
    expect(plan.deletes.map((d) => d.name)).to.deep.equal(['events-2026112208']);
    expect(plan.keeps).to.not.include('events-2026112208-1');
    expect(plan.foreignCount).to.equal(2); // the fallback and the sibling
  });
});

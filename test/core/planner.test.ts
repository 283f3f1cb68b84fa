import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  hourKey,
  hourStreamNames,
  parseHourlyName,
  parseStreamName,
  streamName,
} from '../../rotation/core/names';
import {
  ExistingStream,
  planRotation,
  RotationPlan,
  StreamStatus,
  streamsToInspect,
} from '../../rotation/core/planner';
import { OWNER_TAG, RotationSettings } from '../../rotation/core/settings';
import { isOpen } from '../../rotation/core/event-hour';
import { hoursToEnsure } from '../../rotation/core/time-window';
import { deletableAt } from '../../rotation/core/stream-deletion';
import { at, settings } from '../support/fixtures';
import { runs } from '../support/property-runs';

const S = settings(); // quota 50, lateness 60 min, buffering 300 s, margin 15 min: drain 80 min
const ours = { [OWNER_TAG]: 'demo/dev' };
const fallback: ExistingStream = { name: 'events-fallback', status: 'ACTIVE', tags: ours };
const foreign = (n: number): ExistingStream[] =>
  Array.from({ length: n }, (_, i) => ({ name: `other-team-${i}`, status: 'ACTIVE' }));
const owned = (from: string, count: number): ExistingStream[] =>
  Array.from({ length: count }, (_, i) => ({
    name: streamName('events', at(from).plus({ hours: i })),
    status: 'ACTIVE',
    tags: ours,
  }));
const keysOf = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) => hourKey(at(from).plus({ hours: i })));

/** The streams left after a plan is applied as planned. */
function applied(existing: ExistingStream[], plan: RotationPlan): ExistingStream[] {
  const gone = new Set(plan.deletes.map((d) => d.name));
  const made = plan.creates.map((c) => ({ name: c.name, status: 'ACTIVE' as const, tags: ours }));
  return [...existing.filter((e) => !gone.has(e.name)), ...made];
}

describe('planRotation: quota-50 arithmetic (defaults: one fallback, reserve 1)', () => {
  const table: {
    title: string;
    now: string;
    existing: ExistingStream[];
    creates: number;
    deletes: string[];
    shortfall: string[];
    after: number;
  }[] = [
    {
      title:
        '00:30, empty account: D-1 23h (still open) + 24 of D + 24 of D+1 = 49 hours; the reserve keeps D+1 23h out',
      now: '2026-11-22T00:30:00Z',
      existing: [fallback],
      creates: 48,
      deletes: [],
      shortfall: ['2026112323'],
      after: 49,
    },
    {
      title:
        '00:30 with 10 foreign streams: the 11 farthest hours (D+1 13h-23h) fall short, 1 slot stays free',
      now: '2026-11-22T00:30:00Z',
      existing: [fallback, ...foreign(10)],
      creates: 38,
      deletes: [],
      shortfall: keysOf('2026-11-23T13:00:00Z', 11),
      after: 49,
    },
    {
      title: '01:30, empty account: D-1 23h closed at 01:00, 48 creates',
      now: '2026-11-22T01:30:00Z',
      existing: [fallback],
      creates: 48,
      deletes: [],
      shortfall: [],
      after: 49,
    },
    {
      title: '01:30 with 10 foreign streams: 38 creates, the 10 farthest hours short, 1 slot stays free',
      now: '2026-11-22T01:30:00Z',
      existing: [fallback, ...foreign(10)],
      creates: 38,
      deletes: [],
      shortfall: keysOf('2026-11-23T14:00:00Z', 10),
      after: 49,
    },
    {
      title: '00:10, steady state: D-1 22h drains until 00:20, so D+1 22h and 23h wait',
      now: '2026-11-22T00:10:00Z',
      existing: [fallback, ...owned('2026-11-21T22:00:00Z', 26)],
      creates: 22,
      deletes: [],
      shortfall: ['2026112322', '2026112323'],
      after: 49,
    },
    {
      title: '00:30, steady state: D-1 22h deleted first; D+1 23h waits for 01:20, when D-1 23h drains',
      now: '2026-11-22T00:30:00Z',
      existing: [fallback, ...owned('2026-11-21T22:00:00Z', 26)],
      creates: 23,
      deletes: ['events-2026112122'],
      shortfall: ['2026112323'],
      after: 49,
    },
    {
      title: '01:30, steady state: D-1 23h deleted, the last hour of D+1 fits: tomorrow complete',
      now: '2026-11-22T01:30:00Z',
      existing: [fallback, ...owned('2026-11-21T23:00:00Z', 48)],
      creates: 1,
      deletes: ['events-2026112123'],
      shortfall: [],
      after: 49,
    },
  ];
  for (const row of table) {
    it(row.title, () => {
      const plan = planRotation(at(row.now), row.existing, S);
      expect(plan.creates).to.have.length(row.creates);
      expect(plan.deletes.map((d) => d.name)).to.deep.equal(row.deletes);
      expect(plan.shortfall).to.deep.equal(row.shortfall);
      expect(plan.countAfter).to.equal(row.after);
    });
  }

  it('00:30 empty account creates the current hour first, then the next, then the open past hour', () => {
    const plan = planRotation(at('2026-11-22T00:30:00Z'), [fallback], S);
    expect(plan.creates.slice(0, 4).map((c) => c.hour)).to.deep.equal([
      '2026112200',
      '2026112201',
      '2026112123',
      '2026112202',
    ]);
  });
});

describe('planRotation: ownership and states', () => {
  const now = at('2026-11-22T05:30:00Z');
  it('never deletes a lookalike without our tag, a foreign-tagged one, or the fallback; reports the conflict', () => {
    const drained = 'events-2026112201';
    const existing: ExistingStream[] = [
      { ...fallback },
      { name: drained, status: 'ACTIVE', tags: {} },
      { name: 'events-2026112202', status: 'ACTIVE', tags: { [OWNER_TAG]: 'someone/else' } },
      { name: 'events-2026112205', status: 'ACTIVE', tags: { team: 'x' } },
    ];
    const plan = planRotation(now, existing, S);
    expect(plan.deletes).to.deep.equal([]);
    // Every stream of our pattern whose tags were read and are not ours, drained or needed.
    expect(plan.conflicts).to.deep.equal(['events-2026112201', 'events-2026112202', 'events-2026112205']);
    expect(plan.creates.map((c) => c.name)).to.not.include('events-2026112205');
  });

  const states: [StreamStatus, string, string[], string[]][] = [
    ['CREATING', '2026112201', [], []],
    ['DELETING', '2026112201', [], []],
    ['ACTIVE', '2026112201', ['events-2026112201'], []],
    ['UNKNOWN', '2026112201', ['events-2026112201'], []],
    ['CREATING_FAILED', '2026112201', ['events-2026112201'], []],
    ['CREATING_FAILED', '2026112206', ['events-2026112206'], ['events-2026112206']],
    ['CREATING', '2026112206', [], []],
  ];
  for (const [status, key, deletes, recreates] of states) {
    it(`${status} stream of hour ${key} at 05:30: deletes ${JSON.stringify(deletes)}, recreates ${JSON.stringify(recreates)}`, () => {
      const existing = [fallback, { name: `events-${key}`, status, tags: ours }];
      const plan = planRotation(now, existing, S);
      expect(plan.deletes.map((d) => d.name)).to.deep.equal(deletes);
      expect(plan.creates.map((c) => c.name).filter((n) => n === `events-${key}`)).to.deep.equal(recreates);
    });
  }
});

// ---- properties ----------------------------------------------------------------------------

const settingsArb = fc
  .record({
    quota: fc.integer({ min: 8, max: 120 }),
    latenessMinutes: fc.integer({ min: 0, max: 240 }),
    bufferingIntervalSeconds: fc.integer({ min: 0, max: 900 }),
    safetyMarginMinutes: fc.integer({ min: 1, max: 60 }),
    horizonDays: fc.integer({ min: 1, max: 2 }),
    reserveStreams: fc.integer({ min: 0, max: 4 }),
    budgetShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    lookaheadHours: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    // Every property below holds for any number of streams per hour.
    streamsPerHour: fc.integer({ min: 1, max: 4 }),
  })
  .filter(
    (w) =>
      (Math.ceil((w.latenessMinutes + w.safetyMarginMinutes + w.bufferingIntervalSeconds / 60) / 60) + 2) *
        w.streamsPerHour +
        1 <=
      w.quota,
  )
  .map(({ budgetShare, ...w }) => {
    // A budget from the live window (in streams) plus the fallback up to the quota, or none.
    const live =
      (Math.ceil((w.latenessMinutes + w.safetyMarginMinutes + w.bufferingIntervalSeconds / 60) / 60) + 2) *
        w.streamsPerHour +
      1;
    const streamBudget =
      budgetShare === undefined ? undefined : live + Math.floor(budgetShare * (w.quota - live));
    return settings({ ...w, streamBudget });
  });

const nowArb = fc
  .integer({ min: at('2026-01-01T00:00:00Z').toMillis(), max: at('2027-12-31T00:00:00Z').toMillis() })
  .map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }));

const statusArb = fc.constantFrom<StreamStatus>(
  'ACTIVE',
  'ACTIVE',
  'ACTIVE',
  'UNKNOWN',
  'CREATING',
  'CREATING_FAILED',
  'DELETING',
);

/**
 * Our streams near `now` (some days back, some ahead; any index 0-3, so with fewer streams per hour
 * some are sibling-shaped names beyond N, which are not ours), lookalikes, foreign streams, the
 * fallback.
 */
const hourAndIndex = (hours: number) =>
  fc.uniqueArray(fc.tuple(fc.integer({ min: -hours, max: hours }), fc.integer({ min: 0, max: 3 })), {
    maxLength: 60,
    selector: ([h, i]) => `${h}/${i}`,
  });
const worldArb = fc.tuple(settingsArb, nowArb).chain(([s, now]) =>
  fc
    .record({
      ownHours: hourAndIndex(96).map((a) => a.filter(([h]) => h <= 72)),
      statuses: fc.array(statusArb, { minLength: 60, maxLength: 60 }),
      lookalikeHours: hourAndIndex(30).map((a) => a.slice(0, 4)),
      foreign: fc.integer({ min: 0, max: 25 }),
      // Sometimes the fallback is gone (never created, or deleted by someone).
      fallbackGone: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    })
    .map(({ ownHours, statuses, lookalikeHours, foreign: f, fallbackGone }) => {
      const base = now.startOf('hour');
      const taken = new Set<string>();
      const existing: ExistingStream[] = [...(fallbackGone ? [] : [{ ...fallback }]), ...foreign(f)];
      lookalikeHours.forEach(([h, index]) => {
        const name = streamName(s.streamPrefix, base.plus({ hours: h }), index);
        taken.add(name);
        existing.push({ name, status: 'ACTIVE', tags: h % 2 ? {} : { [OWNER_TAG]: 'other/stack' } });
      });
      ownHours.forEach(([h, index], i) => {
        const name = streamName(s.streamPrefix, base.plus({ hours: h }), index);
        if (!taken.has(name)) existing.push({ name, status: statuses[i], tags: ours });
      });
      return { s, now, existing };
    }),
);

/** The reference for ownership: our tag, our prefix, an index below streamsPerHour. */
function ownedHour(e: ExistingStream, s: RotationSettings) {
  const parsed = parseHourlyName(s.streamPrefix, e.name);
  const ours = e.tags?.[OWNER_TAG] === s.deploymentId && parsed && parsed.index < s.streamsPerHour;
  return ours ? parsed.hour : undefined;
}

describe('planRotation: properties', () => {
  it('never exceeds the quota, after the plan or at any step (deletes run first)', () => {
    fc.assert(
      fc.property(worldArb, ({ s, now, existing }) => {
        const plan = planRotation(now, existing, s);
        const afterDeletes = existing.length - plan.deletes.length;
        expect(plan.countAfter).to.equal(afterDeletes + plan.creates.length);
        if (plan.creates.length > 0) expect(plan.countAfter).to.be.at.most(s.quota);
        else expect(plan.countAfter).to.be.at.most(Math.max(s.quota, afterDeletes));
        // A missing fallback is reported, and hourly streams never take its slot.
        const gone = !existing.some((e) => e.name === s.fallbackStreamName);
        expect(plan.fallbackMissing).to.equal(gone);
        if (gone && plan.creates.length > 0) expect(plan.countAfter).to.be.at.most(s.quota - 1);
      }),
      { numRuns: runs(75) },
    );
  });

  it('deletes only our own streams, never while the hour may receive writes or hold buffered data', () => {
    fc.assert(
      fc.property(worldArb, ({ s, now, existing }) => {
        const byName = new Map(existing.map((e) => [e.name, e]));
        for (const d of planRotation(now, existing, s).deletes) {
          const e = byName.get(d.name)!;
          const hour = ownedHour(e, s);
          expect(hour, d.name).to.not.equal(undefined);
          expect(d.name).to.not.equal(s.fallbackStreamName);
          expect(['CREATING', 'DELETING']).to.not.include(e.status);
          if (e.status !== 'CREATING_FAILED') {
            expect(now >= deletableAt(hour!, s), `${d.name} deleted at ${now.toISO()}`).to.equal(true);
            expect(isOpen(hour!, now, s)).to.equal(false);
          }
        }
      }),
      { numRuns: runs(75) },
    );
  });

  it('creates only ensured hours (open or ahead) of our pattern with free names, nearest first; stops only at the quota, the reserve or the budget', () => {
    fc.assert(
      fc.property(worldArb, ({ s, now, existing }) => {
        const plan = planRotation(now, existing, s);
        const failed = new Set(
          existing.filter((e) => e.status === 'CREATING_FAILED' && ownedHour(e, s)).map((e) => e.name),
        );
        const present = new Set(existing.map((e) => e.name));
        const next = now.startOf('hour').plus({ hours: 1 });
        const hours = hoursToEnsure(now, s);
        // Streams, not hours: all N of an hour, index order, before the next hour's.
        const missing = [...hours.filter((h) => h <= next), ...hours.filter((h) => h > next)]
          .flatMap((h) => hourStreamNames(s.streamPrefix, h, s.streamsPerHour))
          .filter((n) => !present.has(n) || failed.has(n));
        const key = (n: string) => n.slice(s.streamPrefix.length + 1);
        // Every missing hour is either created or short: near-term hours (current, next, open past
        // ones) first, then the far-ahead ones, each nearest first.
        const created = new Set(plan.creates.map((c) => c.name));
        expect(plan.creates.map((c) => c.name)).to.deep.equal(missing.filter((n) => created.has(n)));
        expect(plan.shortfall).to.deep.equal(missing.filter((n) => !created.has(n)).map(key));
        // Open hours and hours ahead (empty until they open, I1), never a closed one.
        const ensured = new Set(hours.map((h) => h.toMillis()));
        for (const c of plan.creates)
          expect(ensured.has(parseStreamName(s.streamPrefix, c.name)!.toMillis()), c.name).to.equal(true);
        // Why an hour fell short, judged on the state after the plan (creates only use up room).
        const freeAfter = s.quota - plan.countAfter - (plan.fallbackMissing ? 1 : 0);
        const heldAfter =
          1 +
          plan.keeps.length -
          plan.deletes.filter((d) => plan.keeps.includes(d.name)).length +
          plan.creates.length;
        const budgetFull = heldAfter >= plan.budget;
        for (const k of plan.shortfall) {
          const near = parseStreamName(s.streamPrefix, `${s.streamPrefix}-${k}`)! <= next;
          expect(budgetFull || freeAfter < (near ? 1 : s.reserveStreams + 1), `${k} short`).to.equal(true);
        }
        // A far-ahead hour never takes the reserve; nothing passes the budget.
        const farCreated = plan.creates.some((c) => parseStreamName(s.streamPrefix, c.name)! > next);
        if (farCreated) expect(freeAfter).to.be.at.least(s.reserveStreams);
        if (plan.creates.length > 0) expect(heldAfter).to.be.at.most(plan.budget);
      }),
      { numRuns: runs(75) },
    );
  });

  it('planning again over the applied result is a no-op', () => {
    fc.assert(
      fc.property(worldArb, ({ s, now, existing }) => {
        const second = planRotation(now, applied(existing, planRotation(now, existing, s)), s);
        expect(second.creates).to.deep.equal([]);
        expect(second.deletes).to.deep.equal([]);
      }),
      { numRuns: runs(75) },
    );
  });

  it('after days without a run, one run converges: nothing drained left, every open hour covered if it fits', () => {
    fc.assert(
      fc.property(settingsArb, nowArb, fc.integer({ min: 2, max: 30 }), (s, now, daysAway) => {
        const then = now.minus({ days: daysAway });
        // What a run at `then` left behind: the nearest hours that fit the quota then.
        // Streams, not hours: N per hour.
        const names = (h: DateTime) => hourStreamNames(s.streamPrefix, h, s.streamsPerHour);
        const stale = hoursToEnsure(then, s)
          .flatMap(names)
          .slice(0, s.quota - 1)
          .map((name) => ({ name, status: 'ACTIVE' as const, tags: ours }));
        const existing = [fallback, ...stale];
        const after = applied(existing, planRotation(now, existing, s));
        const left = after.filter((e) => ownedHour(e, s)).map((e) => ownedHour(e, s)!);
        for (const h of left) expect(now < deletableAt(h, s), hourKey(h)).to.equal(true);
        const needed = hoursToEnsure(now, s);
        const present = new Set(after.map((e) => e.name));
        const covered = needed.flatMap(names).filter((n) => present.has(n)).length;
        // Still-draining stale streams keep their slots; the near-term hours always get theirs, and
        // the far-ahead ones every slot but the reserve.
        const draining = left.filter((h) => !needed.some((n) => n.equals(h))).length;
        const next = now.startOf('hour').plus({ hours: 1 });
        const near = needed.filter((h) => h <= next).length * s.streamsPerHour;
        const budget = Math.min(s.streamBudget ?? s.quota, s.quota);
        const room = Math.min(s.quota - s.reserveStreams, budget) - 1 - draining;
        const promised = Math.min(needed.length * s.streamsPerHour, Math.max(near, room));
        // The stale state ignored the budget (a budget lowered since): then "at least".
        if (s.streamBudget === undefined) expect(covered).to.equal(promised);
        else expect(covered).to.be.at.least(promised);
      }),
      { numRuns: runs(50) },
    );
  });
});

describe('streamsToInspect: reads only what the plan depends on', () => {
  it('at 05:30: tags for drained hours and the next hour, status for the current and next hour, nothing else', () => {
    const names = [
      'events-fallback',
      'other-team-0',
      'events-2026112203', // deletable at 05:20
      'events-2026112204', // draining until 06:20
      'events-2026112205',
      'events-2026112206',
      'events-2026112207',
      'events-dev-2026112203',
    ];
    expect(streamsToInspect(at('2026-11-22T05:30:00Z'), names, S)).to.deep.equal({
      ownership: ['events-2026112203'],
      health: ['events-2026112205', 'events-2026112206'],
      proof: ['events-2026112206'],
      // No former configuration: every stream was made under the current one, nothing to read.
      config: [],
    });
  });
});

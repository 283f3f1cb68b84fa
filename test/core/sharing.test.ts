// Several deployments in one quota: the reserve rule each one follows alone, the fallback's slot,
// the budget and the quota reading, as example tables beside properties over runs in any order.
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  dayProfile,
  describeQuota,
  largestLookahead,
  liveWindowStreams,
  maxLiveWindowHours,
  tomorrowAlarmPeriods,
} from '../../rotation/core/capacity';
import { streamName } from '../../rotation/core/names';
import { ExistingStream, planRotation } from '../../rotation/core/planner';
import { summarize } from '../../rotation/core/rotation-summary';
import { OWNER_TAG, RotationSettings } from '../../rotation/core/settings';
import { hourOf } from '../../rotation/core/time-window';
import { at, settings } from '../support/fixtures';
import { runs } from '../support/property-runs';
import { streamsNeeded } from '../support/streams-needed';

const deployment = (id: string, prefix: string, extra: Record<string, unknown> = {}) =>
  settings({ deploymentId: id, streamPrefix: prefix, fallbackStreamName: `${prefix}-fallback`, ...extra });
const fallbackOf = (s: RotationSettings): ExistingStream => ({
  name: s.fallbackStreamName,
  status: 'ACTIVE',
});

/** Applies a plan to a shared account as planned (deletes, then creates). */
function apply(account: ExistingStream[], s: RotationSettings, now: DateTime, quota = 50) {
  const plan = planRotation(now, account, s, { value: quota, origin: 'applied' });
  const gone = new Set(plan.deletes.map((d) => d.name));
  const made = plan.creates.map((c) => ({
    name: c.name,
    status: 'ACTIVE' as const,
    tags: { [OWNER_TAG]: s.deploymentId },
  }));
  return { plan, account: [...account.filter((e) => !gone.has(e.name)), ...made] };
}

// The planner reads tags only where discover would; here every stream carries them.
const has = (account: ExistingStream[], s: RotationSettings, hour: DateTime) =>
  account.some((e) => e.name === streamName(s.streamPrefix, hour));

describe('sharing: the fallback is part of the plan', () => {
  const S = deployment('demo/dev', 'events');
  it('a missing fallback is reported and keeps its slot: 48 creates at 01:30, + its slot + the reserve = 50', () => {
    const plan = planRotation(at('2026-11-22T01:30:00Z'), [], S);
    expect(plan.fallbackMissing).to.equal(true);
    expect([plan.creates.length, plan.countAfter]).to.deep.equal([48, 48]);
    expect(plan.shortfall).to.deep.equal([]);
  });
  it('with 2 foreign streams the hourly streams stop one short of the quota: the fallback can be recreated', () => {
    const foreign = [0, 1].map((i) => ({ name: `other-${i}`, status: 'ACTIVE' as const }));
    const plan = planRotation(at('2026-11-22T01:30:00Z'), foreign, S);
    expect([plan.creates.length, plan.countAfter]).to.deep.equal([46, 48]);
    expect(plan.shortfall).to.deep.equal(['2026112322', '2026112323']);
  });
  it('a present fallback is not missing', () => {
    expect(planRotation(at('2026-11-22T01:30:00Z'), [fallbackOf(S)], S).fallbackMissing).to.equal(false);
  });
});

describe('sharing: two deployments with defaults at quota 50', () => {
  const A = deployment('team/prod', 'events');
  const B = deployment('team/dev', 'events-dev');

  it('A alone: tomorrow complete from the 01:xx run on (01:20, when D-1 23h drains)', () => {
    let account: ExistingStream[] = [fallbackOf(A)];
    const tomorrowMissing: number[] = [];
    for (let h = 0; h < 6; h++) {
      const now = at('2026-11-22T00:30:00Z').plus({ hours: h });
      const r = apply(account, A, now);
      account = r.account;
      tomorrowMissing.push(r.plan.shortfall.filter((k) => k.startsWith('20261123')).length);
    }
    expect(tomorrowMissing).to.deep.equal([1, 0, 0, 0, 0, 0]);
  });

  it('B arrives when A is full: its current and next hours come as A drains, then stay', () => {
    let account: ExistingStream[] = [fallbackOf(A)];
    account = apply(account, A, at('2026-11-22T01:30:00Z')).account; // 49 of 50
    account.push(fallbackOf(B)); // Pulumi creates B's fallback in the last slot
    const log: string[] = [];
    const counts: string[] = [];
    for (let h = 0; h < 30; h++) {
      const now = at('2026-11-22T02:10:00Z').plus({ hours: h });
      // Order alternates: A first on even hours, B first on odd ones.
      for (const s of h % 2 ? [B, A] : [A, B]) account = apply(account, s, now).account;
      expect(account.length, now.toISO()).to.be.at.most(50);
      const cur = hourOf(now);
      counts.push(`${account.filter((e) => e.name.startsWith('events-dev-')).length}/${account.length}`);
      log.push(`${has(account, B, cur) ? 'C' : '-'}${has(account, B, cur.plus({ hours: 1 })) ? 'N' : '-'}`);
    }
    // The default reserve (1) brings B in as A drains (one slot an hour), with one more miss of its
    // next hour while B's own near-term set still grows; from then on it has both every run.
    // A reserve of both live windows (8) avoids the warm-up misses (property below).
    expect(log.slice(0, 5)).to.deep.equal(['--', '--', 'CN', 'C-', 'CN']);
    expect(new Set(log.slice(4))).to.deep.equal(new Set(['CN']));
    expect(counts.slice(0, 4)).to.deep.equal(['1/50', '1/49', '3/50', '3/49']);
  });
});

describe('sharing: capacity arithmetic', () => {
  it('defaults: need 50 at 00:00, 27 at 23:00; 48 hourly streams fit; 2 tight hours; alarm after 3 runs', () => {
    const p = dayProfile(settings());
    expect([p.worst[0], p.worst[1], p.worst[2], p.worst[23]]).to.deep.equal([50, 49, 48, 27]);
    expect([p.capacity, p.tightHours, p.minimum]).to.deep.equal([48, 2, 26]);
    expect(tomorrowAlarmPeriods(settings())).to.equal(3);
  });
  const rows: [Record<string, unknown>, number, number][] = [
    [{ latenessMinutes: 180 }, 4, 5],
    [{ quota: 30 }, 22, 23],
    [{ quota: 30, lookaheadHours: 6 }, 0, 3],
    [{ streamBudget: 10, lookaheadHours: 4 }, 0, 3],
  ];
  for (const [o, tight, periods] of rows) {
    it(`${JSON.stringify(o)}: ${tight} tight hours, tomorrow-not-ready after ${periods} runs`, () => {
      expect(dayProfile(settings(o)).tightHours).to.equal(tight);
      expect(tomorrowAlarmPeriods(settings(o))).to.equal(periods);
    });
  }
  it('largest lookahead: 45 with the defaults, 6 in a budget of 10 (1 + 6 + 2 draining = 9 hourly)', () => {
    expect(largestLookahead(settings())).to.equal(45);
    expect(largestLookahead(settings({ streamBudget: 10 }))).to.equal(6);
  });
  it('streamsPerHour N counts N streams per hour: 2 → needs 100 at 00:00, lookahead 21; 4 → 9', () => {
    const two = dayProfile(settings({ streamsPerHour: 2 }));
    expect([two.worst[0], two.worst[23], two.capacity, two.minimum, two.tightHours]).to.deep.equal([
      100, 54, 48, 52, 24,
    ]);
    expect(tomorrowAlarmPeriods(settings({ streamsPerHour: 2 }))).to.equal(24);
    // 1 + 21 ahead + 2 draining = 24 hours × 2 = 48 streams; 22 ahead would need 50.
    expect(largestLookahead(settings({ streamsPerHour: 2 }))).to.equal(21);
    const twoLookahead = dayProfile(settings({ streamsPerHour: 2, lookaheadHours: 21 }));
    expect([Math.max(...twoLookahead.worst), twoLookahead.tightHours]).to.deep.equal([48, 0]);
    // 1 + 9 + 2 = 12 hours × 4 = 48.
    expect(largestLookahead(settings({ streamsPerHour: 4 }))).to.equal(9);
    expect(liveWindowStreams(settings({ streamsPerHour: 4 }))).to.equal(16);
    expect(streamsNeeded(at('2026-11-22T00:10:00Z'), settings({ streamsPerHour: 3 }))).to.equal(3 * 50);
    expect(dayProfile(settings({ streamsPerHour: 3 })).worst[0]).to.equal(3 * 50);
  });
  it('the day profile agrees with the time window at the first and last second of every hour (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          latenessMinutes: fc.integer({ min: 0, max: 600 }),
          bufferingIntervalSeconds: fc.integer({ min: 0, max: 900 }),
          safetyMarginMinutes: fc.integer({ min: 1, max: 120 }),
          horizonDays: fc.integer({ min: 1, max: 3 }),
          lookaheadHours: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
          streamsPerHour: fc.integer({ min: 1, max: 4 }),
        }),
        fc.integer({ min: 0, max: 23 }),
        (w, hourOfDay) => {
          const s = { ...w, quota: 5000, reserveStreams: 0 };
          const start = at('2026-03-10T00:00:00Z').plus({ hours: hourOfDay });
          const profile = dayProfile(s);
          // worst: just after the hour starts (00:01 s into it); best: just before it ends (59:59).
          expect(profile.worst[hourOfDay]).to.equal(streamsNeeded(start.plus({ seconds: 1 }), s));
          expect(profile.best[hourOfDay]).to.equal(
            streamsNeeded(start.plus({ minutes: 59, seconds: 59 }), s),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('sharing: the largest lookahead for any streamsPerHour', () => {
  it('fits at every hour of the day, and one hour more does not (property)', () => {
    fc.assert(
      fc.property(
        fc
          .record({
            quota: fc.integer({ min: 20, max: 400 }),
            latenessMinutes: fc.integer({ min: 0, max: 180 }),
            reserveStreams: fc.integer({ min: 0, max: 8 }),
            streamsPerHour: fc.integer({ min: 1, max: 4 }),
          })
          // Settings whose live window fits (the others are rejected, tested in settings.test.ts).
          .filter(
            (o) => (Math.ceil((o.latenessMinutes + 5 + 15) / 60) + 2) * o.streamsPerHour + 1 <= o.quota,
          ),
        (o) => {
          const s = settings(o);
          const fits = largestLookahead(s);
          const tight = (lookaheadHours: number) => dayProfile({ ...s, lookaheadHours }).tightHours;
          if (fits > 0) expect(tight(fits), `lookahead ${fits}`).to.equal(0);
          // More lookahead than the horizon's hours ahead of 00:00 changes nothing: the horizon clips it.
          if (fits < 24 * (s.horizonDays + 1) - 1)
            expect(tight(fits + 1), `lookahead ${fits + 1}`).to.be.above(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sharing: each deployment reports its own near-term shortfall', () => {
  it('the summary counts current, next and still-open hours without a stream (NearTermShortfall)', () => {
    const s = settings({ quota: 5 }); // the fallback + 3 foreign streams: one slot left
    const others = ['x', 'y', 'z'].map((name) => ({ name, status: 'ACTIVE' as const }));
    const plan = planRotation(at('2026-11-22T05:30:00Z'), [fallbackOf(s), ...others], s);
    expect(plan.creates.map((c) => c.hour)).to.deep.equal(['2026112205']);
    const summary = summarize(plan, {
      created: ['events-2026112205'],
      deleted: [],
      completed: [],
      notCreated: [],
      notDeleted: [],
      signalFailures: [],
    });
    // Next (06) and the still-open 04 are near-term; 07 and later are not.
    expect(summary.shortfall.slice(0, 3)).to.deep.equal(['2026112206', '2026112204', '2026112207']);
    expect(summary.nearTermShortfall).to.equal(2);
  });
});

describe('sharing: where the quota came from', () => {
  const rows: [number, Parameters<typeof describeQuota>[1], string][] = [
    [
      50,
      { value: 5000, origin: 'applied' },
      '50 from the quota setting (Service Quotas applied value: 5000)',
    ],
    [
      5000,
      { value: 100, origin: 'applied' },
      '100 from Service Quotas (applied value; the quota setting 5000 is higher)',
    ],
    [
      50,
      { value: Infinity, origin: 'setting', note: 'Service Quotas has no entry: NoSuchResourceException' },
      '50 from the quota setting (Service Quotas has no entry: NoSuchResourceException)',
    ],
  ];
  for (const [setting, reading, text] of rows) {
    it(text, () => expect(describeQuota(setting, reading)).to.equal(text));
  }
  it('the plan uses the smaller number', () => {
    const s = settings({ quota: 5000 });
    const plan = planRotation(at('2026-11-22T01:30:00Z'), [fallbackOf(s)], s, {
      value: 20,
      origin: 'applied',
    });
    expect([plan.quota, plan.creates.length, plan.countAfter]).to.deep.equal([20, 18, 19]);
  });
});

// ---- the rule across deployments: any order, any minute -------------------------------------

describe('sharing: properties of the reserve rule', function () {
  this.timeout(180_000); // ~40 × 48 h × 3 plans with luxon: ~20 s idle, more on a shared machine
  it('N deployments + foreign streams, runs in any order at any minute: never over the quota; each has its current and next hour while the minimum needs fit', () => {
    const world = fc.record({
      n: fc.integer({ min: 2, max: 3 }),
      foreign: fc.integer({ min: 0, max: 20 }),
      lookaheads: fc.array(fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }), {
        minLength: 3,
        maxLength: 3,
      }),
      minutes: fc.array(fc.integer({ min: 0, max: 59 }), { minLength: 48, maxLength: 48 }),
      orders: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 48, maxLength: 48 }),
      start: fc.integer({ min: 0, max: 23 }),
    });
    fc.assert(
      fc.property(world, (w) => {
        // The reserve docs/sharing.md prescribes: the live windows of all deployments sharing.
        const live = maxLiveWindowHours(settings());
        const reserve = w.n * live;
        const ds = Array.from({ length: w.n }, (_, i) =>
          deployment(`team/d${i}`, `ev${i}`, { reserveStreams: reserve, lookaheadHours: w.lookaheads[i] }),
        );
        const minimum = ds.reduce((sum, s) => sum + maxLiveWindowHours(s) + 1, 0);
        let account: ExistingStream[] = [
          ...ds.map(fallbackOf),
          ...Array.from({ length: w.foreign }, (_, i) => ({ name: `other-${i}`, status: 'ACTIVE' as const })),
        ];
        const fits = minimum + w.foreign <= 50;
        const t0 = at('2026-11-22T00:00:00Z').plus({ hours: w.start });
        for (let h = 0; h < 48; h++) {
          const now = t0.plus({ hours: h, minutes: w.minutes[h] });
          const order = [...ds.keys()].sort((a, b) => ((a + w.orders[h]) % w.n) - ((b + w.orders[h]) % w.n));
          for (const i of order) {
            const r = apply(account, ds[i], now);
            account = r.account;
            expect(account.length).to.be.at.most(50);
            // Its own shortfall is reported by the deployment that has it.
            const cur = hourOf(now);
            for (const hour of [cur, cur.plus({ hours: 1 })]) {
              const key = streamName(ds[i].streamPrefix, hour).slice(ds[i].streamPrefix.length + 1);
              if (!has(account, ds[i], hour)) expect(r.plan.shortfall).to.include(key);
              // The first hour is the warm-up: later, a fitting world leaves nobody short.
              else if (fits && h > 0) expect(r.plan.shortfall).to.not.include(key);
            }
            if (fits && h > 0) {
              expect(has(account, ds[i], cur), `${ds[i].streamPrefix} current at ${now.toISO()}`).to.equal(
                true,
              );
              expect(has(account, ds[i], cur.plus({ hours: 1 })), `next at ${now.toISO()}`).to.equal(true);
            }
          }
        }
      }),
      { numRuns: runs(5, 40) },
    );
  });
});

// The sharing rule across deployments, as a pure simulation over the planner: 1–5 deployments
// arriving at random hours (their fallback first, as `pulumi up` makes it), runs in any order at
// any minute, foreign streams and settings drawn per world. Checked after every run: never over
// the quota, no deployment deletes another's stream, and each deployment has its current and next
// hour whenever the live windows and fallbacks of all fit — from the round after the latest
// arrival on (the rule's one limit: a deployment gives back only at its own run).
import { expect } from 'chai';
import fc from 'fast-check';
import { liveWindowStreams } from '../../rotation/core/capacity';
import { streamNamesFor } from '../../rotation/core/generations';
import { OWNER_TAG } from '../../rotation/core/settings';
import { hourOf } from '../../rotation/core/time-window';
import { at } from '../support/fixtures';
import { deployment, fallbackOf, foreignStreams, Region, runIn } from '../support/sharing-world';
import { runs } from '../support/property-runs';

const QUOTA = 50;

const world = fc.record({
  n: fc.integer({ min: 1, max: 5 }),
  arrivals: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 5, maxLength: 5 }),
  foreign: fc.integer({ min: 0, max: 25 }),
  latenessMinutes: fc.integer({ min: 0, max: 150 }),
  streamsPerHour: fc.integer({ min: 1, max: 2 }),
  reserveStreams: fc.integer({ min: 0, max: 3 }),
  minutes: fc.array(fc.integer({ min: 0, max: 59 }), { minLength: 5, maxLength: 5 }),
  orders: fc.array(fc.integer({ min: 0, max: 119 }), { minLength: 48, maxLength: 48 }),
  start: fc.integer({ min: 0, max: 23 }),
});

describe('sharing: fair share across deployments (property)', function () {
  this.timeout(300_000);
  it('1–5 deployments, any arrival, order and minute: ≤ quota, never another’s stream, current and next while the needs fit', () => {
    fc.assert(
      fc.property(world, (w) => {
        const tunables = {
          latenessMinutes: w.latenessMinutes,
          streamsPerHour: w.streamsPerHour,
          reserveStreams: w.reserveStreams,
        };
        const ds = Array.from({ length: w.n }, (_, i) => deployment(`team/d${i}`, `ev${i}`, tunables));
        const arrival = ds.map((_, i) => (i === 0 ? 0 : w.arrivals[i]));
        const needs = w.foreign + w.n * (liveWindowStreams(ds[0]) + 1);
        const fits = needs <= QUOTA;
        let region: Region = foreignStreams(w.foreign);
        const t0 = at('2026-11-22T00:00:00Z').plus({ hours: w.start });
        // Who has run since the latest arrival: the round after it is the warm-up.
        let ranSince = new Set<number>();
        for (let h = 0; h < 48; h++) {
          const present = ds.map((_, i) => i).filter((i) => arrival[i] <= h);
          for (const i of present.filter((i) => arrival[i] === h)) {
            if (region.length < QUOTA) region.push(fallbackOf(ds[i]));
            else return; // no room for a fallback: `pulumi up` fails, outside this property
            ranSince = new Set();
          }
          const order = [...present].sort(
            (a, b) => ((a * 7 + w.orders[h]) % 11) - ((b * 7 + w.orders[h]) % 11),
          );
          for (const i of order) {
            const s = ds[i];
            const now = t0.plus({ hours: h, minutes: w.minutes[i] });
            const before = new Map(region.map((e) => [e.name, e]));
            const r = runIn(region, s, now, QUOTA);
            for (const d of r.plan.deletes) {
              expect(before.get(d.name)?.tags?.[OWNER_TAG], `${s.deploymentId} deletes ${d.name}`).to.equal(
                s.deploymentId,
              );
            }
            region = r.region;
            expect(region.length, `${s.deploymentId} at ${now.toISO()}`).to.be.at.most(QUOTA);
            ranSince.add(i);
            const warm = present.every((j) => ranSince.has(j));
            if (!fits || !warm) continue;
            const cur = hourOf(now);
            for (const hour of [cur, cur.plus({ hours: 1 })]) {
              for (const name of streamNamesFor(hour, s)) {
                expect(
                  region.some((e) => e.name === name),
                  `${name} after ${s.deploymentId}'s run at ${now.toISO()} (needs ${needs})`,
                ).to.equal(true);
              }
            }
          }
        }
      }),
      { numRuns: runs(5, 40) },
    );
  });
});

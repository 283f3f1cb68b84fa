// Properties of delivery with several streams per hour, against a Firehose whose siblings may not
// exist yet and that throttles at random: nothing is lost or doubled, nothing is written to a
// closed hour or another hour's stream, and the router's counted form agrees with the per-record one.
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { Delivery } from '../../rotation/aws/delivery';
import { isOpen } from '../../rotation/core/event-hour';
import { parseHourlyName } from '../../rotation/core/names';
import { ChaosFirehose, notFound, Reply, SeenCall, unavailable } from '../support/fake-firehose';
import { countDelivery, deliver } from '../support/delivery';
import { settings } from '../support/fixtures';
import { referenceStreamIndex } from '../support/router-reference';
import { planBatch } from '../support/routing';
import { prng } from '../support/prng';

const START = Date.parse('2026-11-22T05:20:00Z');

function scenario(n: number, packKiB: number, offsets: number[], keys: number[], seed: number) {
  const s = settings({
    latenessMinutes: 10,
    routerConcurrency: 3,
    streamsPerHour: n,
    recordPackingKiB: packKiB,
  });
  const random = prng(seed);
  const start = DateTime.fromMillis(START, { zone: 'utc' });
  let t = start;
  const missing = new Set<string>(); // siblings the rotation has not created yet, decided per name
  const sends: [SeenCall, DateTime][] = [];
  const fake = new ChaosFirehose((call): Reply => {
    sends.push([call, t]);
    t = t.plus({ milliseconds: Math.floor(random() * 90_000) });
    const parsed = parseHourlyName(s.streamPrefix, call.stream);
    if (parsed && parsed.index > 0 && !sends.some(([c]) => c !== call && c.stream === call.stream)) {
      if (random() < 0.4) missing.add(call.stream);
    }
    if (missing.has(call.stream)) return notFound(call.stream);
    const r = random();
    if (r < 0.1) return unavailable();
    const failed: Record<number, string> = {};
    call.records.forEach((_, i) => {
      const e = random();
      if (e < 0.3) failed[i] = 'ServiceUnavailableException';
      else if (e < 0.35) failed[i] = 'InternalFailure';
    });
    return { failed };
  });
  const records = offsets.map((offset, i) => ({
    id: `seq-${String(i).padStart(3, '0')}`,
    data: new TextEncoder().encode(JSON.stringify({ timestamp: START + offset })),
    partitionKey: `key-${keys[i % keys.length]}`,
  }));
  const deps = {
    client: fake.client,
    now: () => t,
    sleep: (ms: number) => {
      t = t.plus({ milliseconds: ms });
      return Promise.resolve();
    },
    deadline: start.plus({ minutes: 10 }),
    armCutoff: () => () => undefined,
    random,
  };
  return { s, fake, sends, records, deps, start };
}

const ARGS = [
  fc.integer({ min: 1, max: 4 }),
  fc.constantFrom(0, 1000),
  fc.array(fc.integer({ min: -2 * 3_600_000, max: 2 * 3_600_000 }), { minLength: 1, maxLength: 40 }),
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 10 }),
  fc.integer(),
] as const;

describe('delivery properties with several streams per hour', () => {
  it('property: every record ends exactly once, on a stream of its own hour while open, or the fallback', async () => {
    await fc.assert(
      fc.asyncProperty(...ARGS, async (n, pack, offsets, keys, seed) => {
        const { s, fake, sends, records, deps, start } = scenario(n, pack, offsets, keys, seed);
        const plan = planBatch(records, start, s);
        const report = await deliver(deps, s, plan);
        const ended = [...report.delivered.map((d) => d.id), ...report.failed.map((f) => f.id)];
        expect(ended.sort()).to.deep.equal(records.map((r) => r.id).sort());
        expect(fake.unexpected).to.deep.equal([]);
        for (const [call, at] of sends) {
          const parsed = parseHourlyName(s.streamPrefix, call.stream);
          if (!parsed) continue;
          expect(parsed.index).to.be.below(n);
          expect(isOpen(parsed.hour, at, s), `${call.stream} written at ${at.toISO()}`).to.equal(true);
        }
        const planned = new Map(plan.outbound.map((o) => [o.id, o.route]));
        for (const d of report.delivered) {
          const route = planned.get(d.id)!;
          if (d.reason !== 'hourly') continue;
          // Delivered to a stream of the hour it was planned for, never another hour's.
          expect(route.kind).to.equal('hourly');
          if (route.kind === 'hourly')
            expect(parseHourlyName(s.streamPrefix, d.stream)?.hour.toMillis()).to.equal(
              route.hour.toMillis(),
            );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: without throttles or missing siblings, each record lands on index hash(key) mod N', async () => {
    await fc.assert(
      fc.asyncProperty(ARGS[0], ARGS[2], ARGS[3], async (n, offsets, keys) => {
        const s = settings({ streamsPerHour: n });
        const start = DateTime.fromMillis(START, { zone: 'utc' });
        const fake = new ChaosFirehose(() => ({}));
        const records = offsets.map((offset, i) => ({
          id: `r${i}`,
          data: new TextEncoder().encode(JSON.stringify({ timestamp: START + Math.min(offset, 0) })),
          partitionKey: `key-${keys[i % keys.length]}`,
        }));
        const report = await deliver(
          {
            client: fake.client,
            now: () => start,
            sleep: () => Promise.resolve(),
            deadline: start.plus({ minutes: 1 }),
            armCutoff: () => () => undefined,
          },
          s,
          planBatch(records, start, s),
        );
        for (const d of report.delivered) {
          const parsed = parseHourlyName(s.streamPrefix, d.stream);
          if (!parsed) continue;
          const key = records[Number(d.id.slice(1))].partitionKey;
          expect(parsed.index).to.equal(referenceStreamIndex(key, n));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('property: the counted form the router uses counts what the per-record report holds, throttles included', async () => {
    await fc.assert(
      fc.asyncProperty(...ARGS, async (n, pack, offsets, keys, seed) => {
        const a = scenario(n, pack, offsets, keys, seed);
        const report = await deliver(a.deps, a.s, planBatch(a.records, a.start, a.s));
        const b = scenario(n, pack, offsets, keys, seed);
        const { counts, failed } = await Delivery.counted(b.deps, b.s, planBatch(b.records, b.start, b.s));
        expect(counts).to.deep.equal(countDelivery(report));
        expect(failed).to.deep.equal(report.failed);
      }),
      { numRuns: 150 },
    );
  });
});

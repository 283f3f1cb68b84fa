// Packed delivery ≡ unpacked delivery: the same records reach the same streams with the same fates,
// and S3 would hold the same bytes (in the same order when nothing fails). Faults are scripted per
// record, so both runs meet "the same" failures: an entry fails while any record in it still has
// failures left; a gone hourly stream answers ResourceNotFoundException to every call.
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { RotationSettings } from '../../rotation/core/settings';
import { deliver, DeliveryReport } from '../support/delivery';
import { ChaosFirehose, notFound, Reply } from '../support/fake-firehose';
import { settings } from '../support/fixtures';
import { planBatch } from '../support/routing';

const START = DateTime.fromISO('2026-11-22T05:20:00Z', { zone: 'utc' });
const PACKED = settings({ routerConcurrency: 2 });
const UNPACKED = settings({ routerConcurrency: 2, recordPackingKiB: 0 });
const SMALL_PACKS = settings({ routerConcurrency: 2, recordPackingKiB: 1 });

interface Spec {
  /** Hours from START's hour: -3 (late), -1 and 0 (open), 50 (early); or null: not JSON. */
  hour: number | null;
  pad: number;
  /** Entry failures this record causes before its entry is accepted. */
  failures: number;
}

const specArb = fc.record({
  hour: fc.constantFrom(-3, -1, 0, 0, 0, 50, null),
  pad: fc.integer({ min: 0, max: 600 }),
  failures: fc.constantFrom(0, 0, 0, 1, 2),
});

function source(specs: Spec[]) {
  return specs.map((sp, i) => {
    const text =
      sp.hour === null
        ? `not json ${i} ${'y'.repeat(sp.pad)}`
        : JSON.stringify({
            id: `r${i}`,
            timestamp: START.plus({ hours: sp.hour }).toISO(),
            pad: 'x'.repeat(sp.pad),
          });
    return { id: `r${i}`, data: new TextEncoder().encode(text) };
  });
}

const idOf = (line: string) =>
  line.startsWith('not json ') ? `r${line.split(' ')[2]}` : (JSON.parse(line) as { id: string }).id;

/** One delivery run; `accepted` is every line Firehose took, per stream, in the order it took them. */
async function run(s: RotationSettings, specs: Spec[], gone: Set<string>) {
  const left = specs.map((sp) => sp.failures);
  const accepted = new Map<string, string[]>();
  let t = START;
  const fake = new ChaosFirehose((call): Reply => {
    if (gone.has(call.stream)) return notFound(call.stream);
    const failed: Record<number, string> = {};
    call.records.forEach((entry, i) => {
      const ids = entry.split('\n').slice(0, -1).map(idOf);
      const fails = ids.some((id) => left[Number(id.slice(1))] > 0);
      for (const id of ids) left[Number(id.slice(1))] = Math.max(0, left[Number(id.slice(1))] - 1);
      if (fails) failed[i] = 'ServiceUnavailableException';
      else
        accepted.set(call.stream, [...(accepted.get(call.stream) ?? []), ...entry.split('\n').slice(0, -1)]);
    });
    return { failed };
  });
  const deps = {
    client: fake.client,
    now: () => t,
    sleep: (ms: number) => {
      t = t.plus({ milliseconds: ms });
      return Promise.resolve();
    },
    deadline: START.plus({ minutes: 5 }),
    // The fake clock enforces the deadline; a real timer would cut off at a real-time instant.
    armCutoff: () => () => undefined,
    random: () => 0.5,
  };
  const report = await deliver(deps, s, planBatch(source(specs), START, s));
  expect(fake.unexpected).to.deep.equal([]);
  return { report, accepted, calls: fake.calls };
}

const fates = (r: DeliveryReport) => r.delivered.map((d) => `${d.id} ${d.stream} ${d.reason}`).sort();
const sortedLines = (m: Map<string, string[]>) =>
  Object.fromEntries(
    [...m].map(([k, v]): [string, string[]] => [k, [...v].sort()]).sort(([a], [b]) => a.localeCompare(b)),
  );

describe('delivery: packed ≡ unpacked', () => {
  it('property: with scripted entry failures and gone streams, the same fates and the same bytes per stream', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(specArb, { maxLength: 60 }), fc.boolean(), async (specs, goneCurrent) => {
        const gone = new Set(goneCurrent ? ['events-2026112205'] : []);
        const unpacked = await run(UNPACKED, specs, gone);
        for (const s of [PACKED, SMALL_PACKS]) {
          const packed = await run(s, specs, gone);
          expect(packed.report.failed).to.deep.equal([]);
          expect(fates(packed.report)).to.deep.equal(fates(unpacked.report));
          expect(sortedLines(packed.accepted)).to.deep.equal(sortedLines(unpacked.accepted));
          // Every record is in S3 exactly once: accepted lines are the delivered records, no more.
          expect([...packed.accepted.values()].flat().map(idOf).sort()).to.deep.equal(
            packed.report.delivered.map((d) => d.id).sort(),
          );
          expect(packed.calls.length).to.be.at.most(unpacked.calls.length);
        }
        expect(unpacked.report.failed).to.deep.equal([]);
      }),
      { numRuns: 60 },
    );
  });

  it('property: without failures, each stream receives the same bytes in the same order, packed or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          specArb.map((sp) => ({ ...sp, failures: 0 })),
          { maxLength: 80 },
        ),
        async (specs) => {
          const unpacked = await run(UNPACKED, specs, new Set());
          for (const s of [PACKED, SMALL_PACKS]) {
            const packed = await run(s, specs, new Set());
            expect(Object.fromEntries(packed.accepted)).to.deep.equal(Object.fromEntries(unpacked.accepted));
          }
          // …and that order is the source order within each stream.
          for (const [, lines] of unpacked.accepted) {
            const order = lines.map((l) => Number(idOf(l).slice(1)));
            expect(order).to.deep.equal([...order].sort((a, b) => a - b));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

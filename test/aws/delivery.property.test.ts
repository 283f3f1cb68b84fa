import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { Delivery } from '../../rotation/aws/delivery';
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS } from '../../rotation/core/chunking';
import { parseStreamName } from '../../rotation/core/names';
import { isOpen } from '../../rotation/core/event-hour';
import { deletableAt } from '../../rotation/core/stream-deletion';
import { ChaosFirehose, notFound, Reply, SeenCall, unavailable } from '../support/fake-firehose';
import { countDelivery, deliver } from '../support/delivery';
import { settings } from '../support/fixtures';
import { planBatch } from '../support/routing';
import { prng } from '../support/prng';

const CODES = ['ServiceUnavailableException', 'InternalFailure', 'ResourceNotFoundException'];

const S = settings({ latenessMinutes: 10, routerConcurrency: 3 });

/** A delivery run against a Firehose that fails at random (seeded) and takes 0-4 minutes per call. */
function scenario(startMs: number, eventOffsets: number[], deadlineAfterMs: number, seed: number) {
  const s = S;
  const random = prng(seed);
  const start = DateTime.fromMillis(startMs, { zone: 'utc' });
  let t = start;
  const sendTimes: [SeenCall, DateTime][] = [];
  const fake = new ChaosFirehose((call): Reply => {
    sendTimes.push([call, t]);
    // A call takes 0-4 minutes of fake time: enough for hours to close between attempts.
    t = t.plus({ milliseconds: Math.floor(random() * 240_000) });
    const r = random();
    if (call.stream !== s.fallbackStreamName && r < 0.1) return notFound(call.stream);
    if (r < 0.15) return unavailable();
    const failed: Record<number, string> = {};
    call.records.forEach((_, i) => {
      if (random() < 0.3) failed[i] = CODES[Math.floor(random() * CODES.length)];
    });
    return { failed };
  });
  const records = eventOffsets.map((offset, i) => ({
    id: `seq-${i}`,
    data: new TextEncoder().encode(JSON.stringify({ timestamp: startMs + offset })),
  }));
  const deps = {
    client: fake.client,
    now: () => t,
    sleep: (ms: number) => {
      t = t.plus({ milliseconds: ms });
      return Promise.resolve();
    },
    deadline: start.plus({ milliseconds: deadlineAfterMs }),
    // The fake clock enforces the deadline; a real timer would cut off at a real-time instant.
    armCutoff: () => () => undefined,
    random,
  };
  return { fake, sendTimes, records, deps, start };
}

/** scenario's inputs: start instant, event offsets from it, deadline after it, PRNG seed. */
const SCENARIO = [
  fc.integer({ min: Date.parse('2026-01-01Z'), max: Date.parse('2027-01-01Z') }),
  fc.array(fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }), { maxLength: 40 }),
  fc.integer({ min: 0, max: 30 * 60_000 }),
  fc.integer(),
] as const;

describe('delivery properties', () => {
  it('property: with random failures and clocks, every record ends exactly once, and hourly sends happen only while open', async () => {
    const s = S;
    await fc.assert(
      fc.asyncProperty(...SCENARIO, async (startMs, eventOffsets, deadlineAfterMs, seed) => {
        const { fake, sendTimes, records, deps, start } = scenario(
          startMs,
          eventOffsets,
          deadlineAfterMs,
          seed,
        );
        const report = await deliver(deps, s, planBatch(records, start, s));

        const ended = [...report.delivered.map((d) => d.id), ...report.failed.map((f) => f.id)];
        expect(ended.sort()).to.deep.equal(records.map((r) => r.id).sort());
        expect(fake.unexpected).to.deep.equal([]);
        expect(fake.maxInFlight).to.be.at.most(s.routerConcurrency);
        for (const [call, at] of sendTimes) {
          expect(call.records.length).to.be.within(1, MAX_BATCH_RECORDS);
          expect(call.bytes).to.be.at.most(MAX_BATCH_BYTES);
          expect(at < deps.deadline, `send at ${at.toISO()} after the deadline`).to.equal(true);
          const hour = parseStreamName(s.streamPrefix, call.stream);
          if (!hour) continue;
          expect(isOpen(hour, at, s), `${call.stream} written at ${at.toISO()}`).to.equal(true);
          expect(at < deletableAt(hour, s)).to.equal(true);
        }
        for (const d of report.delivered) {
          expect(d.stream === s.fallbackStreamName).to.equal(d.reason !== 'hourly');
        }
      }),
    );
  });

  it('property: the counted delivery the router uses counts exactly what the per-record report holds', async () => {
    await fc.assert(
      fc.asyncProperty(...SCENARIO, async (startMs, eventOffsets, deadlineAfterMs, seed) => {
        const a = scenario(startMs, eventOffsets, deadlineAfterMs, seed);
        const report = await deliver(a.deps, S, planBatch(a.records, a.start, S));
        const b = scenario(startMs, eventOffsets, deadlineAfterMs, seed);
        const { counts, failed } = await Delivery.counted(b.deps, S, planBatch(b.records, b.start, S));
        expect(counts).to.deep.equal(countDelivery(report));
        expect(failed).to.deep.equal(report.failed);
      }),
    );
  });
});

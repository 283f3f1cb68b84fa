// The printed cost section: measured counts become the model's inputs as documented, the 128 KiB
// column's CPU is the 2 KB figure scaled per byte, and the goal line says what goal() says.
import { expect } from 'chai';
import { costColumn, goal } from '../../bench/cost-compare';
import type { Measured } from '../../bench/cost-model';
import { costSection, type CostInput } from '../../bench/cost-report';
import type { CallCount, CpuResult, Workload } from '../../bench/router-bench';

const workload = (label: string, bytes: number): Workload => ({
  label,
  bytes,
  records: 1000,
  batchSize: 1000,
});
const SMALL = workload('200 B', 200);
const HUGE = workload('128 KiB', 131_071);
const cpu = { sdk: 3.6, sdkUnpacked: 7.5 } as CpuResult; // the only fields the cost section reads
const calls = (records: number, calls: number, payload: number, billed: number) =>
  ({ records, calls, payloadBytes: payload, billedBytes: billed }) as CallCount;

/** The cost model's inputs the section must build from SMALL's counts, written out by hand. */
const SMALL_MEASURED: Measured = {
  eventBytes: 201,
  firehoseBilledRatio: 204_800 / 201_000,
  callsPerEvent: 0.002,
  cpuMicrosPerEvent: { router: 3.6, onePerEvent: 7.5 },
  // Per 20 records of 201 B: 11 to the current hour's stream, 7 to the previous hour's, 2 to the fallback.
  streamShares: [2211, 1407, 402].map((bytes) => bytes / 4020),
};
const usd = (n: number) => `$${n < 100 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')}`;
/** One Direct PUT scan step per 4,099 B: a few hundred sizes instead of the bench's million. */
const STEP = 4099;

describe('cost report', () => {
  it('measured inputs: billed ratio, calls per event, CPU measured or scaled per byte', () => {
    const small: CostInput = {
      workload: SMALL,
      packed: calls(1000, 2, 201_000, 204_800),
      cpu,
      cpuWorkload: SMALL,
    };
    const huge: CostInput = {
      workload: HUGE,
      packed: calls(200, 8, 200 * 131_072, 200 * 131_072),
      cpu,
      cpuWorkload: SMALL,
    };
    const { text } = costSection([small, huge], STEP);
    // 204,800 / 201,000 billed; 2 calls for 1,000 records; the 128 KiB column's CPU is the 200 B
    // figure × 131,072 / 201 (3.6 → 2,347.56 µs, 7.5 → 4,890.75 µs).
    expect(text.split('\n').filter((l) => /: this pipeline's Firehose billed\//.test(l))).to.deep.equal([
      "200 B: this pipeline's Firehose billed/payload 1.0189, 2.000e-3 PutRecordBatch calls/event, " +
        'router + SDK 3.60 µs/event (one entry per event 7.50; measured)',
      "128 KiB: this pipeline's Firehose billed/payload 1.0000, 4.000e-2 PutRecordBatch calls/event, " +
        'router + SDK 2347.56 µs/event (one entry per event 4890.75; ' +
        'scaled per byte from 200 B (3.60 µs/event), not measured)',
    ]);
  });

  it('prints a row per design, the ratio rows, and the goal verdict goal() gives for the same columns', () => {
    const input: CostInput = {
      workload: SMALL,
      packed: calls(1000, 2, 201_000, 204_800),
      cpu,
      cpuWorkload: SMALL,
    };
    const { text, goal: verdict } = costSection([input], STEP);
    const columns = (['on-demand', 'provisioned'] as const).map((kinesis) => ({
      label: `200 B ${kinesis}`,
      costs: costColumn({ measured: SMALL_MEASURED, kinesis }),
    }));
    const expected = goal(columns);
    expect(verdict).to.deep.equal(expected);
    const rows = text.split('\n').filter((l) => l.startsWith('| '));
    // Each design's totals are those of the hand-written inputs: the section built exactly them.
    for (const [i, cost] of columns[0].costs.entries()) {
      const row = `| ${cost.design.name} | ${usd(cost.pricedTotal)} | ${usd(columns[1].costs[i].pricedTotal)} |`;
      expect(rows).to.include(row);
    }
    expect(
      rows.filter((l) => l.startsWith('| this pipeline ÷ cheapest partitioning on Kinesis')),
    ).to.have.length(4);
    expect(text).to.include(
      `Goal: cheapest of the designs that read a Kinesis stream in every column, producers packed or not: ${expected.met ? 'MET' : 'MISSED'}`,
    );
    expect(text).to.include('| this pipeline · KPL | $');
  });
});

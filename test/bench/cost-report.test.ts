// The printed cost section: measured counts become the model's inputs as documented, the 128 KiB
// column's CPU is the 2 KB figure scaled per byte, and the goal line says what goal() says.
import { expect } from 'chai';
import { costColumn, goal } from '../../bench/cost-compare';
import { costSection, type CostInput, measuredFrom } from '../../bench/cost-report';
import type { CallCount, CpuResult, Workload } from '../../bench/router';

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

describe('cost report', () => {
  it('measured inputs: billed ratio, calls per event, CPU measured or scaled per byte', () => {
    const small: CostInput = {
      workload: SMALL,
      packed: calls(1000, 2, 201_000, 204_800),
      cpu,
      cpuWorkload: SMALL,
    };
    expect(measuredFrom(small)).to.deep.include({
      eventBytes: 201,
      firehoseBilledRatio: 204_800 / 201_000,
      callsPerEvent: 0.002,
      cpuMicrosPerEvent: { router: 3.6, onePerEvent: 7.5 },
      cpuNote: 'measured',
    });
    const huge = measuredFrom({
      workload: HUGE,
      packed: calls(200, 8, 200 * 131_072, 200 * 131_072),
      cpu,
      cpuWorkload: SMALL,
    });
    expect(huge.cpuMicrosPerEvent).to.deep.equal({
      router: (3.6 * 131_072) / 201,
      onePerEvent: (7.5 * 131_072) / 201,
    });
    expect(huge.cpuNote).to.equal('scaled per byte from 200 B (3.60 µs/event), not measured');
  });

  it('prints a row per design, the ratio rows, and the goal verdict goal() gives for the same columns', () => {
    const input: CostInput = {
      workload: SMALL,
      packed: calls(1000, 2, 201_000, 204_800),
      cpu,
      cpuWorkload: SMALL,
    };
    const { text, goal: verdict } = costSection([input], 4099);
    const m = measuredFrom(input);
    const expected = goal(
      (['on-demand', 'provisioned'] as const).map((kinesis) => ({
        label: `200 B ${kinesis}`,
        costs: costColumn({ measured: m, kinesis }),
      })),
    );
    expect(verdict).to.deep.equal(expected);
    const rows = text.split('\n').filter((l) => l.startsWith('| '));
    expect(
      rows.filter((l) => l.startsWith('| this pipeline ÷ cheapest partitioning on Kinesis')),
    ).to.have.length(4);
    expect(text).to.include(
      `Goal: cheapest of the designs that read a Kinesis stream in every column, producers packed or not: ${expected.met ? 'MET' : 'MISSED'}`,
    );
    expect(text).to.include('| this pipeline · KPL | $');
  });
});

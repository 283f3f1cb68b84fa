// The bench's cost section: feeds what the router part measured into the cost model and prints the
// whole-pipeline $/TB table (a row per design, a column per event size and Kinesis mode), this
// pipeline's ratio to the cheapest Firehose partitioning, the goal, and the prices and assumptions.
import { ASSUMPTIONS, type Column, type Cost, MB_PER_VCPU, type Measured } from './cost-model';
import { costColumn, directPutCheaperFrom, goal, type GoalResult, ratios } from './cost-compare';
import { PRICES } from './cost-prices';
import type { CallCount, CpuResult, Workload } from './router-bench';
import { expectedDestinations } from './workload';

export interface CostInput {
  workload: Workload;
  packed: CallCount;
  /** CPU measured on this workload, or on another one and scaled per byte (the 128 KiB column). */
  cpu: CpuResult;
  cpuWorkload: Workload;
}

function measuredFrom(i: CostInput): Measured & { cpuNote: string } {
  // The workload's pattern repeats every 20 records; its byte shares per stream are the model's.
  const shares = [...expectedDestinations(20, i.workload.bytes).values()].map((d) => d.bytes);
  const total = shares.reduce((a, b) => a + b, 0);
  const scale = (i.workload.bytes + 1) / (i.cpuWorkload.bytes + 1);
  return {
    eventBytes: i.workload.bytes + 1,
    firehoseBilledRatio: i.packed.billedBytes / i.packed.payloadBytes,
    callsPerEvent: i.packed.calls / i.packed.records,
    // Through the real SDK client: serialising, signing and parsing each entry is Lambda time too.
    cpuMicrosPerEvent: { router: i.cpu.sdk * scale, onePerEvent: i.cpu.sdkUnpacked * scale },
    streamShares: shares.map((b) => b / total),
    cpuNote:
      i.cpuWorkload === i.workload
        ? 'measured'
        : `scaled per byte from ${i.cpuWorkload.label} (${i.cpu.sdk.toFixed(2)} µs/event), not measured`,
  };
}

const usd = (n: number) => `$${n < 100 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')}`;
const MODES = ['on-demand', 'provisioned'] as const;

/** Lines grouped by service, for the itemised table. */
function byService(c: Cost): string {
  const groups = new Map<string, number>();
  for (const l of c.lines) {
    const service = l.name.split(' ')[0].replace('dynamic', 'partitioning');
    groups.set(service, (groups.get(service) ?? 0) + (l.usd ?? 0));
  }
  return [...groups].map(([s, v]) => `${s} ${usd(v)}`).join(' · ');
}

/** The section's text, and the goal's verdict for the bench's final summary. */
export function costSection(
  inputs: readonly CostInput[],
  /** Bytes between the event sizes the Direct PUT scan tries: 1 in the bench (about 20 s), more in tests. */
  thresholdStep = 1,
): { text: string; goal: GoalResult } {
  const measured = inputs.map(measuredFrom);
  const columns = measured.flatMap((m, i) =>
    MODES.map((kinesis) => {
      const column: Column = { measured: m, kinesis };
      return { label: `${inputs[i].workload.label} ${kinesis}`, column, costs: costColumn(column) };
    }),
  );
  const out: string[] = [
    '## Whole-pipeline cost per TB of events landed in S3 per month (us-east-1 list prices)',
    '',
    ...measured.map(
      (m, i) =>
        `${inputs[i].workload.label}: this pipeline's Firehose billed/payload ${m.firehoseBilledRatio.toFixed(4)}, ` +
        `${m.callsPerEvent.toExponential(3)} PutRecordBatch calls/event, router + SDK ` +
        `${m.cpuMicrosPerEvent.router.toFixed(2)} µs/event (one entry per event ${m.cpuMicrosPerEvent.onePerEvent.toFixed(2)}; ${m.cpuNote})`,
    ),
    '',
    `| design | ${columns.map((c) => c.label).join(' | ')} |`,
    `| --- |${columns.map(() => ' ---: |').join('')}`,
    ...columns[0].costs.map(
      (_, row) =>
        `| ${columns[0].costs[row].design.name} | ${columns.map((c) => usd(c.costs[row].pricedTotal)).join(' | ')} |`,
    ),
  ];
  for (const producer of ['one per record', 'KPL', 'JSON Lines', 'any'] as const) {
    const cells = columns.map(
      (c) =>
        ratios(c.costs)
          .find((r) => r.producer === producer)!
          .ratio.toFixed(2) + '×',
    );
    out.push(
      `| this pipeline ÷ cheapest partitioning on Kinesis (${producer === 'any' ? 'best of each' : producer}) | ${cells.join(' | ')} |`,
    );
  }
  const g = goal(columns);
  out.push(
    '',
    `Goal: cheapest of the designs that read a Kinesis stream in every column, producers packed or not: ${g.met ? 'MET' : 'MISSED'}`,
    ...g.misses.map((m) => `MISSED: ${m}`),
    '',
    ...(['one per record', 'JSON Lines'] as const).flatMap((producer) =>
      MODES.map((mode) => {
        const from = directPutCheaperFrom(
          mode,
          producer,
          measured[0].streamShares,
          ASSUMPTIONS,
          PRICES,
          thresholdStep,
        );
        return (
          `Direct PUT partitioning (${producer}) against this pipeline (${producer}, Kinesis ${mode}): ` +
          (from === null
            ? 'not cheaper at the largest event, so no size above which it is cheaper'
            : `cheaper for every event size from ${from.toLocaleString('en-US')} B up`)
        );
      }),
    ),
    '',
    `Itemised, ${columns[0].label} and ${columns[1].label}:`,
    '',
    '| design | ' + columns[0].label + ' | ' + columns[1].label + ' |',
    '| --- | --- | --- |',
    ...columns[0].costs.map(
      (c, row) => `| ${c.design.name} | ${byService(c)} | ${byService(columns[1].costs[row])} |`,
    ),
    '',
  );
  const a = ASSUMPTIONS;
  out.push(
    `Assumptions: TB = 2^40 bytes of events (newline included), landed in one month of 730 h at a flat rate ` +
      `(provisioned shards = ⌈max(MiB/s, records/s ÷ 1,000)⌉, no headroom; on-demand's per-stream hours are per TB only at 1 TB/month); ` +
      `partition keys of ${a.partitionKeyBytes} B (outside the billed data blob), distinct per event under the KPL (aws-kinesis-agg packing, ≤ 1 MiB), ` +
      `JSON Lines records ≤ 1 MiB (≤ 500 lines and 1,000 KiB when Firehose splits them); Firehose bills a Kinesis record as read, ` +
      `before de-aggregation (not confirmed); on-demand reads billed like writes (rounding not confirmed); router ${a.memoryMiB} MB ` +
      `(bench CPU µs × ${MB_PER_VCPU}/${a.memoryMiB}), router CPU on KPL and JSON Lines input taken as on plain records, ` +
      `${a.callLatencyMs} ms per PutRecordBatch/PutRecord with ${a.concurrency} in flight (assumed); batches ≤ 10,000 records ` +
      `and 6 MB of base64; buffering ${a.bufferingSizeMiB} MiB / ${a.bufferingIntervalSeconds} s per stream; JQ ~0 h modelled as 0 h; ` +
      `S3 storage, KMS requests (Kinesis: "less than a few dollars" a month per stream), CloudWatch and the placer are left out.`,
    'Prices:',
    ...Object.entries(PRICES).map(
      ([k, p]) =>
        `- ${k}: ${p.usd === null ? 'not found' : `$${p.usd.toPrecision(4)}`} per ${p.per} — ${p.source}`,
    ),
  );
  return { text: out.join('\n'), goal: g };
}

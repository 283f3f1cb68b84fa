// The bench's cost section: feeds what the router part measured into the cost model and prints
// one table per event size, with the prices' sources and the model's assumptions.
import { ASSUMPTIONS, costPerTb, Design, Measured, PRICES } from './cost-model';
import type { CallCount, CpuResult, Workload } from './router';
import { expectedDestinations } from './workload';

export interface CostInput {
  label: string;
  workload: Workload;
  cpu: CpuResult;
  packed: CallCount;
  unpacked: CallCount;
}

export function measuredFrom(i: CostInput): Measured {
  // The workload's pattern repeats every 20 records; its byte shares per stream are the model's.
  const shares = [...expectedDestinations(20, i.workload.bytes).values()].map((d) => d.bytes);
  const total = shares.reduce((a, b) => a + b, 0);
  return {
    eventBytes: i.workload.bytes + 1,
    billedRatio: {
      packed: i.packed.billedBytes / i.packed.payloadBytes,
      unpacked: i.unpacked.billedBytes / i.unpacked.payloadBytes,
    },
    callsPerEvent: {
      packed: i.packed.calls / i.packed.records,
      unpacked: i.unpacked.calls / i.unpacked.records,
    },
    // Through the real SDK client: serialising, signing and parsing each entry is Lambda time too.
    cpuMicrosPerEvent: { packed: i.cpu.sdk, unpacked: i.cpu.sdkUnpacked },
    eventsPerInvocation: i.workload.batchSize,
    streamShares: shares.map((b) => b / total),
  };
}

const usd = (n: number) => `$${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')}`;
const qty = (n: number) => Math.round(n).toLocaleString('en-US');

function designRows(d: Design): string[] {
  const rows = d.lines.map(
    (l) =>
      `| ${d.name} | ${l.name} | ${qty(l.quantity)} ${l.unit} | ${l.usd === null ? 'price not found' : usd(l.usd)} |`,
  );
  const open = d.unpriced.map(
    (u) => `${u.name} > $${u.dominatesAbove.toPrecision(2)}/${u.unit.replace(/s$/, '')}`,
  );
  rows.push(
    `| ${d.name} | **priced total** (largest: ${d.dominant}) | | **${usd(d.pricedTotal)}**` +
      `${open.length ? ` + unpriced lines; the largest line if ${open.join(', ')}` : ''} |`,
  );
  return rows;
}

export function costSection(inputs: readonly CostInput[]): string {
  const out: string[] = ['## Cost per TB of events landed in S3 per month (us-east-1 list prices)', ''];
  for (const input of inputs) {
    const m = measuredFrom(input);
    out.push(
      `### ${input.label} events: billed/payload ${m.billedRatio.packed.toFixed(3)} packed, ` +
        `${m.billedRatio.unpacked.toFixed(3)} unpacked; router + SDK ${m.cpuMicrosPerEvent.packed.toFixed(2)} µs/event ` +
        `(packing off ${m.cpuMicrosPerEvent.unpacked.toFixed(2)}) on one bench core`,
      '',
      '| design | line | quantity per TB | USD per TB |',
      '| --- | --- | --- | --- |',
      ...costPerTb(m).flatMap(designRows),
      '',
    );
  }
  const a = ASSUMPTIONS;
  out.push(
    `Assumptions: TB = 2^40 bytes of events (newline included, before compression), 730 h/month; router ` +
      `${a.memoryMiB} MB (${((a.memoryMiB / 1769) * 100).toFixed(0)} % of a vCPU: bench CPU µs × 1769/${a.memoryMiB}); ` +
      `${a.callLatencyMs} ms wait per PutRecordBatch/PutRecord with ${a.concurrency} in flight (assumed, not measured); ` +
      `buffering ${a.bufferingSizeMiB} MiB / ${a.bufferingIntervalSeconds} s per stream; Kinesis and S3 storage are ` +
      `the same in all four and left out.`,
    'Prices:',
    ...Object.entries(PRICES).map(
      ([k, p]) =>
        `- ${k}: ${p.usd === null ? 'not found' : `$${p.usd.toPrecision(4)}`} per ${p.per} — ${p.source}`,
    ),
  );
  return out.join('\n');
}

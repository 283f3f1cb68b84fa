// Whole-pipeline cost per TB of events landed in S3 in a month, for each way to get events from
// producers into S3 by event hour, from us-east-1 list prices (cost-prices.ts), AWS's rounding
// rules (cost-rules.ts) and what the bench measures. Pure: the bench feeds it, unit tests check it.
// A design (cost-designs.ts) is a list of lines; costOf prices one in one column of the table.
import { type Price, type Prices, PRICES } from './cost-prices';
import {
  GB,
  HOURS_PER_MONTH,
  type KinesisRecords,
  type Producer,
  TB,
  onDemandBilledBytes,
  putPayloadUnits,
  recordsPerInvocation,
  shardsNeeded,
} from './cost-rules';

/** Lambda: 1,769 MB of memory is one vCPU (docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). */
export const MB_PER_VCPU = 1769;

/** What the bench measured (or extrapolated) for one event size. */
export interface Measured {
  /** Bytes one event lands as in S3 (newline included). */
  eventBytes: number;
  /** This pipeline (packing on): Firehose billed bytes ÷ payload bytes. */
  firehoseBilledRatio: number;
  /** This pipeline (packing on): PutRecordBatch calls per event. */
  callsPerEvent: number;
  /** Router + SDK CPU µs per event on one bench core: packing on, and one entry per event (the seed). */
  cpuMicrosPerEvent: { router: number; onePerEvent: number; byProducer?: Partial<Record<Producer, number>> };
  /** Share of the bytes per destination stream (sums to 1). */
  streamShares: number[];
}

/** What the model assumes and the bench cannot measure; each printed beside the table. */
export interface Assumptions {
  /** Router memory (components/router.ts default). */
  memoryMiB: number;
  /** Time a Lambda waits on one PutRecordBatch or PutRecord: an assumption, not measured here. */
  callLatencyMs: number;
  /** Calls in flight per invocation (routerConcurrency). */
  concurrency: number;
  bufferingSizeMiB: number;
  bufferingIntervalSeconds: number;
  /** Partition key of every event (a UUID); under the KPL each event's key is distinct. */
  partitionKeyBytes: number;
}

export const ASSUMPTIONS: Assumptions = {
  memoryMiB: 512,
  callLatencyMs: 20,
  concurrency: 4,
  bufferingSizeMiB: 5,
  bufferingIntervalSeconds: 300,
  partitionKeyBytes: 36,
};

export type KinesisMode = 'on-demand' | 'provisioned';
/** One column of the table: an event size and the Kinesis stream's capacity mode. */
export interface Column {
  measured: Measured;
  kinesis: KinesisMode;
}

export interface Line {
  name: string;
  quantity: number;
  unit: string;
  price: Price;
  /** quantity × price; null when the price was not found. */
  usd: number | null;
}

export const line = (name: string, quantity: number, unit: string, price: Price): Line => ({
  name,
  quantity,
  unit,
  price,
  usd: price.usd === null ? null : quantity * price.usd,
});

/** S3 objects Firehose writes per hour: each stream flushes at the size or the interval, whichever first. */
function objectsPerHour(bytesPerHour: number, shares: readonly number[], a: Assumptions): number {
  const bySize = (share: number) => (share * bytesPerHour) / (a.bufferingSizeMiB * 2 ** 20);
  const byInterval = 3600 / a.bufferingIntervalSeconds;
  return shares.reduce((n, share) => n + (share > 0 ? Math.max(Math.ceil(bySize(share)), byInterval) : 0), 0);
}

/** Everything a design's lines may read. */
export interface Context {
  column: Column;
  a: Assumptions;
  p: Prices;
  events: number;
  /** S3 objects a month, the same for every design (each hour's data in the same buffers). */
  objects: number;
}

/** What the comparisons pick designs by. */
type DesignKind = 'this pipeline' | 'seed' | 'partitioning on Kinesis' | 'Direct PUT';

export interface Design {
  name: string;
  kind: DesignKind;
  /** The goal compares designs that read a Kinesis stream; Direct PUT rows are for reference. */
  readsKinesis: boolean;
  producer: Producer;
  lines(ctx: Context): Line[];
}

/** The stream's own charges for the records the producers write. */
export function kinesisLines(ctx: Context, k: KinesisRecords): Line[] {
  const { p } = ctx;
  if (ctx.column.kinesis === 'provisioned') {
    const shardHours = shardsNeeded(k) * HOURS_PER_MONTH;
    return [
      line('Kinesis shard hours', shardHours, 'shard-hours', p.kinesisShardHour),
      line('Kinesis PUT payload units', putPayloadUnits(k), 'units', p.kinesisPutUnit),
    ];
  }
  const billedGb = onDemandBilledBytes(k) / GB;
  return [
    line('Kinesis stream hours', HOURS_PER_MONTH, 'stream-hours', p.kinesisStreamHour),
    line('Kinesis data in', billedGb, 'billed GB', p.kinesisIngestGb),
    line('Kinesis data out', billedGb, 'billed GB', p.kinesisRetrievalGb),
  ];
}

/** A Lambda reading the stream: requests, and CPU plus waiting on calls as GB-seconds. */
export function routerLines(ctx: Context, k: KinesisRecords, cpuMicros: number, calls: number): Line[] {
  const { a, p } = ctx;
  // CPU µs on a full bench core → ms at the function's share of a vCPU.
  const cpuMs = (cpuMicros / 1000) * (MB_PER_VCPU / a.memoryMiB);
  const seconds = (ctx.events * cpuMs + (calls * a.callLatencyMs) / a.concurrency) / 1000;
  return [
    line(
      'router Lambda requests',
      k.records / recordsPerInvocation(k.recordBytes),
      'invocations',
      p.lambdaRequest,
    ),
    line('router Lambda duration', seconds * (a.memoryMiB / 1024), 'GB-s', p.lambdaGbSecond),
  ];
}

export interface Cost {
  design: Design;
  lines: Line[];
  /** Σ of the priced lines. */
  pricedTotal: number;
  /** The largest priced line. */
  dominant: string;
  /** Unpriced lines with the unit price at which each would equal the largest priced line. */
  unpriced: { name: string; quantity: number; unit: string; dominatesAbove: number }[];
}

function contextFor(column: Column, a: Assumptions = ASSUMPTIONS, p: Prices = PRICES): Context {
  const m = column.measured;
  const objects = objectsPerHour(TB / HOURS_PER_MONTH, m.streamShares, a) * HOURS_PER_MONTH;
  return { column, a, p, events: TB / m.eventBytes, objects };
}

/** One design's cost per TB landed in one column. */
export function costOf(
  design: Design,
  column: Column,
  a: Assumptions = ASSUMPTIONS,
  p: Prices = PRICES,
): Cost {
  const lines = design.lines(contextFor(column, a, p));
  const priced = lines.filter((l) => l.usd !== null);
  const top = priced.reduce((x, y) => (y.usd! > x.usd! ? y : x), priced[0]);
  return {
    design,
    lines,
    pricedTotal: priced.reduce((n, l) => n + l.usd!, 0),
    dominant: top.name,
    unpriced: lines
      .filter((l) => l.usd === null)
      .map((l) => ({
        name: l.name,
        quantity: l.quantity,
        unit: l.unit,
        dominatesAbove: top.usd! / l.quantity,
      })),
  };
}

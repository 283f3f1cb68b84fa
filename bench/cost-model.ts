// Monthly cost per TB landed in S3 of four ways to get a Kinesis stream of small JSON events into
// S3 by event hour, from public list prices (us-east-1) and counts the bench measures. Pure: the
// bench feeds it, a unit test checks its arithmetic. A price not found is null, never a guess: its
// line shows the quantity, stays out of the total, and the line is given the price at which it would
// become the largest.

/** A list price: null when no public page with the number was found. */
export interface Price {
  usd: number | null;
  per: string;
  source: string;
}

const READ = 'read 2026-12-01';
/** AWS Solutions' own cost page for us-east-1, the first-party page found with the number. */
const FIREHOSE_INGEST_SOURCE =
  'https://github.com/aws-solutions/centralized-logging-with-opensearch/blob/68da596753055e66388338a9bfdb2dc4b77d79fe/docs/en/implementation-guide/plan-deployment/cost.md ' +
  '(AWS Solutions implementation guide, US East (N. Virginia): "Kinesis Data Firehose Cost = $0.029 per GB x N GB/day x (5KB/0.2 KB)"); ' +
  'the same first tier ($0.029/GB up to 500 TB/month, then $0.025 and $0.020) in the third-party notes ' +
  'https://github.com/i05nagai/memorandum/blob/4dac29a197b431af6134f2d69cf97efe1514358e/cloud/aws/kinesis_firehose.md; the stored copies of ' +
  `https://aws.amazon.com/firehose/pricing/ give the 5 KB (5,120 byte) rounding but not the number (${READ})`;
/**
 * Third party only: no first-party page with these numbers was found in the stored copies. Two
 * independent public GitHub files agree (the code index shows neither's repository): notes for the
 * AWS Pricing Calculator's Firehose estimate, rates read from the AWS Price List API for us-east-2
 * (usage types DPBytesDelivered, S3DeliveryObjectCount, MetadataProcessingDuration; index id
 * 69420468299), and a Terraform file's comment "verified against the AWS docs and pricing on
 * 2026-09-05" (index id 66430027241). us-east-2 lists the same $0.029 ingestion as us-east-1.
 */
const PARTITIONING_SOURCE = `third party, not confirmed on an AWS page: two public GitHub files that agree (AWS Pricing Calculator notes, Price List API rates for us-east-2, code-index id 69420468299; a Terraform comment checked against AWS pricing 2026-09-05, id 66430027241); ${READ}`;

export const PRICES = {
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: 'request',
    source: `https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html ($0.20 per 1M; ${READ})`,
  },
  lambdaGbSecond: {
    usd: 0.00001667,
    per: 'GB-second (x86)',
    source: `https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html and https://aws.amazon.com/lambda/pricing/ (US East (N. Virginia); ${READ})`,
  },
  s3Put: {
    usd: 0.005 / 1000,
    per: 'PUT request, S3 Standard',
    source: `https://c3x.dev/blog/s3-request-fees-explained (third party: the stored https://aws.amazon.com/s3/pricing/ copy does not show the number; ${READ})`,
  },
  firehoseIngestGb: {
    usd: 0.029,
    per: 'GB ingested (billed, 5 KB steps; first 500 TB/month; Direct PUT and Kinesis as source)',
    source: FIREHOSE_INGEST_SOURCE,
  },
  partitioningGb: { usd: 0.02, per: 'GB processed by dynamic partitioning', source: PARTITIONING_SOURCE },
  partitioningObjects: {
    usd: 0.005 / 1000,
    per: 'S3 object delivered by dynamic partitioning ($0.005 per 1,000)',
    source: PARTITIONING_SOURCE,
  },
  partitioningJqHour: { usd: 0.07, per: 'JQ processing hour', source: PARTITIONING_SOURCE },
} satisfies Record<string, Price>;

export type Prices = Record<keyof typeof PRICES, Price>;

/** AWS bills GB as 2^30 bytes; a TB here is 1,024 of them. A month is 730 hours. */
export const GB = 2 ** 30;
export const TB = 1024 * GB;
export const HOURS_PER_MONTH = 730;
/** Lambda: 1,769 MB of memory is one vCPU (docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). */
export const MB_PER_VCPU = 1769;

/** What the bench measured for one event size. */
export interface Measured {
  /** Bytes one event lands as in S3 (newline included). */
  eventBytes: number;
  /** Firehose billed bytes ÷ payload bytes, packed and one event per record. */
  billedRatio: { packed: number; unpacked: number };
  /** PutRecordBatch calls per event. */
  callsPerEvent: { packed: number; unpacked: number };
  /** Router CPU µs per event on one bench core. */
  cpuMicrosPerEvent: { packed: number; unpacked: number };
  /** Events per router invocation (Kinesis batch). */
  eventsPerInvocation: number;
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
}

export const ASSUMPTIONS: Assumptions = {
  memoryMiB: 512,
  callLatencyMs: 20,
  concurrency: 4,
  bufferingSizeMiB: 5,
  bufferingIntervalSeconds: 300,
};

export interface Line {
  name: string;
  quantity: number;
  unit: string;
  price: Price;
  /** quantity × price; null when the price was not found. */
  usd: number | null;
}

export interface Design {
  name: string;
  lines: Line[];
  /** Σ of the priced lines. */
  pricedTotal: number;
  /** The largest priced line. */
  dominant: string;
  /** Unpriced lines with the unit price at which each would equal the largest priced line. */
  unpriced: { name: string; quantity: number; unit: string; dominatesAbove: number }[];
}

const line = (name: string, quantity: number, unit: string, price: Price): Line => ({
  name,
  quantity,
  unit,
  price,
  usd: price.usd === null ? null : quantity * price.usd,
});

/** S3 objects Firehose writes per hour: each stream flushes at the size or the interval, whichever first. */
export function objectsPerHour(bytesPerHour: number, shares: readonly number[], a: Assumptions): number {
  const bySize = (share: number) => (share * bytesPerHour) / (a.bufferingSizeMiB * 2 ** 20);
  const byInterval = 3600 / a.bufferingIntervalSeconds;
  return shares.reduce((n, share) => n + (share > 0 ? Math.max(Math.ceil(bySize(share)), byInterval) : 0), 0);
}

function design(name: string, lines: Line[]): Design {
  const priced = lines.filter((l) => l.usd !== null);
  const top = priced.reduce((a, b) => (b.usd! > a.usd! ? b : a), priced[0]);
  return {
    name,
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

/** The four designs for one event size, per TB landed in S3 in a month. */
export function costPerTb(m: Measured, a: Assumptions = ASSUMPTIONS, p: Prices = PRICES): Design[] {
  const events = TB / m.eventBytes;
  const gbLanded = TB / GB;
  const objects = objectsPerHour(TB / HOURS_PER_MONTH, m.streamShares, a) * HOURS_PER_MONTH;
  const memoryGb = a.memoryMiB / 1024;
  // CPU µs on a full bench core → ms at the function's share of a vCPU.
  const cpuMs = (micros: number) => (micros / 1000) * (MB_PER_VCPU / a.memoryMiB);
  const gbSeconds = (cpuMsPerEvent: number, calls: number) =>
    ((events * cpuMsPerEvent + (calls * a.callLatencyMs) / a.concurrency) / 1000) * memoryGb;
  const invocations = events / m.eventsPerInvocation;
  const s3 = line('S3 PUT (objects Firehose writes)', objects, 'objects', p.s3Put);
  const router = (mode: 'packed' | 'unpacked', calls: number, cpu: number) => [
    line('Firehose ingestion', gbLanded * m.billedRatio[mode], 'billed GB', p.firehoseIngestGb),
    line('router Lambda requests', invocations, 'invocations', p.lambdaRequest),
    line('router Lambda duration', gbSeconds(cpuMs(cpu), calls), 'GB-s', p.lambdaGbSecond),
    s3,
  ];
  const packedCalls = events * m.callsPerEvent.packed;
  const unpackedCalls = events * m.callsPerEvent.unpacked;
  return [
    design('(a) this pipeline, packing on', router('packed', packedCalls, m.cpuMicrosPerEvent.packed)),
    design('(b) this pipeline, packing off', router('unpacked', unpackedCalls, m.cpuMicrosPerEvent.unpacked)),
    // One PutRecord per event: the same routing work, one call (and one wait) per event.
    design('(c) one PutRecord per event', router('unpacked', events, m.cpuMicrosPerEvent.unpacked)),
    design('(d) Firehose dynamic partitioning on the Kinesis stream', [
      // Each Kinesis record is one event, billed in 5 KB steps like an unpacked Firehose record.
      line('Firehose ingestion', gbLanded * m.billedRatio.unpacked, 'billed GB', p.firehoseIngestGb),
      line('dynamic partitioning, data', gbLanded, 'GB', p.partitioningGb),
      line('dynamic partitioning, objects', objects, 'objects', p.partitioningObjects),
      line('dynamic partitioning, JQ', HOURS_PER_MONTH, 'hours', p.partitioningJqHour),
      s3,
    ]),
  ];
}

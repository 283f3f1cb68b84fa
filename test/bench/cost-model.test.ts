// The cost model's arithmetic, with hand-computed figures: 1 TB of 1,024-byte events is 2^30
// events; at 1,769 MiB the function has one vCPU, so bench CPU µs are Lambda µs.
import { expect } from 'chai';
import { Assumptions, costPerTb, Line, Measured, objectsPerHour, PRICES } from '../../bench/cost-model';

const M: Measured = {
  eventBytes: 1024,
  billedRatio: { packed: 1.01, unpacked: 5 },
  callsPerEvent: { packed: 1 / 2 ** 20, unpacked: 1 / 500 },
  cpuMicrosPerEvent: { packed: 1.769, unpacked: 3.538 },
  eventsPerInvocation: 1024,
  streamShares: [0.5, 0.5],
};
const A: Assumptions = {
  memoryMiB: 1769,
  callLatencyMs: 20,
  concurrency: 4,
  bufferingSizeMiB: 5,
  bufferingIntervalSeconds: 300,
};
const byName = (lines: Line[]): Record<string, Line> => Object.fromEntries(lines.map((l) => [l.name, l]));

describe('cost model', () => {
  it('objects per hour: each stream flushes at 5 MiB or every 300 s, whichever comes first', () => {
    // 1 TB/month = 1,506,199,760 B/h; half of it is 143.6 buffers of 5 MiB per stream.
    expect(objectsPerHour(2 ** 40 / 730, [0.5, 0.5], A)).to.equal(288);
    // A trickle still flushes every 300 s: 12 objects per hour per stream with data.
    expect(objectsPerHour(1000, [0.9, 0.1, 0], A)).to.equal(24);
  });

  it('the prices and their sources: Firehose $0.029/GB (first tier), partitioning $0.02/GB, $0.005/1,000 objects, $0.07/JQ h', () => {
    expect(Object.fromEntries(Object.entries(PRICES).map(([k, p]) => [k, p.usd]))).to.deep.equal({
      lambdaRequest: 0.2 / 1e6,
      lambdaGbSecond: 0.00001667,
      s3Put: 0.005 / 1000,
      firehoseIngestGb: 0.029,
      partitioningGb: 0.02,
      partitioningObjects: 0.005 / 1000,
      partitioningJqHour: 0.07,
    });
    expect(PRICES.firehoseIngestGb.source).to.include('aws-solutions/centralized-logging-with-opensearch');
    for (const p of [PRICES.partitioningGb, PRICES.partitioningObjects, PRICES.partitioningJqHour])
      expect(p.source).to.match(/^third party, not confirmed on an AWS page/);
    for (const p of Object.values(PRICES)) expect(p.source).to.include('read 2026-12-01');
  });

  it('per TB, packing on: every line priced; Firehose ingestion is the largest', () => {
    const [a] = costPerTb(M, A);
    const lines = byName(a.lines);
    // 1,024 GB × 1.01 = 1,034.24 billed GB × $0.029 = $29.99296
    expect(lines['Firehose ingestion'].quantity).to.equal(1034.24);
    expect(lines['Firehose ingestion'].usd).to.be.closeTo(29.99296, 1e-9);
    expect(lines['router Lambda requests']).to.deep.include({ quantity: 1_048_576 });
    expect(lines['router Lambda requests'].usd).to.be.closeTo(0.2097152, 1e-12);
    // (2^30 × 1.769 µs + 1,024 calls × 20 ms ÷ 4) × 1.7275 GB = 3,290.2178 GB-s
    expect(lines['router Lambda duration'].quantity).to.be.closeTo(3290.217839936, 1e-6);
    expect(lines['router Lambda duration'].usd).to.be.closeTo(0.054847931, 1e-9);
    expect(lines['S3 PUT (objects Firehose writes)']).to.deep.include({ quantity: 210_240 });
    expect(a.pricedTotal).to.be.closeTo(29.99296 + 0.2097152 + 0.054847931 + 1.0512, 1e-8);
    expect([a.dominant, a.unpriced]).to.deep.equal(['Firehose ingestion', []]);
  });

  it('packing off and one PutRecord per event: 5× the billed GB, and the calls’ waits in the duration', () => {
    const [, b, c] = costPerTb(M, A);
    expect(byName(b.lines)['Firehose ingestion'].quantity).to.equal(5120);
    // 5,120 GB × $0.029 = $148.48
    expect(byName(b.lines)['Firehose ingestion'].usd).to.be.closeTo(148.48, 1e-9);
    expect(byName(b.lines)['router Lambda duration'].quantity).to.be.closeTo(25112.055119872, 1e-6);
    expect(b.dominant).to.equal('Firehose ingestion');
    expect(byName(c.lines)['router Lambda duration'].quantity).to.be.closeTo(9281217.465679873, 1e-3);
    // 9,281,217.47 GB-s × $0.00001667 = $154.72 waiting on calls: more than the $148.48 ingestion.
    expect(c.dominant).to.equal('router Lambda duration');
    expect(c.pricedTotal).to.be.closeTo(148.48 + 0.2097152 + 154.7178951528835 + 1.0512, 1e-6);
  });

  it('dynamic partitioning: unpacked ingestion plus its three charges, each priced', () => {
    const d = costPerTb(M, A)[3];
    expect(d.lines.map((l) => [l.name, l.quantity])).to.deep.equal([
      ['Firehose ingestion', 5120],
      ['dynamic partitioning, data', 1024],
      ['dynamic partitioning, objects', 210_240],
      ['dynamic partitioning, JQ', 730],
      ['S3 PUT (objects Firehose writes)', 210_240],
    ]);
    // $148.48 + 1,024 × $0.02 + 210,240 × $0.000005 + 730 × $0.07 + 210,240 × $0.000005
    const usd = d.lines.map((l) => l.usd!);
    [148.48, 20.48, 1.0512, 51.1, 1.0512].forEach((v, i) => expect(usd[i]).to.be.closeTo(v, 1e-9));
    expect(d.pricedTotal).to.be.closeTo(222.1624, 1e-9);
    expect([d.dominant, d.unpriced]).to.deep.equal(['Firehose ingestion', []]);
  });

  it('a price set to null stays out of the total, and its line gets the price at which it would be the largest', () => {
    const prices = { ...PRICES, firehoseIngestGb: { usd: null, per: 'GB', source: 'test' } };
    const [a] = costPerTb(M, A, prices);
    expect(byName(a.lines)['Firehose ingestion'].usd).to.equal(null);
    expect(a.pricedTotal).to.be.closeTo(0.2097152 + 0.054847931 + 1.0512, 1e-8);
    expect(a.dominant).to.equal('S3 PUT (objects Firehose writes)');
    // Firehose ingestion would be the largest line above $1.0512 ÷ 1,034.24 GB.
    expect(a.unpriced).to.have.length(1);
    expect(a.unpriced[0].dominatesAbove).to.be.closeTo(1.0512 / 1034.24, 1e-12);
  });
});

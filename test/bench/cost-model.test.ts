// The whole-pipeline cost model's lines, with hand-computed figures. At 1,769 MiB the function has
// one vCPU, so bench CPU µs are Lambda µs; a TB of 201-byte events is 2^40/201 events.
import { expect } from 'chai';
import {
  type Assumptions,
  type Column,
  costOf,
  type Design,
  type Line,
  type Measured,
} from '../../bench/cost-model';
import { DESIGNS } from '../../bench/cost-designs';
import { PRICES } from '../../bench/cost-prices';
import { TB } from '../../bench/cost-rules';
import { kplRecordBytes } from '../../bench/kpl-size';

const M: Measured = {
  eventBytes: 201,
  firehoseBilledRatio: 1.01,
  callsPerEvent: 1 / 2 ** 20,
  cpuMicrosPerEvent: { router: 1.769, onePerEvent: 3.538 },
  streamShares: [0.5, 0.5],
};
const A: Assumptions = {
  memoryMiB: 1769,
  callLatencyMs: 20,
  concurrency: 4,
  bufferingSizeMiB: 5,
  bufferingIntervalSeconds: 300,
  partitionKeyBytes: 36,
};
const ON_DEMAND: Column = { measured: M, kinesis: 'on-demand' };
const PROVISIONED: Column = { measured: M, kinesis: 'provisioned' };
const EVENTS = TB / 201;
const OBJECTS = 288 * 730; // 2 streams × ⌈143.6 buffers of 5 MiB an hour⌉
const design = (name: string): Design => DESIGNS.find((d) => d.name === name)!;
const lines = (name: string, column: Column, a: Assumptions = A) =>
  Object.fromEntries(costOf(design(name), column, a).lines.map((l) => [l.name, l])) as Record<string, Line>;
const quantities = (name: string, column: Column) =>
  costOf(design(name), column, A).lines.map((l) => [l.name, l.quantity]);

describe('cost model', () => {
  it('a row per design: this pipeline and the seed, partitioning on Kinesis (JQ 730 h and 0 h), Direct PUT for reference', () => {
    expect(DESIGNS.map((d) => [d.name, d.readsKinesis])).to.deep.equal([
      ['this pipeline · one per record', true],
      ['this pipeline · KPL', true],
      ['this pipeline · JSON Lines', true],
      ['seed: a PutRecord per event · one per record', true],
      ['Firehose partitioning on Kinesis, JQ 730 h · one per record', true],
      ['Firehose partitioning on Kinesis, JQ 730 h · KPL', true],
      ['Firehose partitioning on Kinesis, JQ 730 h · JSON Lines', true],
      ['Firehose partitioning on Kinesis, JQ 0 h · one per record', true],
      ['Firehose partitioning on Kinesis, JQ 0 h · KPL', true],
      ['Firehose partitioning on Kinesis, JQ 0 h · JSON Lines', true],
      ['reference: Direct PUT partitioning, JQ 730 h · one per record', false],
      ['reference: Direct PUT partitioning, JQ 730 h · JSON Lines', false],
      ['reference: Direct PUT partitioning, JQ 0 h · one per record', false],
      ['reference: Direct PUT partitioning, JQ 0 h · JSON Lines', false],
    ]);
  });

  it('kinds: three of this pipeline, one seed, six partitioning on Kinesis, four Direct PUT', () => {
    const count = (kind: string) => DESIGNS.filter((d) => d.kind === kind).length;
    expect(['this pipeline', 'seed', 'partitioning on Kinesis', 'Direct PUT'].map(count)).to.deep.equal([
      3, 1, 6, 4,
    ]);
    expect(DESIGNS.every((d) => d.readsKinesis === (d.kind !== 'Direct PUT'))).to.equal(true);
  });

  it('objects per hour: each stream flushes at 5 MiB or every 300 s, whichever comes first', () => {
    /** S3 objects Firehose writes in an hour, from the month's S3 PUT line (a TB over 730 h). */
    const objectsPerHour = (streamShares: number[], a: Assumptions) =>
      lines('this pipeline · one per record', { measured: { ...M, streamShares }, kinesis: 'on-demand' }, a)[
        'S3 PUT (objects Firehose writes)'
      ].quantity / 730;
    expect(objectsPerHour([0.5, 0.5], A)).to.equal(288);
    // Buffers of 1 TiB: size never binds, so each stream with data flushes 12 times an hour and an
    // empty one writes nothing.
    expect(objectsPerHour([0.9, 0.1, 0], { ...A, bufferingSizeMiB: 2 ** 20 })).to.equal(24);
  });

  it('this pipeline, 200 B one per record, on-demand: $417.34 of Kinesis writes, as issue 26 reckoned', () => {
    const invocations = EVENTS / 8021; // ⌊6,000,000 / (268 + 480)⌋ records per batch
    // (2^40/201 × 1.769 µs + 2^20/201 calls × 20 ms ÷ 4) × 1.7275 GB
    const gbSeconds = ((EVENTS * 1.769) / 1e6 + ((2 ** 20 / 201) * 20) / 4 / 1000) * (1769 / 1024);
    const expected = [
      ['Kinesis stream hours', 730],
      ['Kinesis data in', 1_048_576 / 201],
      ['Kinesis data out', 1_048_576 / 201],
      ['router Lambda requests', invocations],
      ['router Lambda duration', gbSeconds],
      ['Firehose ingestion', 1024 * 1.01],
      ['S3 PUT (objects Firehose writes)', OBJECTS],
    ] as const;
    const actual = quantities('this pipeline · one per record', ON_DEMAND);
    expect(actual.map(([name]) => name)).to.deep.equal(expected.map(([name]) => name));
    expected.forEach(([, q], i) => expect(actual[i][1]).to.be.closeTo(q, q * 1e-12));
    const l = lines('this pipeline · one per record', ON_DEMAND);
    expect(l['Kinesis data in'].usd).to.be.closeTo(417.3437, 1e-4);
    expect(l['Kinesis data out'].usd).to.be.closeTo(208.6718, 1e-4);
    expect(l['Kinesis stream hours'].usd).to.be.closeTo(29.2, 1e-9);
    const cost = costOf(design('this pipeline · one per record'), ON_DEMAND, A);
    expect(cost.pricedTotal).to.equal(cost.lines.reduce((n, x) => n + x.usd!, 0));
    expect(cost.dominant).to.equal('Kinesis data in');
  });

  it('provisioned: 3 shards (2,082 records/s) and one PUT payload unit per 200 B record', () => {
    const l = lines('this pipeline · one per record', PROVISIONED);
    expect([l['Kinesis shard hours'].quantity, l['Kinesis PUT payload units'].quantity]).to.deep.equal([
      2190,
      EVENTS,
    ]);
    expect(l['Kinesis shard hours'].usd).to.be.closeTo(32.85, 1e-9);
    expect(l['Kinesis PUT payload units'].usd).to.be.closeTo(76.5829, 1e-4);
    expect(Object.keys(l)).not.to.include('Kinesis data in');
  });

  it('the seed: every event its own Firehose record (5 KB billed) and its own call', () => {
    const l = lines('seed: a PutRecord per event · one per record', ON_DEMAND);
    expect(l['Firehose ingestion'].quantity).to.be.closeTo((1024 * 5120) / 201, 1e-9);
    expect(l['Firehose ingestion'].usd).to.be.closeTo(756.4354, 1e-4);
    const gbSeconds = ((EVENTS * 3.538) / 1e6 + (EVENTS * 20) / 4 / 1000) * (1769 / 1024);
    expect(l['router Lambda duration'].quantity).to.be.closeTo(gbSeconds, 1e-3);
  });

  it('partitioning on Kinesis with KPL producers: Firehose bills each 4,245-event aggregate in 5 KB steps', () => {
    const aggregate = kplRecordBytes(4245, 200, 36); // 1,048,407 B → 205 steps of 5,120 B
    expect(aggregate).to.equal(1_048_407);
    const records = EVENTS / 4245;
    expect(quantities('Firehose partitioning on Kinesis, JQ 730 h · KPL', ON_DEMAND)).to.deep.equal([
      ['Kinesis stream hours', 730],
      ['Kinesis data in', (records * 1024 * 1024) / 2 ** 30],
      ['Kinesis data out', (records * 1024 * 1024) / 2 ** 30],
      ['Firehose ingestion', (records * 205 * 5120) / 2 ** 30],
      ['dynamic partitioning, data', 1024],
      ['dynamic partitioning, objects', OBJECTS],
      ['dynamic partitioning, JQ', 730],
      ['S3 PUT (objects Firehose writes)', OBJECTS],
    ]);
    const jq = (name: string) => lines(name, ON_DEMAND)['dynamic partitioning, JQ'].usd;
    expect([
      jq('Firehose partitioning on Kinesis, JQ 730 h · KPL'),
      jq('Firehose partitioning on Kinesis, JQ 0 h · KPL'),
    ]).to.deep.equal([730 * 0.07, 0]);
  });

  it('Direct PUT with JSON Lines: 500 lines per Firehose record, no Kinesis lines, the same in both columns', () => {
    const name = 'reference: Direct PUT partitioning, JQ 0 h · JSON Lines';
    // 500 × 201 = 100,500 B → 20 steps = 102,400 B billed per record.
    expect(quantities(name, ON_DEMAND)).to.deep.equal([
      ['Firehose ingestion', (EVENTS / 500) * (102_400 / 2 ** 30)],
      ['dynamic partitioning, data', 1024],
      ['dynamic partitioning, objects', OBJECTS],
      ['dynamic partitioning, JQ', 0],
      ['S3 PUT (objects Firehose writes)', OBJECTS],
    ]);
    expect(costOf(design(name), PROVISIONED, A).pricedTotal).to.equal(
      costOf(design(name), ON_DEMAND, A).pricedTotal,
    );
  });

  it('router CPU measured for one kind of producer applies to that row only', () => {
    const column: Column = {
      measured: { ...M, cpuMicrosPerEvent: { ...M.cpuMicrosPerEvent, byProducer: { KPL: 17.69 } } },
      kinesis: 'on-demand',
    };
    const duration = (name: string, c: Column) =>
      costOf(design(name), c, A).lines.find((l) => l.name === 'router Lambda duration')!.quantity;
    // 10× the CPU per event: the CPU part of the GB-seconds grows by 2^40/201 × 15.921 µs × 1.7275 GB.
    expect(
      duration('this pipeline · KPL', column) - duration('this pipeline · KPL', ON_DEMAND),
    ).to.be.closeTo(((EVENTS * (17.69 - 1.769)) / 1e6) * (1769 / 1024), 1e-6);
    expect(duration('this pipeline · JSON Lines', column)).to.equal(
      duration('this pipeline · JSON Lines', ON_DEMAND),
    );
  });

  it('a price set to null stays out of the total, and its line gets the price at which it would be the largest', () => {
    const prices = { ...PRICES, kinesisIngestGb: { usd: null, per: 'GB', source: 'test' } };
    const cost = costOf(design('this pipeline · one per record'), ON_DEMAND, A, prices);
    const priced = cost.lines.filter((l) => l.usd !== null);
    expect(cost.pricedTotal).to.equal(priced.reduce((n, l) => n + l.usd!, 0));
    expect(cost.dominant).to.equal('Kinesis data out');
    expect(cost.unpriced).to.have.length(1);
    expect(cost.unpriced[0].dominatesAbove).to.be.closeTo(
      ((1_048_576 / 201) * 0.04) / (1_048_576 / 201),
      1e-12,
    );
  });

  it('every price names its source and when it was read; the Kinesis prices say they are third party', () => {
    for (const p of Object.values(PRICES)) expect(p.source).to.match(/(read 2026-12-01|checked 2026-12-07)/);
    for (const k of [
      'kinesisStreamHour',
      'kinesisIngestGb',
      'kinesisRetrievalGb',
      'kinesisShardHour',
      'kinesisPutUnit',
    ] as const) {
      expect(PRICES[k].source).to.match(
        /^third party, not confirmed on an AWS page: infracost golden file for us-east-1/,
      );
    }
    expect([
      PRICES.kinesisIngestGb.usd,
      PRICES.kinesisPutUnit.usd,
      PRICES.kinesisShardHour.usd,
    ]).to.deep.equal([0.08, 0.014 / 1e6, 0.015]);
  });
});

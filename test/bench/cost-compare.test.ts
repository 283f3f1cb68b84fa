// The table's ratios and goal come from the same costOf the rows do: each is recomputed here from
// costOf directly. The goal must be able to fail: a dear router Lambda makes it MISSED.
import { expect } from 'chai';
import { costColumn, directPutCheaperFrom, goal, ratios } from '../../bench/cost-compare';
import { type Column, costOf, type Measured } from '../../bench/cost-model';
import { DESIGNS } from '../../bench/cost-designs';
import { PRICES } from '../../bench/cost-prices';

const M: Measured = {
  eventBytes: 201,
  firehoseBilledRatio: 1.005,
  callsPerEvent: 1 / 2400,
  cpuMicrosPerEvent: { router: 3.6, onePerEvent: 7.5 },
  streamShares: [0.55, 0.35, 0.1],
};
const columns: Column[] = [
  { measured: M, kinesis: 'on-demand' },
  { measured: M, kinesis: 'provisioned' },
  { measured: { ...M, eventBytes: 131_072 }, kinesis: 'on-demand' },
];
const total = (name: string, column: Column) =>
  costOf(
    DESIGNS.find((d) => d.name === name)!,
    column,
  ).pricedTotal;

describe('cost comparison', () => {
  it('this pipeline ÷ the cheapest partitioning on Kinesis, per producer kind: the same figures as costOf', () => {
    for (const column of columns) {
      const r = ratios(costColumn(column));
      for (const producer of ['one per record', 'KPL', 'JSON Lines'] as const) {
        const best = Math.min(
          total(`Firehose partitioning on Kinesis, JQ 730 h · ${producer}`, column),
          total(`Firehose partitioning on Kinesis, JQ 0 h · ${producer}`, column),
        );
        const found = r.find((x) => x.producer === producer)!;
        expect(found.ratio).to.equal(total(`this pipeline · ${producer}`, column) / best);
        expect(found.partitioning.design.name).to.equal(
          `Firehose partitioning on Kinesis, JQ 0 h · ${producer}`,
        );
      }
      const any = r.find((x) => x.producer === 'any')!;
      expect(any.ratio).to.equal(any.pipeline.pricedTotal / any.partitioning.pricedTotal);
      expect(any.ratio).to.equal(
        Math.min(...r.slice(0, 3).map((x) => x.pipeline.pricedTotal)) /
          Math.min(...r.slice(0, 3).map((x) => x.partitioning.pricedTotal)),
      );
    }
  });

  it('goal met with list prices: this pipeline is the cheapest Kinesis reader for every producer kind', () => {
    const g = goal(columns.map((column, i) => ({ label: `c${i}`, costs: costColumn(column) })));
    expect(g).to.deep.equal({ met: true, misses: [] });
  });

  it('goal missed, and each miss named, when the router Lambda costs $1 per GB-second', () => {
    const dear = { ...PRICES, lambdaGbSecond: { usd: 1, per: 'GB-s', source: 'test' } };
    const costs = costColumn(columns[1], undefined, dear);
    const g = goal([{ label: '200 B provisioned', costs }]);
    const byName = (name: string) => costs.find((c) => c.design.name === name)!.pricedTotal.toFixed(2);
    expect(g.met).to.equal(false);
    expect(g.misses).to.deep.equal(
      (['one per record', 'KPL', 'JSON Lines'] as const).map(
        (p) =>
          `200 B provisioned, ${p}: Firehose partitioning on Kinesis, JQ 0 h · ${p} $${byName(`Firehose partitioning on Kinesis, JQ 0 h · ${p}`)} ≤ this pipeline $${byName(`this pipeline · ${p}`)}`,
      ),
    );
  });

  it('Direct PUT: with a provisioned stream it is never cheaper at the largest events; on-demand it is from a size on', () => {
    expect(directPutCheaperFrom('provisioned', 'one per record', M.streamShares)).to.equal(null);
    expect(directPutCheaperFrom('provisioned', 'JSON Lines', M.streamShares)).to.equal(null);
    const step = 997;
    const from = directPutCheaperFrom(
      'on-demand',
      'one per record',
      M.streamShares,
      undefined,
      undefined,
      step,
    )!;
    // At `from` Direct PUT beats the pipeline's lower bound (no router Lambda, Firehose at 1.00×); a step below it does not.
    const compare = (eventBytes: number) => {
      const column: Column = {
        measured: {
          ...M,
          eventBytes,
          firehoseBilledRatio: 1,
          callsPerEvent: 0,
          cpuMicrosPerEvent: { router: 0, onePerEvent: 0 },
        },
        kinesis: 'on-demand',
      };
      const pipeline = costOf(DESIGNS[0], column).lines.filter((l) => !l.name.startsWith('router Lambda'));
      const direct = Math.min(
        total('reference: Direct PUT partitioning, JQ 730 h · one per record', column),
        total('reference: Direct PUT partitioning, JQ 0 h · one per record', column),
      );
      return direct < pipeline.reduce((n, l) => n + l.usd!, 0);
    };
    expect([compare(from), compare(from - step)]).to.deep.equal([true, false]);
    expect(from).to.be.below(2048);
  });
});

// What the cost table is for: this pipeline against Firehose dynamic partitioning reading the same
// Kinesis stream, per column and per kind of producer, and the event size from which writing to
// Firehose directly (no Kinesis stream at all) is cheaper. Pure; every figure comes from costOf.
import { DESIGNS } from './cost-designs';
import { type Prices, PRICES } from './cost-prices';
import {
  type Assumptions,
  ASSUMPTIONS,
  type Column,
  type Cost,
  costOf,
  type Design,
  type KinesisMode,
  type Measured,
} from './cost-model';
import { FIREHOSE_MAX_RECORD, KINESIS_MAX_RECORD, type Producer, PRODUCERS } from './cost-rules';

export const costColumn = (column: Column, a: Assumptions = ASSUMPTIONS, p: Prices = PRICES): Cost[] =>
  DESIGNS.map((d) => costOf(d, column, a, p));

const isPipeline = (d: Design) => d.kind === 'this pipeline';
const cheapest = (costs: readonly Cost[]) => costs.reduce((x, y) => (y.pricedTotal < x.pricedTotal ? y : x));

export interface Ratio {
  producer: Producer | 'any';
  pipeline: Cost;
  partitioning: Cost;
  /** this pipeline ÷ the cheapest Firehose partitioning configuration on the same stream. */
  ratio: number;
}

/** Per producer kind, and best against best ('any'): this pipeline ÷ cheapest partitioning on Kinesis. */
export function ratios(costs: readonly Cost[]): Ratio[] {
  return [...PRODUCERS, 'any' as const].map((producer) => {
    const mine = (d: Design) => producer === 'any' || d.producer === producer;
    const pipeline = cheapest(costs.filter((c) => isPipeline(c.design) && mine(c.design)));
    const partitioning = cheapest(
      costs.filter((c) => c.design.kind === 'partitioning on Kinesis' && mine(c.design)),
    );
    return { producer, pipeline, partitioning, ratio: pipeline.pricedTotal / partitioning.pricedTotal };
  });
}

export interface GoalResult {
  met: boolean;
  /** Each column and producer kind where another Kinesis-reading design costs no more. */
  misses: string[];
}

/**
 * Goal: this pipeline is the cheapest of the designs that read a Kinesis stream, in every column,
 * whatever the producers do (one event per record, KPL or JSON Lines): compared with every other
 * Kinesis-reading design fed by the same producers.
 */
export function goal(columns: readonly { label: string; costs: readonly Cost[] }[]): GoalResult {
  const misses: string[] = [];
  for (const { label, costs } of columns) {
    for (const producer of PRODUCERS) {
      const mine = costs.find((c) => isPipeline(c.design) && c.design.producer === producer)!;
      const rivals = costs.filter(
        (c) => c.design.readsKinesis && c !== mine && c.design.producer === producer,
      );
      const best = cheapest(rivals);
      if (best.pricedTotal <= mine.pricedTotal) {
        misses.push(
          `${label}, ${producer}: ${best.design.name} $${best.pricedTotal.toFixed(2)} ≤ this pipeline $${mine.pricedTotal.toFixed(2)}`,
        );
      }
    }
  }
  return { met: misses.length === 0, misses };
}

/**
 * The smallest event size (landed bytes) from which Direct PUT partitioning (its cheaper JQ
 * setting) costs less than this pipeline at every size up to the largest record, or null if it
 * never does over a whole range up to there. The pipeline is taken at a lower bound, its router
 * Lambda left out and Firehose billed at exactly the payload, so the answer holds for any router.
 */
export function directPutCheaperFrom(
  kinesis: KinesisMode,
  producer: 'one per record' | 'JSON Lines',
  shares: readonly number[],
  a: Assumptions = ASSUMPTIONS,
  p: Prices = PRICES,
  step = 1,
): number | null {
  const pipeline = DESIGNS.find((d) => isPipeline(d) && d.producer === producer)!;
  const direct = DESIGNS.filter((d) => d.kind === 'Direct PUT' && d.producer === producer);
  const largest = Math.min(FIREHOSE_MAX_RECORD, KINESIS_MAX_RECORD - a.partitionKeyBytes);
  let from: number | null = null;
  for (let e = largest - ((largest - 2) % step); e >= 2; e -= step) {
    const m: Measured = {
      eventBytes: e,
      firehoseBilledRatio: 1,
      callsPerEvent: 0,
      cpuMicrosPerEvent: { router: 0, onePerEvent: 0 },
      streamShares: [...shares],
    };
    const column = { measured: m, kinesis };
    const lowerBound = costOf(pipeline, column, a, p)
      .lines.filter((l) => !l.name.startsWith('router Lambda'))
      .reduce((n, l) => n + (l.usd ?? 0), 0);
    const directBest = Math.min(...direct.map((d) => costOf(d, column, a, p).pricedTotal));
    if (directBest >= lowerBound) break;
    from = e;
  }
  return from;
}

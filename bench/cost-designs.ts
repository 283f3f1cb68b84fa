// The designs the cost table compares, each a list of priced lines (cost-model.ts prices them):
// this pipeline and the seed design reading the Kinesis stream with a Lambda, Firehose dynamic
// partitioning reading the same stream, and Direct PUT partitioning with no stream, for reference.
// A new charge of this pipeline (the placer's, say) is one more line in thisPipeline.
import { type Context, type Design, kinesisLines, line, routerLines } from './cost-model';
import {
  FIREHOSE_DEAGGREGATION_MAX,
  FIREHOSE_MAX_RECORD,
  GB,
  HOURS_PER_MONTH,
  NO_LIMITS,
  type PackingLimits,
  type Producer,
  PRODUCERS,
  TB,
  firehoseBilledBytes,
  kinesisRecords,
} from './cost-rules';

const firehoseLine = (ctx: Context, billedBytes: number) =>
  line('Firehose ingestion', billedBytes / GB, 'billed GB', ctx.p.firehoseIngestGb);
const s3Line = (ctx: Context) =>
  line('S3 PUT (objects Firehose writes)', ctx.objects, 'objects', ctx.p.s3Put);
const partitioningLines = (ctx: Context, jqHours: number) => [
  line('dynamic partitioning, data', TB / GB, 'GB', ctx.p.partitioningGb),
  line('dynamic partitioning, objects', ctx.objects, 'objects', ctx.p.partitioningObjects),
  line('dynamic partitioning, JQ', jqHours, 'hours', ctx.p.partitioningJqHour),
];

const records = (ctx: Context, producer: Producer, limits: PackingLimits = NO_LIMITS) =>
  kinesisRecords(producer, ctx.column.measured.eventBytes, ctx.a.partitionKeyBytes, limits);
/** Firehose splits JSON at most 500 events per record, and takes records of at most 1,000 KiB. */
const firehoseLimits = (producer: Producer): PackingLimits =>
  producer === 'JSON Lines'
    ? { maxEventsPerRecord: FIREHOSE_DEAGGREGATION_MAX, maxRecordBytes: FIREHOSE_MAX_RECORD }
    : NO_LIMITS;

function thisPipeline(producer: Producer): Design {
  return {
    name: `this pipeline · ${producer}`,
    kind: 'this pipeline',
    readsKinesis: true,
    producer,
    lines(ctx) {
      const m = ctx.column.measured;
      const k = records(ctx, producer);
      const cpu = m.cpuMicrosPerEvent.byProducer?.[producer] ?? m.cpuMicrosPerEvent.router;
      return [
        ...kinesisLines(ctx, k),
        ...routerLines(ctx, k, cpu, ctx.events * m.callsPerEvent),
        firehoseLine(ctx, TB * m.firehoseBilledRatio),
        s3Line(ctx),
      ];
    },
  };
}

/** The seed design: the same routing, one PutRecord (one Firehose record) per event. */
const SEED: Design = {
  name: 'seed: a PutRecord per event · one per record',
  kind: 'seed',
  readsKinesis: true,
  producer: 'one per record',
  lines(ctx) {
    const m = ctx.column.measured;
    const k = records(ctx, 'one per record');
    return [
      ...kinesisLines(ctx, k),
      ...routerLines(ctx, k, m.cpuMicrosPerEvent.onePerEvent, ctx.events),
      firehoseLine(ctx, firehoseBilledBytes(ctx.events, m.eventBytes)),
      s3Line(ctx),
    ];
  },
};

/** Firehose reading the stream itself (it de-aggregates KPL, and splits JSON Lines when asked). */
function partitioningOnKinesis(producer: Producer, jqHours: number): Design {
  return {
    name: `Firehose partitioning on Kinesis, JQ ${jqHours} h · ${producer}`,
    kind: 'partitioning on Kinesis',
    readsKinesis: true,
    producer,
    lines(ctx) {
      const k = records(ctx, producer, firehoseLimits(producer));
      // Billed per Kinesis record as read, before de-aggregation: an assumption (see docs/cost.md).
      const billed = firehoseBilledBytes(k.records, k.recordBytes);
      return [
        ...kinesisLines(ctx, k),
        firehoseLine(ctx, billed),
        ...partitioningLines(ctx, jqHours),
        s3Line(ctx),
      ];
    },
  };
}

/** Producers writing to Firehose directly: no Kinesis stream, so no replay and no other consumers. */
function directPut(producer: 'one per record' | 'JSON Lines', jqHours: number): Design {
  return {
    name: `reference: Direct PUT partitioning, JQ ${jqHours} h · ${producer}`,
    kind: 'Direct PUT',
    readsKinesis: false,
    producer,
    lines(ctx) {
      const e = ctx.column.measured.eventBytes;
      const n =
        producer === 'JSON Lines'
          ? Math.min(FIREHOSE_DEAGGREGATION_MAX, Math.floor(FIREHOSE_MAX_RECORD / e))
          : 1;
      const billed = firehoseBilledBytes(ctx.events / n, n * e);
      return [firehoseLine(ctx, billed), ...partitioningLines(ctx, jqHours), s3Line(ctx)];
    },
  };
}

/** Where "JQ ~0 h" is modelled as 0 h: MetadataProcessingDuration counts milliseconds of processing. */
const JQ_HOURS = [HOURS_PER_MONTH, 0] as const;

export const DESIGNS: readonly Design[] = [
  ...PRODUCERS.map(thisPipeline),
  SEED,
  ...JQ_HOURS.flatMap((h) => PRODUCERS.map((producer) => partitioningOnKinesis(producer, h))),
  ...JQ_HOURS.flatMap((h) =>
    (['one per record', 'JSON Lines'] as const).map((producer) => directPut(producer, h)),
  ),
];

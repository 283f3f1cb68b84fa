// Router cost with no network: routeBatch (decode, event time, route decision, newline, grouping,
// chunking, delivery bookkeeping) against a Firehose fake that answers every PutRecordBatch at once.
// CPU time is process.cpuUsage (user + system, GC threads included) around whole 100k-record passes;
// router and floor passes alternate, so drift in machine load hits both alike.
import type { KinesisStreamEvent } from 'aws-lambda';
import type { RouterDeps } from '../rotation/handlers/route-batch';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RotationSettings } from '../rotation/core/settings';
import {
  BENCH_SETTINGS,
  byteFloorCalls,
  expectedDestinations,
  floorPass,
  minimumCalls,
  UNPACKED_SETTINGS,
} from './workload';
import { median } from './report';
import { InstantFirehose, RouterImpl, routerDeps, sourceRouter } from './router-under-test';
import { inProcessFirehose } from './sdk-firehose';
import { buildEvents, Framing, FRAMINGS, packEvent, Workload } from './workload-events';

export { FRAMINGS, type Workload };

/** Runs every event through the router once; throws if any record failed. */
async function routePass(
  events: readonly KinesisStreamEvent[],
  client: RouterDeps['client'],
  router: RouterImpl = sourceRouter(),
  settings: RotationSettings = BENCH_SETTINGS,
): Promise<void> {
  const deps = routerDeps(client, router.now);
  for (const event of events) {
    const { response } = await router.routeBatch(event, deps, settings);
    if (response.batchItemFailures.length) {
      throw new Error(
        `${response.batchItemFailures.length} records failed in the bench; the fake never fails`,
      );
    }
  }
}

export interface CallCount {
  label: string;
  records: number;
  calls: number;
  /** Σ max(⌈records/500⌉, ⌈bytes/4 MiB⌉): the floor one event per Firehose record. */
  minimum: number;
  /** Σ ⌈bytes/4 MiB⌉ per destination: the floor once events are packed. */
  byteFloor: number;
  /** Bytes sent (S3 gets exactly these) and Firehose's billed bytes for them. */
  payloadBytes: number;
  billedBytes: number;
  /** Firehose records (entries) sent. */
  entries: number;
  /** Calls a one-PutRecord-per-record router would make. */
  perRecordCalls: number;
  oversizedCalls: number;
}

/** PutRecordBatch calls for `records` records of `bytes` bytes, in batches of `batchSize`. */
export async function countCalls(
  w: Workload,
  router: RouterImpl = sourceRouter(),
  settings: RotationSettings = BENCH_SETTINGS,
): Promise<CallCount> {
  const client = new InstantFirehose();
  await routePass(buildEvents(w), client, router, settings);
  // Per invocation: each batch is grouped and chunked on its own, so the minimum is per batch too.
  let minimum = 0;
  let byteFloor = 0;
  for (let first = 0; first < w.records; first += w.batchSize) {
    const count = Math.min(w.batchSize, w.records - first);
    minimum += minimumCalls(destinationsOf(first, count, w.bytes).values());
    byteFloor += byteFloorCalls(destinationsOf(first, count, w.bytes).values());
  }
  const streams = [...client.perStream.values()];
  return {
    label: w.label,
    records: w.records,
    calls: client.calls,
    minimum,
    byteFloor,
    payloadBytes: streams.reduce((n, s) => n + s.bytes, 0),
    billedBytes: client.billed,
    entries: streams.reduce((n, s) => n + s.records, 0),
    perRecordCalls: w.records,
    oversizedCalls: client.oversized.length,
  };
}

// The pattern repeats every 20 records and batch starts are multiples of 20 in every workload
// here, so a batch's destinations equal those of records 0..count-1.
function destinationsOf(first: number, count: number, bytes: number) {
  if (first % 20) throw new Error('bench batch sizes must be multiples of 20');
  return expectedDestinations(count, bytes);
}

export interface CpuResult {
  label: string;
  records: number;
  routerMicros: number[];
  floorMicros: number[];
  /** The same router with packing off, timed in the same alternation. */
  unpackedMicros: number[];
  /** Packing on and off through the real SDK client (sdk-firehose): what a Lambda pays per entry. */
  sdkMicros: number[];
  sdkUnpackedMicros: number[];
  /** Median CPU microseconds per record. */
  router: number;
  unpacked: number;
  sdk: number;
  sdkUnpacked: number;
  floor: number;
}

let gc: (() => void) | undefined;

/**
 * A full collection before each timed pass, so neither pass pays for the other's garbage (a major
 * GC landing in one pass moved single ratios by ±30 % here). gc() is not exposed without a flag;
 * the V8 flag set at run time takes effect for contexts made afterwards. Set on first use only, so
 * importing this module (the bench smoke test does) changes no V8 flag.
 */
function collect(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Median CPU µs per record of the router (packing on and off) and of the floor, over alternating passes. */
export async function measureCpu(
  w: Workload,
  reps: number,
  router: RouterImpl = sourceRouter(),
  // V8 keeps optimising the router over its first passes (measured: 3.2 → 2.3 µs/record by pass 9).
  warmups = 4,
): Promise<CpuResult> {
  // Two distinct events, so the heap holds about what a Lambda holds: one batch (plus the next).
  const events = buildEvents(w, 2);
  const routerMicros: number[] = [];
  const floorMicros: number[] = [];
  const unpackedMicros: number[] = [];
  const sdkMicros: number[] = [];
  const sdkUnpackedMicros: number[] = [];
  const sdkClient = inProcessFirehose();
  let sink = 0;
  for (let rep = -warmups; rep < reps; rep++) {
    collect();
    let start = cpuMicros();
    sink += floorPass(events);
    const floor = (cpuMicros() - start) / w.records;
    collect();
    start = cpuMicros();
    await routePass(events, new InstantFirehose(), router);
    const routed = (cpuMicros() - start) / w.records;
    collect();
    start = cpuMicros();
    await routePass(events, new InstantFirehose(), router, UNPACKED_SETTINGS);
    const unpacked = (cpuMicros() - start) / w.records;
    collect();
    start = cpuMicros();
    await routePass(events, sdkClient, router);
    const sdk = (cpuMicros() - start) / w.records;
    collect();
    start = cpuMicros();
    await routePass(events, sdkClient, router, UNPACKED_SETTINGS);
    const sdkUnpacked = (cpuMicros() - start) / w.records;
    if (rep >= 0) {
      floorMicros.push(floor);
      routerMicros.push(routed);
      unpackedMicros.push(unpacked);
      sdkMicros.push(sdk);
      sdkUnpackedMicros.push(sdkUnpacked);
    }
  }
  if (sink === 0) throw new Error('floor pass saw no records');
  return {
    label: w.label,
    records: w.records,
    routerMicros,
    floorMicros,
    unpackedMicros,
    sdkMicros,
    sdkUnpackedMicros,
    router: median(routerMicros),
    unpacked: median(unpackedMicros),
    sdk: median(sdkMicros),
    sdkUnpacked: median(sdkUnpackedMicros),
    floor: median(floorMicros),
  };
}

interface PackedCpuResult {
  label: string;
  /** Events routed per pass. */
  records: number;
  /** Kinesis records per framing for the whole workload. */
  kinesisRecords: Record<Framing, number>;
  /** Median router CPU µs per event, and every pass. */
  micros: Record<Framing, number>;
  passes: Record<Framing, number[]>;
}

/**
 * Router CPU per event (packing on, the fake Firehose answering at once) for the same events sent
 * one per Kinesis record, as JSON Lines records and as KPL aggregates; passes alternate so machine
 * load hits all three alike.
 */
export async function measurePackedCpu(
  w: Workload,
  reps: number,
  router: RouterImpl = sourceRouter(),
  warmups = 4,
): Promise<PackedCpuResult> {
  const plain = buildEvents(w, 2);
  const events = Object.fromEntries(FRAMINGS.map((f) => [f, plain.map((e) => packEvent(e, f))])) as Record<
    Framing,
    KinesisStreamEvent[]
  >;
  // buildEvents repeats its distinct batches, so the passes route a few more events than w.records.
  const eventCount = plain.reduce((n, e) => n + e.Records.length, 0);
  const passes = { plain: [], jsonl: [], kpl: [] } as Record<Framing, number[]>;
  for (let rep = -warmups; rep < reps; rep++) {
    for (const f of FRAMINGS) {
      collect();
      const start = cpuMicros();
      await routePass(events[f], new InstantFirehose(), router);
      const micros = (cpuMicros() - start) / eventCount;
      if (rep >= 0) passes[f].push(micros);
    }
  }
  const kinesisRecords = Object.fromEntries(
    FRAMINGS.map((f) => [f, events[f].reduce((n, e) => n + e.Records.length, 0)]),
  ) as Record<Framing, number>;
  const micros = Object.fromEntries(FRAMINGS.map((f) => [f, median(passes[f])])) as Record<Framing, number>;
  return { label: w.label, records: eventCount, kinesisRecords, micros, passes };
}

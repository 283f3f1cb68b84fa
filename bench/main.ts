// `npm run bench`: what the router, the rotation and the Lambda packages cost, each as a ratio
// against a floor measured in the same run on the same machine (absolute times vary between
// machines; ratios travel). Options: --quick (fewer records and repetitions), --skip=rotation,lambda.
// Exits 0 even when a goal is missed: a bench reports, tests assert.
import { startMoto } from '../test/support/moto';
import { bundleAll, initTimes, routerMemory, sizeOf } from './lambda';
import { kib, missed, progress, Row, table } from './report';
import { countCalls, measureCpu, Workload } from './router';
import { measureRotation, SCENARIOS, wallFloorSeconds } from './rotation';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const skip = new Set(args.filter((a) => a.startsWith('--skip=')).flatMap((a) => a.slice(7).split(',')));
const REPS = quick ? 3 : 5;
const RECORDS = quick ? 20_000 : 100_000;

// Batch sizes keep each Kinesis event, record metadata included, under Lambda's 6 MB payload limit
// (base64 grows data by 4/3 and each record carries ~480 B of metadata): 5.6 MB and 5.7 MB.
const SMALL: Workload = { label: '200 B', bytes: 200, records: RECORDS, batchSize: 7_500 };
const LARGE: Workload = { label: '2 KB', bytes: 2048, records: RECORDS, batchSize: 1_800 };
// One oversized batch (as routeBatch takes in the local demo) where the 4 MiB limit binds:
// 131,071 B + newline = 1/32 of 4 MiB, so full chunks are exactly 32 records.
const HUGE: Workload = { label: '128 KiB', bytes: 131_071, records: 200, batchSize: 200 };

const rows: Row[] = [];
const fmt = (n: number, d = 2) => n.toFixed(d);

async function routerSection() {
  console.log('## Router (fake Firehose answering at once; CPU = process.cpuUsage user+system)');
  for (const w of [SMALL, LARGE]) {
    progress(`router CPU, ${w.records} records of ${w.label}, ${REPS} repetitions`);
    const r = await measureCpu(w, REPS);
    console.log(
      `${w.label}: router ${fmt(r.router)} µs/record (passes: ${r.routerMicros.map((m) => fmt(m)).join(', ')}); ` +
        `floor (base64 decode + JSON.parse) ${fmt(r.floor)} µs/record (${r.floorMicros.map((m) => fmt(m)).join(', ')})`,
    );
    rows.push({
      metric: `router CPU/record, ${w.label}`,
      measured: r.router,
      floor: r.floor,
      unit: 'µs',
      digits: 2,
      goal: { kind: 'max', ratio: 1.25 },
    });
  }
  for (const w of [SMALL, LARGE, HUGE]) {
    const c = await countCalls(w);
    console.log(
      `${w.label}: ${c.records} records in batches of ${w.batchSize} → ${c.calls} PutRecordBatch calls; ` +
        `minimum Σ max(⌈n/500⌉, ⌈bytes/4 MiB⌉) = ${c.minimum}; one PutRecord per record = ${c.perRecordCalls}; ` +
        `calls over AWS limits: ${c.oversizedCalls}`,
    );
    rows.push({
      metric: `PutRecordBatch calls, ${w.label}`,
      measured: c.calls,
      floor: c.minimum,
      unit: '',
      goal: { kind: 'exact', ratio: 1 },
    });
    if (w === SMALL) {
      rows.push({
        metric: 'calls vs one PutRecord per record',
        measured: c.calls,
        floor: c.perRecordCalls,
        unit: '',
        goal: { kind: 'none' },
      });
    }
  }
}

async function rotationSection() {
  console.log(
    '\n## Rotation (moto behind a proxy that throttles > 5 calls started in any 1 s; real pacer at 5/s)',
  );
  const moto = await startMoto();
  try {
    for (const scenario of SCENARIOS) {
      progress(`rotation: ${scenario.label}`);
      const r = await measureRotation(moto, scenario);
      console.log(
        `${r.label}: ${fmt(r.wallSeconds)} s, ${r.calls} calls (${Object.entries(r.byOperation)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}); ` +
          `floor ${r.floorCalls} = ${r.listPages} list + ${r.created} creates + ${r.deleted} deletes; ` +
          `throttled ${r.throttled}, most calls in a 1 s window ${r.maxInWindow}; errors: ${r.errors.length ? r.errors.join('; ') : 'none'}`,
      );
      const short = r.label.split(':')[0];
      rows.push({
        metric: `rotation wall, ${short}`,
        measured: r.wallSeconds,
        floor: wallFloorSeconds(r),
        unit: 's',
        digits: 2,
        goal: { kind: 'max', ratio: 1.15 },
      });
      rows.push({
        metric: `control-plane calls, ${short}`,
        measured: r.calls,
        floor: r.floorCalls,
        unit: '',
        goal: { kind: 'max', ratio: 1.1 },
      });
      rows.push({
        metric: `throttled calls + errors, ${short}`,
        measured: r.throttled + r.errors.length,
        floor: 0,
        unit: '',
        goal: { kind: 'zero' },
      });
    }
  } finally {
    await moto.stop();
  }
}

async function lambdaSection() {
  console.log(
    '\n## Lambda bundles (esbuild bundle+minify, node22, cjs) against a bundle of only FirehoseClient',
  );
  progress('bundling');
  const b = await bundleAll();
  try {
    const bare = sizeOf(b.bare);
    for (const [name, file] of [
      ['rotation', b.rotation],
      ['router', b.router],
    ] as const) {
      console.log(`${name}: ${sizeOf(file)} bytes; bare FirehoseClient bundle: ${bare} bytes`);
      rows.push({
        metric: `bundle size, ${name}`,
        measured: kib(sizeOf(file)),
        floor: kib(bare),
        unit: 'KiB',
        digits: 1,
        goal: { kind: 'none' },
      });
    }
    const reps = quick ? 3 : 7;
    progress(`module init time, ${reps} fresh processes per bundle`);
    const [rotation, router, bareMs] = await initTimes([b.rotation, b.router, b.bare], reps);
    console.log(
      `init (median of ${reps}): rotation ${fmt(rotation)} ms, router ${fmt(router)} ms, bare client ${fmt(bareMs)} ms`,
    );
    rows.push({
      metric: 'module init, rotation',
      measured: rotation,
      floor: bareMs,
      unit: 'ms',
      digits: 1,
      goal: { kind: 'none' },
    });
    rows.push({
      metric: 'module init, router',
      measured: router,
      floor: bareMs,
      unit: 'ms',
      digits: 1,
      goal: { kind: 'none' },
    });
    progress('router peak RSS on a 10k-record batch');
    const m = await routerMemory(b, 10_000, 200, 3);
    console.log(
      `router on ${m.records} records of 200 B (event ${fmt(m.eventBytes / 1e6)} MB): peak RSS ${fmt(m.handledKiB / 1024, 1)} MiB; ` +
        `bundle loaded only: ${fmt(m.loadedKiB / 1024, 1)} MiB; calls per stream ${JSON.stringify(m.callsPerStream)}`,
    );
    rows.push({
      metric: 'router peak RSS, 10k × 200 B',
      measured: m.handledKiB / 1024,
      floor: m.loadedKiB / 1024,
      unit: 'MiB',
      digits: 1,
      goal: { kind: 'none' },
    });
  } finally {
    b.cleanup();
  }
}

async function main() {
  console.log(
    `# firehose-rotation bench — Node ${process.version}, ${new Date().toISOString()}${quick ? ' (quick)' : ''}\n`,
  );
  if (!skip.has('router')) await routerSection();
  if (!skip.has('rotation')) await rotationSection();
  if (!skip.has('lambda')) await lambdaSection();
  console.log(`\n## Results\n\n${table(rows)}\n`);
  const misses = missed(rows);
  for (const row of misses) console.log(`MISSED: ${row.metric}`);
  console.log(misses.length ? `${misses.length} goal(s) MISSED` : 'all goals met');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1; // the bench itself broke (not a missed goal)
});

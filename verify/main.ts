// `npm run verify`: the reliability proof with figures. Starts its own moto_server, runs the
// rotation simulation (part 1), the router chaos (part 2), several deployments sharing one quota
// (part 3) and the settings-change lifecycle (part 4; the settings fuzz runs in npm test), prints
// the tables and exits 1 when any invariant was violated or any record lost.
// Options (defaults in brackets):
//   --days [14] --quota [45] --fault-rate [0.1] --crash-rate [0.1] --max-foreign [6]
//   --records [100000] --hours [24] --batch-size [500] --max-retries [3] --seed [1]
//   --sharing-days [4] --lifecycle-hours [48] --streams-per-hour [1] (rotation part)
//   --placer-records [20000] --placer-fault-rate [0.05] (part 2b: a router chaos, then the placer)
//   --part [all|rotation|router|placer|sharing|lifecycle]
import { startMoto } from '../rotation/local/moto';
import { RotationFigures, runRotationSim } from './rotation-sim';
import { CHANGES, LifecycleFigures, runLifecycleSim } from './lifecycle-sim';
import { RouterFigures, runRouterSim } from './router-sim';
import { placerTable, ROUTER_CHAOS, runPlacerAfterChaos } from './placer-report';
import { runSharingSim, SHARING_SETUP, SharingFigures } from './sharing-sim';
import { parseArgs } from './sim-support';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// The figures as Markdown tables: readable in a terminal and pasteable into the README unchanged.
const n = (x: number) => x.toLocaleString('en-US');
const table = (rows: [string, string][]) =>
  ['| figure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
const kinds = (by: Record<string, number>) =>
  Object.entries(by)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ');

function rotationTable(f: RotationFigures): string {
  return table([
    ['simulated days', n(f.days)],
    ['rotations (hourly, random minute; + 2 after faults stop)', n(f.rotations)],
    [
      'runs completed / crashed (injected: between deletes and creates, or after a delete) / failed',
      `${n(f.completed)} / ${n(f.crashed)} / ${n(f.failed)}`,
    ],
    ['why runs failed', kinds(f.failedReasons) || 'none'],
    ['control-plane calls (HTTP attempts)', n(f.controlPlaneCalls)],
    ['faults injected', `${n(f.faultsInjected)} (${kinds(f.faultsByKind)})`],
    ['streams created / deleted', `${n(f.created)} / ${n(f.deleted)}`],
    ['quota (setting; moto enforces 50)', n(f.quota)],
    ['most streams right after a create (counted after every create)', n(f.maxAfterCreate)],
    ['most streams at any count (foreign streams appear between runs)', n(f.maxStreamCount)],
    ['most control-plane calls in any simulated second', n(f.maxCallsPerSecond)],
    ['streams per hour', n(f.streamsPerHour)],
    ['streams left to a later run for lack of quota (summed over runs)', n(f.shortfallHours)],
    ['LimitExceededException hit', n(f.limitExceeded)],
    ['foreign streams appeared / removed', `${n(f.foreignAppeared)} / ${n(f.foreignRemoved)}`],
    ['first fault-free run', f.convergence.firstRun],
    ['second fault-free run is a no-op', f.convergence.secondRunNoOp ? 'yes' : 'NO'],
    ['**violations**', `**${n(f.violationCount)}**`],
  ]);
}

function routerTable(f: RouterFigures): string {
  return table([
    ['records produced', n(f.produced)],
    [
      'produced by kind',
      kinds(Object.fromEntries(Object.entries(f.byKind).map(([k, v]) => [k, v.produced]))),
    ],
    [
      'router invocations (of which event-source-mapping retries)',
      `${n(f.invocations)} (${n(f.esmRetries)})`,
    ],
    ['records resent by those retries (successes after the checkpoint included)', n(f.esmResent)],
    ['PutRecordBatch HTTP attempts', n(f.putRecordBatchAttempts)],
    ['whole-call faults injected', kinds(f.wireFaults) || '0'],
    [
      'calls with failed entries / entries failed',
      `${n(f.partialFailureCalls)} / ${n(f.failedEntriesInjected)}`,
    ],
    ['hourly streams deleted mid-flight', n(f.streamsDeletedMidFlight)],
    ['S3 objects read back', n(f.objects)],
    ['found in S3 (hourly partition / fallback)', `${n(f.found)} (${n(f.inHourly)} / ${n(f.inFallback)})`],
    ['rerouted to the fallback (hour open when first sent)', n(f.rerouted)],
    ['duplicated records (extra copies)', `${n(f.duplicatedRecords)} (${n(f.duplicateCopies)})`],
    ['reported as failures (on-failure destination)', n(f.reportedAsFailures)],
    [
      '… of which found nowhere else (all oversized)',
      `${n(f.onlyInFailureDestination)} (oversized: ${n(f.oversizedReported)})`,
    ],
    ['accepted writes to an hourly stream after its write deadline', n(f.writesAfterDeadline)],
    ['**lost**', `**${n(f.lost)}**`],
    ['**violations**', `**${n(f.violationCount)}**`],
  ]);
}

function sharingTable(f: SharingFigures): string {
  const per = (pick: (d: SharingFigures['deployments'][number]) => string) =>
    f.deployments.map((d) => `${d.name} ${pick(d)}`).join(', ');
  return table([
    [
      'simulated days / rotation runs (3 deployments with default settings, random order and minute)',
      `${n(f.days)} / ${n(f.runs)}`,
    ],
    ['quota / sum of minimum needs (live window + fallback each)', `${n(f.quota)} / ${n(f.minimumNeeds)}`],
    ['quota source (moto has no Firehose entry)', f.deployments[0]?.quotaSource ?? ''],
    ['most streams in the Region after any run', n(f.maxStreamCount)],
    ['LimitExceededException hit', n(f.limitExceeded)],
    ['hours in which foreign streams took the reserve (near-term no longer guaranteed)', n(f.hoursOverfull)],
    ['streams created / deleted', per((d) => `${n(d.created)}/${n(d.deleted)}`)],
    ['most hourly streams held', per((d) => n(d.maxHeld))],
    ['runs without current or next hour while the needs fit', per((d) => n(d.nearMissesWhileFitting))],
    [
      'runs in an arrival round, before every deployment ran since, without current or next (the one limit)',
      per((d) => n(d.arrivalMisses)),
    ],
    ['after day 1, on fitting hours: largest |far-ahead held − fair share|', per((d) => n(d.maxShareGap))],
    [
      'runs without current or next hour when they did not fit (reported in its own shortfall)',
      per((d) => `${n(d.nearMissesOverfull)} (${n(d.reportedOwnShortfall)})`),
    ],
    ['**violations**', `**${n(f.violationCount)}**`],
  ]);
}

function lifecycleTable(all: LifecycleFigures[]): string {
  const head = [
    'change (A → B at hour 6 + 20 min)',
    'records',
    'lost',
    'writes to a prefix the role no longer allows',
    'quota breaches',
    'deleted before drain',
    'records in streams deleted before drain',
    'hours over two destinations',
    'empty far-ahead streams deleted early',
    'streams leaked',
    'left after teardown',
    'destroys taken for replacements',
    'replacements taken for destroys',
    'late scheduled runs during the teardown: held / streams found late',
    'far-ahead streams made again (I2)',
    'created / deleted',
    'most streams (quota)',
  ];
  const rows = all.map((f) => [
    f.change,
    n(f.records),
    `**${n(f.lost)}**`,
    `**${n(f.writesToDisallowedPrefix)}**`,
    `**${n(f.quotaBreaches)}**`,
    n(f.deletedBeforeDrain),
    `**${n(f.recordsInStreamsDeletedBeforeDrain)}**`,
    `**${n(f.hoursOverTwoDestinations)}**`,
    n(f.emptyDeletedEarly),
    `**${n(f.leaked)}**`,
    `**${n(f.leftAfterTeardown)}**`,
    `**${n(f.destroysForReplacements)}**`,
    `**${n(f.replacementsForDestroys)}**`,
    `${n(f.lateRunsHeld)} / ${n(f.lateStreamsFound)}`,
    n(f.recreatedFarAhead),
    `${n(f.created)} / ${n(f.deleted)}`,
    `${n(f.maxStreams)} (${n(f.quota)})`,
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function violationLines(list: string[], count: number): string {
  if (count === 0) return '';
  const more = count > list.length ? [`… and ${count - list.length} more`] : [];
  return ['violations:', ...list.slice(0, 50).map((v) => `  - ${v}`), ...more].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const num = (key: string, fallback: number) => {
    const v = a[key] === undefined ? fallback : Number(a[key]);
    if (!Number.isFinite(v)) throw new Error(`--${key} must be a number, got ${a[key]}`);
    return v;
  };
  const part = a.part ?? 'all';
  const seed = num('seed', 1);
  const moto = await startMoto();
  const stop = () => void moto.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let bad = 0;
  try {
    if (part === 'all' || part === 'rotation') {
      const t = Date.now();
      const f = await runRotationSim({
        endpoint: moto.endpoint,
        days: num('days', 14),
        seed,
        faultRate: num('fault-rate', 0.1),
        crashRate: num('crash-rate', 0.1),
        quota: num('quota', 45),
        maxForeign: num('max-foreign', 6),
        // N streams per hour: the same invariants, every figure in streams.
        settings: { streamsPerHour: num('streams-per-hour', 1) },
      });
      console.log(`\n## Rotation simulation (seed ${seed}, ${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
      console.log(rotationTable(f));
      console.log(violationLines(f.violations, f.violationCount));
      bad += f.violationCount;
    }
    if (part === 'all' || part === 'router') {
      await moto.reset();
      const t = Date.now();
      const f = await runRouterSim({
        endpoint: moto.endpoint,
        records: num('records', 100_000),
        seed,
        hours: num('hours', 24),
        batchSize: num('batch-size', 500),
        maxRetries: num('max-retries', 3),
        partialCallRate: 0.2,
        partialEntryRate: 0.1,
        wireFaultRate: 0.05,
        deleteEvery: 200,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      console.log(`\n## Router chaos (seed ${seed}, ${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
      console.log(routerTable(f));
      console.log(violationLines(f.violations, f.violationCount));
      bad += f.violationCount + f.lost;
    }
    if (part === 'all' || part === 'placer') {
      // Part 2b: a router chaos of its own (smaller: late records of many hours make each fallback
      // object dozens of placed objects), then the placer on every fallback object it left.
      await moto.reset();
      const t = Date.now();
      const records = num('placer-records', 20_000);
      const f = await runRouterSim({ ...ROUTER_CHAOS, endpoint: moto.endpoint, records, seed });
      const p = await runPlacerAfterChaos(moto.endpoint, f, seed, num('placer-fault-rate', 0.05));
      console.log(
        `\n## Placer after a router chaos of ${n(records)} records (seed ${seed}, ${((Date.now() - t) / 1000).toFixed(1)} s)\n`,
      );
      console.log(`router chaos first: lost ${n(f.lost)}, violations ${n(f.violationCount)}\n`);
      console.log(placerTable(p));
      console.log(violationLines([...f.violations, ...p.violations], f.violationCount + p.violationCount));
      bad += f.violationCount + f.lost + p.violationCount;
    }
    if (part === 'all' || part === 'sharing') {
      await moto.reset();
      const t = Date.now();
      const f = await runSharingSim({
        endpoint: moto.endpoint,
        days: num('sharing-days', 4),
        seed,
        ...SHARING_SETUP,
      });
      console.log(
        `\n## Several deployments in one quota (seed ${seed}, ${((Date.now() - t) / 1000).toFixed(1)} s)\n`,
      );
      console.log(sharingTable(f));
      for (const line of f.quotaLog) console.log(`log: ${line}`);
      console.log(violationLines(f.violations, f.violationCount));
      bad += f.violationCount;
    }
    if (part === 'all' || part === 'lifecycle') {
      const t = Date.now();
      const all: LifecycleFigures[] = [];
      for (const change of Object.keys(CHANGES)) {
        await moto.reset();
        const f = await runLifecycleSim({
          endpoint: moto.endpoint,
          seed,
          change,
          hoursBefore: 6,
          hoursAfter: num('lifecycle-hours', 48),
          batchesPerHour: 2,
          recordsPerBatch: 100,
        });
        process.stderr.write(`lifecycle ${change}: ${f.violations.length} violation(s)\n`);
        all.push(f);
      }
      console.log(`\n## Settings changes (seed ${seed}, ${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
      console.log(lifecycleTable(all));
      for (const f of all) {
        const lines = violationLines(
          f.violations.map((v) => `${f.change}: ${v}`),
          f.violations.length,
        );
        if (lines) console.log(lines);
        bad += f.violations.length;
      }
    }
  } finally {
    await moto.stop();
  }
  console.log(bad === 0 ? '\nverify: all invariants held' : `\nverify: ${bad} violation(s)`);
  return bad === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);

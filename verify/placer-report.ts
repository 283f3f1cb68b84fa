// Part 2b's entry and table for verify/main.ts: the placer run on what the router chaos left.
import { DateTime } from 'luxon';
import { PlacerFigures, runPlacerSim } from './placer-sim';
import type { RouterFigures, RouterSimOptions } from './router-sim';

/** Part 2's chaos at its defaults (verify/main.ts), for the router run that precedes the placer. */
export const ROUTER_CHAOS: Omit<RouterSimOptions, 'endpoint' | 'records' | 'seed'> = {
  hours: 24,
  batchSize: 500,
  maxRetries: 3,
  partialCallRate: 0.2,
  partialEntryRate: 0.1,
  wireFaultRate: 0.05,
  deleteEvery: 200,
  progress: (line) => process.stderr.write(`${line}\n`),
};

export function runPlacerAfterChaos(
  endpoint: string,
  chaos: RouterFigures,
  seed: number,
  faultRate: number,
): Promise<PlacerFigures> {
  return runPlacerSim({
    endpoint,
    settings: chaos.settings,
    producer: chaos.producer,
    seed,
    faultRate,
    now: DateTime.fromISO('2026-12-01T00:00:00Z', { zone: 'utc' }),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
}

const n = (x: number) => x.toLocaleString('en-US');

export function placerTable(f: PlacerFigures): string {
  const faults = Object.entries(f.faults)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ');
  const rows: [string, string][] = [
    ['fallback objects (each notified twice)', `${n(f.fallbackObjects)} (${n(f.deliveries)} deliveries)`],
    [
      'placer invocations / failed (each failure is a crash: the run is retried from the start)',
      `${n(f.attempts)} / ${n(f.failedAttempts)}`,
    ],
    ['S3 faults injected', faults || '0'],
    ['events to the dead-letter queue, replayed after the faults', n(f.deadLetters)],
    ['fallback lines / copies of records with an event time', `${n(f.fallbackLines)} / ${n(f.placeable)}`],
    ['placed objects / lines', `${n(f.placedObjects)} / ${n(f.placedLines)}`],
    ['**placed twice**', `**${n(f.placedTwice)}**`],
    ['**lost**', `**${n(f.lost)}**`],
    ['**misplaced**', `**${n(f.misplaced)}**`],
    ['**violations**', `**${n(f.violationCount)}**`],
  ];
  return ['| figure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

// Property run counts: sized for `npm test`, which a developer runs before every commit. `npm run
// verify` (which CI runs too) runs the same files with PROPERTY_RUNS_SCALE=4, so the large counts
// are still checked on every change.
const scale = Number(process.env.PROPERTY_RUNS_SCALE ?? '1');
if (!Number.isInteger(scale) || scale < 1) {
  throw new Error(`PROPERTY_RUNS_SCALE must be a whole number ≥ 1, got "${process.env.PROPERTY_RUNS_SCALE}"`);
}

/**
 * `n` runs in `npm test`; in `npm run verify` `verifyRuns` when given (a property whose every run
 * simulates days of a Region keeps few in the quick suite and its full count in verify), else
 * `n × PROPERTY_RUNS_SCALE`.
 */
export const runs = (n: number, verifyRuns?: number): number => (scale === 1 ? n : (verifyRuns ?? n * scale));

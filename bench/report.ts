// Statistics and the final table. A bench is not a test: a missed goal is printed as MISSED and
// the process still exits 0, so a slow machine never breaks a build.

export function median(values: readonly number[]): number {
  if (!values.length) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How a goal is judged against the ratio (or, for 'zero', against the measured value). */
export type Goal =
  { kind: 'max'; ratio: number } | { kind: 'exact'; ratio: number } | { kind: 'zero' } | { kind: 'none' };

export interface Row {
  metric: string;
  measured: number;
  floor: number;
  unit: string;
  goal: Goal;
  /** Digits after the decimal point for measured and floor. */
  digits?: number;
}

export function row(
  metric: string,
  measured: number,
  floor: number,
  unit: string,
  goal: Goal,
  digits = 0,
): Row {
  return { metric, measured, floor, unit, goal, digits };
}

export const atMost = (ratio: number): Goal => ({ kind: 'max', ratio });
export const exactly = (ratio: number): Goal => ({ kind: 'exact', ratio });
export const ZERO: Goal = { kind: 'zero' };
export const NO_GOAL: Goal = { kind: 'none' };

function ratioOf(row: Row): number {
  return row.floor === 0 ? (row.measured === 0 ? 1 : Infinity) : row.measured / row.floor;
}

function met(row: Row): boolean | undefined {
  const ratio = ratioOf(row);
  switch (row.goal.kind) {
    case 'max':
      return ratio <= row.goal.ratio + 1e-9;
    case 'exact':
      return Math.abs(ratio - row.goal.ratio) < 1e-9;
    case 'zero':
      return row.measured === 0;
    case 'none':
      return undefined;
  }
}

function goalText(goal: Goal): string {
  switch (goal.kind) {
    case 'max':
      return `≤ ${goal.ratio.toFixed(2)}×`;
    case 'exact':
      return `= ${goal.ratio.toFixed(2)}×`;
    case 'zero':
      return '0';
    case 'none':
      return '—';
  }
}

const num = (value: number, digits: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function cells(row: Row): string[] {
  const digits = row.digits ?? 0;
  const ratio = ratioOf(row);
  const verdict = met(row);
  return [
    row.metric,
    `${num(row.measured, digits)} ${row.unit}`.trim(),
    row.goal.kind === 'zero' ? '0' : `${num(row.floor, digits)} ${row.unit}`.trim(),
    row.goal.kind === 'zero' ? '—' : Number.isFinite(ratio) ? `${ratio.toFixed(ratio < 0.1 ? 4 : 2)}×` : '∞',
    goalText(row.goal),
    verdict === undefined ? 'n/a' : verdict ? 'yes' : 'MISSED',
  ];
}

const HEADER = ['metric', 'measured', 'floor', 'ratio', 'goal', 'met?'];

/** A Markdown table (readable as plain text too), padded so the columns line up. */
export function table(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  const rule = line(widths.map((w) => '-'.repeat(w))); // prettier's Markdown table style
  return [line(HEADER), rule, ...body.map(line)].join('\n');
}

export function missed(rows: readonly Row[]): Row[] {
  return rows.filter((row) => met(row) === false);
}

/** One progress line on stderr, so stdout stays the report. */
export function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

export const kib = (bytes: number) => bytes / 1024;
export const mib = (bytes: number) => bytes / (1024 * 1024);

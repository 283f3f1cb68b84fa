// Renders the command results for a terminal: aligned tables and one-line summaries. Pure string
// functions; `--json` bypasses them and prints the result document itself.
import { RotationPlan } from '../core/planner';
import { RotationSummary } from '../core/rotation-summary';
import { TeardownReport } from './commands';
import { StatusReport } from './status';
import { sharingLines } from './sharing-lines';
import { describeShare } from '../core/fair-share';

/** Left-aligned columns separated by two spaces; no trailing blanks. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

function section(title: string, headers: string[], rows: string[][]): string {
  return rows.length ? `${title} (${rows.length}):\n${table(headers, rows)}` : `${title}: none`;
}

const list = (items: string[]) => (items.length ? items.join(', ') : 'none');

export function formatPlan(plan: RotationPlan): string {
  return [
    `plan at ${plan.now}`,
    `streams in Region: ${plan.countBefore} now, ${plan.countAfter} after (quota ${plan.quota}, ` +
      `${plan.foreignCount} not ours incl. the fallback)`,
    `quota: ${plan.quotaSource}; budget ${plan.budget} streams incl. the fallback, reserve ${plan.reserve} free`,
    ...(plan.fallbackMissing ? ['fallback: MISSING (its slot is kept free)'] : []),
    // Only when another deployment is in the Region: a plan alone reads as it always did.
    ...(plan.sharing && plan.sharing.deployments > 1 ? [`sharing: ${describeShare(plan.sharing)}`] : []),
    section(
      'create',
      ['HOUR', 'STREAM'],
      plan.creates.map((c) => [c.hour, c.name]),
    ),
    section(
      'delete',
      ['HOUR', 'STREAM', 'REASON'],
      plan.deletes.map((d) => [d.hour, d.name, d.reason]),
    ),
    section(
      'keep',
      ['STREAM'],
      plan.keeps.map((k) => [k]),
    ),
    `kept with another configuration until drained: ${list(plan.staleKept)}`,
    // Stream keys: the hour key, `-<i>` for the hour's stream i (streamsPerHour > 1).
    `shortfall (streams without room in the quota, <hour>[-<i>]): ${list(plan.shortfall)}`,
    `conflicts (our names with foreign tags, left alone): ${list(plan.conflicts)}`,
  ].join('\n');
}

export function formatRotate(summary: RotationSummary): string {
  return [
    `rotated at ${summary.now}: created ${summary.created.length}, deleted ${summary.deleted.length}, ` +
      `kept ${summary.kept}, recreated ${summary.recreated.length}, hours signalled complete ${summary.completed.length}`,
    `streams in Region after: ${summary.streamsAfter} of quota ${summary.quota} (headroom ${summary.quotaHeadroom})`,
    `quota: ${summary.quotaSource}`,
    ...(summary.fallbackMissing ? ['fallback: MISSING (its slot is kept free)'] : []),
    section(
      'not deleted',
      ['STREAM', 'REASON'],
      summary.notDeleted.map((n) => [n.name, n.reason]),
    ),
    section(
      'hour-complete signals failed',
      ['HOUR', 'STREAM', 'ACTION', 'ERROR'],
      summary.signalFailures.map((f) => [f.hour, f.stream, f.action, f.error]),
    ),
    `shortfall (streams missing, <hour>[-<i>], nearest first): ${list(summary.shortfall)}`,
    `near-term streams missing (current, next, still-open hours): ${summary.nearTermShortfall}`,
    `streams of tomorrow's hours missing: ${summary.tomorrowMissing}`,
    `conflicts (our names with foreign tags, left alone): ${list(summary.conflicts)}`,
    `kept with another configuration until drained: ${list(summary.staleKept)}`,
  ].join('\n');
}

export function formatStatus(status: StatusReport): string {
  return [
    `status at ${status.now} in ${status.region}`,
    `streams in Region: ${status.streamsInRegion} of quota ${status.quota} (headroom ${status.headroom})`,
    ...(status.quotaSource ? [`quota: ${status.quotaSource}`] : []),
    `fallback: ${status.fallback.name} ${status.fallback.state}`,
    `next hour without a stream: ${status.nextHourWithoutStream}`,
    ...(status.sharing ? sharingLines(status.sharing) : []),
    section(
      'hourly streams',
      ['HOUR', 'STREAM', 'STATE', 'WINDOW', 'CONFIG'],
      status.hourly.map((h) => [h.hour, h.name, h.state, h.window, h.config]),
    ),
  ].join('\n');
}

export function formatTeardown(report: TeardownReport): string {
  return [
    section(
      'deleted',
      ['STREAM'],
      report.deleted.map((d) => [d]),
    ),
    section(
      'not deleted',
      ['STREAM', 'REASON'],
      report.notDeleted.map((n) => [n.name, n.reason]),
    ),
  ].join('\n');
}

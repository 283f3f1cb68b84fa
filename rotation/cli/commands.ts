// The four operator commands as functions from a context to a result document. They print nothing:
// main.ts decides between JSON and tables, so both outputs always carry the same facts.
import { DateTime } from 'luxon';
import { discover, listStreamNames, rotate, teardown } from '../aws/executor';
import { parseStreamName } from '../core/names';
import { planRotation, RotationPlan } from '../core/planner';
import { RotationSummary, summarize } from '../core/rotation-summary';
import { RotationSettings } from '../core/settings';
import { CliClients } from './clients';
import { UsageError } from './load-settings';
import { buildStatus, gatherStatus, StatusReport } from './status';

export interface CommandContext {
  clients: CliClients;
  settings: RotationSettings;
  /** The instant the command acts at: `--now`, or the clock when the command started. */
  now: DateTime;
  /** Human progress lines (stderr); never part of the result document. */
  progress: (line: string) => void;
}

const deps = (ctx: CommandContext) => ({
  client: ctx.clients.firehose,
  signals: ctx.clients.signals(),
  now: () => ctx.now,
  progress: ctx.progress,
});

/** Reads only (List, ListTags, Describe): the same facts and planner `rotate` uses, nothing applied. */
export async function planCommand(ctx: CommandContext): Promise<RotationPlan> {
  const existing = await discover(ctx.clients.firehose, ctx.now, ctx.settings);
  return planRotation(ctx.now, existing, ctx.settings);
}

/** The summary is the rotation Lambda's own return value, so scripts can treat both alike. */
export async function rotateCommand(ctx: CommandContext): Promise<RotationSummary> {
  ctx.progress(`rotating at ${ctx.now.toISO()}`);
  const { plan, result } = await rotate(deps(ctx), ctx.settings);
  return summarize(plan, result, ctx.settings.streamPrefix);
}

export async function statusCommand(ctx: CommandContext): Promise<StatusReport> {
  return buildStatus(ctx.now, await gatherStatus(ctx.clients.firehose, ctx.settings), ctx.settings);
}

export interface TeardownReport {
  deleted: string[];
  notDeleted: { name: string; reason: string }[];
}

export interface TeardownOptions {
  yes: boolean;
  isTTY: boolean;
  confirm: (question: string) => Promise<boolean>;
}

/**
 * Deletes every hourly stream this deployment owns. The executor proves ownership by tags before
 * each delete; the count in the question is by name only, an upper bound the operator can judge.
 */
export async function teardownCommand(ctx: CommandContext, opts: TeardownOptions): Promise<TeardownReport> {
  const s = ctx.settings;
  if (!opts.yes) {
    // Without a terminal nobody can answer; deleting on silence would be the wrong default.
    if (!opts.isTTY)
      throw new UsageError('teardown deletes streams: pass --yes to confirm without a terminal');
    const candidates = (await listStreamNames(ctx.clients.firehose)).filter(
      (n) => n !== s.fallbackStreamName && parseStreamName(s.streamPrefix, n),
    ).length;
    const question =
      `Delete every stream named ${s.streamPrefix}-yyyyMMddHH owned by deployment ${s.deploymentId} ` +
      `(${candidates} candidate(s); the fallback ${s.fallbackStreamName} stays)?`;
    if (!(await opts.confirm(question))) throw new UsageError('teardown cancelled: nothing was deleted');
  }
  const result = await teardown(deps(ctx), s);
  return { deleted: result.deleted, notDeleted: result.notDeleted };
}

// What a rotation run reports: the same summary feeds the Lambda's return value, its log line and
// its CloudWatch metrics, and the CLI. Pure.
import { DateTime } from 'luxon';
import { hourKey, parseStreamName } from './names';
import { RotationPlan } from './planner';
import { hourOf } from './time-window';

/** What applying a plan did (the executor's applyPlan and teardown return it). */
export interface RotationOutcome {
  created: string[];
  deleted: string[];
  /** Hour keys signalled complete (`_SUCCESS` marker and EventBridge event). */
  completed: string[];
  /** Planned creates that did not happen: quota reached (LimitExceeded) or a delete still running. */
  notCreated: { name: string; reason: string }[];
  /** Planned deletes Firehose refused for now (e.g. still CREATING); retried next run. */
  notDeleted: { name: string; reason: string }[];
}

export interface RotationSummary {
  action: 'rotate';
  now: string;
  created: string[];
  deleted: string[];
  /** Hour keys signalled complete. */
  completed: string[];
  kept: number;
  /** Hour keys left without a stream, nearest first (planned shortfall + creates refused by AWS). */
  shortfall: string[];
  /** Hours of tomorrow (UTC) without a stream after this run: the "tomorrow is ready" heartbeat. */
  tomorrowMissing: number;
  conflicts: string[];
  quota: number;
  streamsAfter: number;
  quotaHeadroom: number;
  notDeleted: { name: string; reason: string }[];
}

export function summarize(
  plan: RotationPlan,
  outcome: RotationOutcome,
  streamPrefix: string,
): RotationSummary {
  const now = DateTime.fromISO(plan.now, { zone: 'utc' });
  const refused = outcome.notCreated.flatMap((n) => {
    const hour = parseStreamName(streamPrefix, n.name);
    return hour ? [hourKey(hour)] : [];
  });
  const shortfall = [...refused, ...plan.shortfall];
  const tomorrow = hourOf(now).startOf('day').plus({ days: 1 }).toFormat('yyyyMMdd');
  const streamsAfter = plan.countBefore - outcome.deleted.length + outcome.created.length;
  return {
    action: 'rotate',
    now: plan.now,
    created: outcome.created,
    deleted: outcome.deleted,
    completed: outcome.completed,
    kept: plan.keeps.length,
    shortfall,
    tomorrowMissing: shortfall.filter((key) => key.startsWith(tomorrow)).length,
    conflicts: plan.conflicts,
    quota: plan.quota,
    streamsAfter,
    quotaHeadroom: plan.quota - streamsAfter,
    notDeleted: outcome.notDeleted,
  };
}

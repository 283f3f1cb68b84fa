// What a rotation run reports: the same summary feeds the Lambda's return value, its log line and
// its CloudWatch metrics, and the CLI. Pure.
import { DateTime } from 'luxon';
import { HOUR_KEY_LENGTH } from './names';
import { RotationPlan } from './planner';
import { hourOf } from './time-window';

export interface RotationOutcome {
  created: string[];
  deleted: string[];
  completed: string[];
  notCreated: { name: string; reason: string }[];
  notDeleted: { name: string; reason: string }[];
  updated?: string[];
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
  /** Streams of hours not yet open brought to the current configuration (settings changed). */
  updated: string[];
  /** Streams kept with another configuration than the current one (open or draining hours). */
  staleKept: string[];
}

export function summarize(
  plan: RotationPlan,
  outcome: RotationOutcome,
  streamPrefix: string,
): RotationSummary {
  const now = DateTime.fromISO(plan.now, { zone: 'utc' });
  // The hour key is the name's last 10 characters whatever the prefix (a former one included).
  void streamPrefix;
  const refused = outcome.notCreated.map((n) => n.name.slice(-HOUR_KEY_LENGTH));
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
    updated: outcome.updated ?? [],
    staleKept: plan.staleKept,
  };
}

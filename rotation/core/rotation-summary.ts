// What a rotation run reports: the same summary feeds the Lambda's return value, its log line and
// its CloudWatch metrics, and the CLI. Pure.
import { DateTime } from 'luxon';
import './luxon-strict'; // plan.now is parsed back from text
import { isNearTerm } from './capacity';
import { HOUR_KEY_LENGTH, hourFromKey, streamKeyOfName } from './names';
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
  /** Planned deletes Firehose refused for now (e.g. still CREATING), or held; retried next run. */
  notDeleted: { name: string; reason: string }[];
  /** Far-ahead streams made again with the current configuration (deleted, then created; I2). */
  recreated?: string[];
  /** Drained hours whose signal failed this run: stream held for a retry, or deleted unsignalled. */
  signalFailures: SignalFailureReport[];
}

/** A drained hour whose hour-complete signal failed this run, and what became of its stream. */
interface SignalFailureReport {
  hour: string;
  stream: string;
  action: 'held' | 'deleted-unsignalled';
  error: string;
  why: string;
}

export interface RotationSummary {
  action: 'rotate';
  now: string;
  created: string[];
  deleted: string[];
  /** Hour keys signalled complete. */
  completed: string[];
  kept: number;
  /**
   * Streams missing after this run, as stream keys (hour key, `-<i>` for sibling i), nearest first:
   * planned shortfall + creates refused by AWS. With streamsPerHour 1 these are hour keys.
   */
  shortfall: string[];
  /**
   * Streams of near-term hours (current, next, still open) missing after this run: records of these
   * hours go to the fallback now (index 0 missing) or crowd the hour's other streams (a sibling
   * missing). With several deployments in one quota, each reports its own.
   */
  nearTermShortfall: number;
  /** Streams of tomorrow's hours (UTC) missing after this run: the "tomorrow is ready" heartbeat. */
  tomorrowMissing: number;
  conflicts: string[];
  quota: number;
  /** Where `quota` came from (Service Quotas or the setting), in words. */
  quotaSource: string;
  /** The fallback stream does not exist: an error (metric FallbackMissing, alarm, CLI exit 1). */
  fallbackMissing: boolean;
  streamsAfter: number;
  quotaHeadroom: number;
  notDeleted: { name: string; reason: string }[];
  /** Far-ahead streams made again with the current configuration (settings changed; I2). */
  recreated: string[];
  /** Streams kept with another configuration than the current one (open or draining hours). */
  staleKept: string[];
  /** Hour-complete signals that failed (HourSignalsFailed); `deleted-unsignalled` ones are lost. */
  signalFailures: SignalFailureReport[];
  /** Who else is in the Region and this deployment's far-ahead share (docs/sharing.md). */
  sharing: SharingSummary;
  /** Streams carrying our owner tag under a prefix the settings do not name (ownership is the tag). */
  orphans: OrphanSummary;
}

interface SharingSummary {
  /** Deployments seen in the Region, this one included (1 when the run did not look around). */
  deployments: number;
  /** The others, by deploymentId. */
  others: string[];
  /** Far-ahead streams this deployment may hold; null when unlimited (alone or hand-planned). */
  share: number | null;
  farAhead: number;
  /** Far-ahead streams given back this run to stay within the share. */
  givenBack: number;
  /** False when the live windows and fallbacks of all deployments do not fit the quota. */
  needsFit: boolean;
}

interface OrphanSummary {
  deleted: string[];
  /** Open or draining hours: deleted once drained by their own buffering. */
  draining: string[];
  /** Deletes refused (the role does not cover that prefix): to delete by hand; metric and alarm. */
  refused: { name: string; reason: string }[];
}

export function summarize(plan: RotationPlan, outcome: RotationOutcome): RotationSummary {
  const now = DateTime.fromISO(plan.now, { zone: 'utc' });
  // The stream key ends the name whatever the prefix (a former one included).
  const refused = outcome.notCreated.map((n) => streamKeyOfName(n.name) ?? n.name);
  const shortfall = [...refused, ...plan.shortfall];
  // A shortfall entry is a stream key: its hour is near-term by the capacity rule's own test.
  const nearTerm = (key: string) => {
    const hour = hourFromKey(key.slice(0, HOUR_KEY_LENGTH));
    return hour !== undefined && isNearTerm(hour, now);
  };
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
    nearTermShortfall: shortfall.filter(nearTerm).length,
    tomorrowMissing: shortfall.filter((key) => key.startsWith(tomorrow)).length,
    conflicts: plan.conflicts,
    quota: plan.quota,
    quotaSource: plan.quotaSource,
    fallbackMissing: plan.fallbackMissing,
    streamsAfter,
    quotaHeadroom: plan.quota - streamsAfter,
    notDeleted: outcome.notDeleted,
    recreated: outcome.recreated ?? [],
    staleKept: plan.staleKept,
    signalFailures: outcome.signalFailures,
    ...sharingParts(plan, outcome),
  };
}

function sharingParts(
  plan: RotationPlan,
  outcome: RotationOutcome,
): Pick<RotationSummary, 'sharing' | 'orphans'> {
  const r = plan.sharing;
  const byReason = (reason: string) =>
    new Set(plan.deletes.filter((d) => d.reason === reason).map((d) => d.name));
  const orphans = byReason('orphan');
  const givenBack = byReason('over-share');
  return {
    sharing: {
      deployments: r?.deployments ?? 1,
      others: (r?.others ?? []).map((o) => o.id),
      share: r && Number.isFinite(r.share) ? r.share : null,
      farAhead: r?.farAhead ?? 0,
      givenBack: outcome.deleted.filter((n) => givenBack.has(n)).length,
      needsFit: r?.needsFit ?? true,
    },
    orphans: {
      deleted: outcome.deleted.filter((n) => orphans.has(n)),
      draining: r?.orphansDraining ?? [],
      refused: outcome.notDeleted.filter((n) => orphans.has(n.name) && n.reason.startsWith('access denied')),
    },
  };
}

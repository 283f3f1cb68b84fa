// The executor's two questions about the deletes sharing plans (sharing-plan.ts): is a far-ahead
// stream still empty at the instant of its delete, and is a refused delete of an orphan something
// to report rather than a failure. Also the one log line a run writes when the Region cannot
// hold every deployment's live window.
import { DateTime } from 'luxon';
import { hourFromKey } from '../core/names';
import type { PlannedDelete } from '../core/planner';
import { emptyAndRemakeable } from '../core/stream-deletion';
import { RotationSettings } from '../core/settings';
import type { SharingReport } from '../core/sharing-plan';
import { errorName } from './error-name';

/** The reason a planned delete is not sent or not done, or undefined to go ahead (or rethrow). */
export function refusedDelete(
  d: PlannedDelete,
  instant: DateTime,
  s: RotationSettings,
  err?: unknown,
): string | undefined {
  if (d.reason !== 'over-share' && d.reason !== 'orphan') return undefined;
  const hour = hourFromKey(d.hour)!;
  // Planned far ahead, but the plan may be seconds old: judged again at the delete with the time
  // window's isFarAhead (I1, every live generation's earlyMinutes), as give-backs are. A drained
  // orphan (its hour in the past) is not judged by this.
  if (!err && hour > instant && !emptyAndRemakeable(hour, instant, s)) return 'no longer far ahead; kept';
  // Ownership is the tag, but the role may cover only the prefixes it names: report by name.
  if (err && d.reason === 'orphan' && errorName(err) === 'AccessDeniedException')
    return `access denied: ours by tag, under a prefix this role does not cover; delete it by hand`;
  return undefined;
}

/** Said once per run, by name, when the live windows and fallbacks do not fit the quota. */
export function sharingLine(r: SharingReport): string | undefined {
  if (r.needsFit) return undefined;
  const ids = r.others.map((o) => o.id).join(', ');
  return (
    `sharing: the live windows and fallbacks of ${r.deployments} deployments (this one and ${ids}) ` +
    `and the foreign streams need ${r.needs} streams, more than the quota: the current and next hour ` +
    `of every deployment cannot all have a stream`
  );
}

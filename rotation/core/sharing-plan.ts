// The planner's part in sharing a Region: this deployment's far-ahead share (fair-share.ts) and
// which of its streams go because of it — far-ahead streams over the share (given back), and
// streams carrying its owner tag under a prefix the settings do not name (ownership is the tag).
// Without a census (a caller that did not look around, e.g. older tests and tools) the deployment
// is alone and nothing here changes the plan. Pure: no AWS or Pulumi imports.
import { DateTime } from 'luxon';
import { isNearTerm, liveWindowStreams } from './capacity';
import { FairShare, fairShare } from './fair-share';
import { parseKnownName } from './generations';
import { hourKey } from './names';
import type { ExistingStream, PlannedDelete } from './planner';
import { OrphanStream, OtherDeployment, RegionCensus } from './region-census';
import { emptyAndRemakeable, orphanDeletable } from './stream-deletion';
import { RotationSettings } from './settings';

export interface SharingReport extends FairShare {
  /** The other deployments seen, by id, with what they hold. */
  others: OtherDeployment[];
  /** Far-ahead streams this deployment holds after the plan. */
  farAhead: number;
  /** Far-ahead streams not made because of the share (not a shortfall: insurance given up). */
  beyondShare: number;
  /** Orphans (ours by tag, prefix not named) still open or draining: deleted when drained. */
  orphansDraining: string[];
}

/** Our far-ahead streams by name, farthest first: the order in which they are given back. */
export function ownFarAhead(now: DateTime, existing: ExistingStream[], s: RotationSettings): string[] {
  return existing
    .map((e) => ({ name: e.name, hour: parseKnownName(e.name, s) }))
    .filter((e): e is { name: string; hour: DateTime } => !!e.hour && !isNearTerm(e.hour, now))
    .sort((a, b) => b.hour.toMillis() - a.hour.toMillis() || b.name.localeCompare(a.name))
    .map((e) => e.name);
}

/** This deployment's share given the census; `existing` are the streams after the plan's deletes. */
export function shareFor(
  now: DateTime,
  existing: ExistingStream[],
  census: RegionCensus | undefined,
  s: RotationSettings,
  quota: number,
): FairShare {
  const ownNear = existing.filter((e) => {
    const hour = parseKnownName(e.name, s);
    return hour && isNearTerm(hour, now);
  }).length;
  return fairShare({
    quota,
    reserve: s.reserveStreams,
    foreign: census?.foreign ?? 0,
    deployments: [{ id: s.deploymentId, nearTerm: ownNear }, ...(census?.others ?? [])],
    self: s.deploymentId,
    liveWindow: liveWindowStreams(s),
    handPlanned: s.streamBudget !== undefined || s.lookaheadHours !== undefined,
  });
}

/**
 * Far-ahead streams over the share, farthest first, among those whose tags prove them ours
 * (`proven`) and that are far ahead and empty now (`empty`, I1): giving one back loses nothing.
 */
function giveBacks(
  far: string[],
  share: number,
  proven: Set<string>,
  empty: (name: string) => boolean,
): string[] {
  return far.slice(0, Math.max(0, far.length - share)).filter((n) => proven.has(n) && empty(n));
}

/**
 * Orphans go when the deletion rule allows (stream-deletion.ts orphanDeletable: far ahead, or
 * drained by their own buffering interval); the others wait. CREATING and DELETING ones cannot be
 * deleted now.
 */
function orphanDeletes(
  now: DateTime,
  orphans: OrphanStream[],
  s: RotationSettings,
): { deletes: PlannedDelete[]; draining: string[] } {
  const deletes: PlannedDelete[] = [];
  const draining: string[] = [];
  for (const o of orphans) {
    if (o.status === 'CREATING' || o.status === 'DELETING') continue;
    if (orphanDeletable(o, now, s)) deletes.push({ name: o.name, hour: hourKey(o.hour), reason: 'orphan' });
    else draining.push(o.name);
  }
  return { deletes, draining: draining.sort() };
}

/** One plan's sharing state: its deletes, then a counter the create loop asks before each far-ahead create. */
export interface SharingStep {
  deletes: PlannedDelete[];
  mayAddFarAhead(): boolean;
  addedFarAhead(): void;
  report(): SharingReport;
}

export function planSharing(
  now: DateTime,
  existing: ExistingStream[],
  owned: ExistingStream[],
  planned: PlannedDelete[],
  census: RegionCensus | undefined,
  s: RotationSettings,
  quota: number,
): SharingStep {
  const gone = new Set(planned.map((d) => d.name));
  const ownedNames = new Set(owned.map((o) => o.name));
  // Streams of our pattern whose tags were read and are not ours are another deployment's.
  const ours = existing.filter((e) => !gone.has(e.name) && (e.tags === undefined || ownedNames.has(e.name)));
  const fair = shareFor(now, ours, census, s, quota);
  const far = ownFarAhead(now, ours, s);
  const empty = (name: string) => emptyAndRemakeable(parseKnownName(name, s)!, now, s);
  const back = giveBacks(far, fair.share, ownedNames, empty);
  const orphans = orphanDeletes(now, census?.orphans ?? [], s);
  const hourOfName = (name: string) => hourKey(parseKnownName(name, s)!);
  let farAhead = far.length - back.length;
  let beyondShare = 0;
  return {
    deletes: [
      ...back.map((name) => ({ name, hour: hourOfName(name), reason: 'over-share' as const })),
      ...orphans.deletes,
    ],
    mayAddFarAhead() {
      if (farAhead < fair.share) return true;
      beyondShare += 1;
      return false;
    },
    addedFarAhead() {
      farAhead += 1;
    },
    report: () => ({
      ...fair,
      others: census?.others ?? [],
      farAhead,
      beyondShare,
      orphansDraining: orphans.draining,
    }),
  };
}

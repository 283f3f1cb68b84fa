// When may a stream of ours be deleted? The whole rule, top to bottom; the planner, the executor,
// give-back, sharing, discovery, the signal gate and the teardown all ask this module.
// - Drained: hour H's streams go from deletableAt(H) = H end + lateness + one buffering interval +
//   margin (deletableAt), when no router writes to them and their buffer has flushed, judged with
//   the longest window of every live generation (drainWindow). A failed create never took a
//   record and goes at once (deleteReason).
// - I1 Empty until near: the router writes to H only from earlyMinutes before it starts, so an hour
//   opening well after now has empty streams. After the next hour they may be deleted, given back
//   or made again at any time (emptyAndRemakeable), judged again at the instant of each delete.
// - I2 One hour, one destination: a stream keeps the destination it was made with. While a former
//   configuration lives, a far-ahead one made under another configuration is deleted and made
//   again, one the settings no longer name is deleted (remakeReason); near-term hours keep theirs
//   until they drain.
// - Orphans (ours by tag, under a prefix the settings do not name) drain by their own buffering
//   interval, 900 s when it could not be read, or go far-ahead and empty (orphanDeletable).
// - A failed hour-complete signal holds a drained stream, bounded in time and in quota slots.
// Destroy (I4, aws/teardown.ts) deletes every owned stream once its buffer may have flushed, by
// drainWindow; sharing's over-share deletes (sharing-plan.ts) use emptyAndRemakeable.
// Pure: no AWS or Pulumi imports.
import { DateTime, Duration } from 'luxon';
import './luxon-strict'; // hour arithmetic throws on an invalid date instead of comparing as false
import { CONFIG_TAG, configDigest, streamNamesFor } from './generations';
import { hourKey } from './names';
import { OWNER_TAG, RotationSettings } from './settings';
import { isNearTerm } from './capacity';
import { drainDuration, isFarAhead, longestWindow, PlanningWindow, WindowSettings } from './time-window';

/**
 * The window every delete is judged with. A stream made under a former configuration is written
 * to and flushed by that configuration's lateness, buffering and margin, and its router opened
 * hours by its earlyMinutes, so each setting is taken at its longest over every live generation.
 */
export function drainWindow(s: RotationSettings): WindowSettings {
  // earlyMinutes too: far-ahead is judged with the earliest any live generation's router may write.
  const longest = longestWindow([s, ...s.formerGenerations]);
  return { ...longest, horizonDays: s.horizonDays };
}

/**
 * Earliest instant H's stream may be deleted: the router stopped writing at writeDeadline(H) and
 * Firehose flushes its buffer within one buffering interval; the margin covers an in-flight router
 * invocation that decided "open" just before the deadline.
 */
export function deletableAt(hour: DateTime, s: PlanningWindow): DateTime {
  return hour.plus({ hours: 1 }).plus(drainDuration(s));
}

/** May H's streams be deleted at `now`: from deletableAt(H) on. */
export function mayDelete(hour: DateTime, now: DateTime, s: PlanningWindow): boolean {
  return now >= deletableAt(hour, s);
}

/** An owned stream as the planner sees it. */
interface DeletionCandidate {
  name: string;
  hour: DateTime;
  status: string;
  /** Read this run; a stream whose tags were not read is never made again. */
  tags?: Record<string, string>;
}

/** Why the planner deletes this owned stream now, before anything else is weighed, or undefined. */
export function deleteReason(
  stream: DeletionCandidate,
  now: DateTime,
  s: RotationSettings,
): 'drained' | 'creating-failed' | undefined {
  // Firehose refuses to delete a CREATING stream, and DELETING ones are already on their way.
  if (stream.status === 'CREATING' || stream.status === 'DELETING') return undefined;
  // The longest drain of any live generation: a stream made under a longer lateness or buffering
  // interval is kept for as long as that configuration's router and buffer may still need it.
  if (mayDelete(stream.hour, now, drainWindow(s))) return 'drained';
  // A failed create never accepted a record, so it is safe to replace at any time.
  if (stream.status === 'CREATING_FAILED') return 'creating-failed';
  return undefined;
}

// I1: deleted before they drain, only while empty. time-window.ts isFarAhead says whether H opens
// later than the longest a router decision can still be acted on plus a margin; this part adds
// which streams that proves empty and which hours a rotation may take away.

/**
 * Are H's streams known to be empty by I1 when H is far-ahead? Not for an hour a generation
 * exported before earlyMinutes existed may have made (before its namesUntil): that router wrote
 * early records to every hour before its horizon. Such streams are kept until they drain.
 */
function emptyUntilNear(hour: DateTime, s: Pick<RotationSettings, 'formerGenerations'>): boolean {
  const key = hourKey(hour);
  return !s.formerGenerations.some((f) => f.earlyMinutes === undefined && key < f.namesUntil);
}

/** isFarAhead at `t` with every live generation's earlyMinutes, and known empty (emptyUntilNear). */
function farAheadAndEmpty(hour: DateTime, t: DateTime, s: RotationSettings): boolean {
  return emptyUntilNear(hour, s) && isFarAhead(hour, t, drainWindow(s));
}

/**
 * May H's streams be deleted, given back or made again at `t`? Only after the next hour (capacity's
 * far-ahead hours: a run an hour from now would be too late to remake the next one), and only while
 * far-ahead and known empty (farAheadAndEmpty).
 */
export function emptyAndRemakeable(hour: DateTime, t: DateTime, s: RotationSettings): boolean {
  return !isNearTerm(hour, t) && farAheadAndEmpty(hour, t, s);
}

// I2: a stream's destination, buffering and tags are fixed when it is made (no UpdateDestination).
// A settings change reaches an hour only by making its streams again, which is safe only while they
// are empty (emptyAndRemakeable). The planner asks this at plan time, the executor again with its
// clock right before the delete.

/** Made under another configuration (digest tag) or owner than the current one. */
export function madeUnderOther(tags: Record<string, string>, s: RotationSettings): boolean {
  return tags[CONFIG_TAG] !== configDigest(s) || tags[OWNER_TAG] !== s.deploymentId;
}

/**
 * Should this owned stream be deleted so the plan makes it again with the current configuration?
 * ACTIVE, made under another configuration or owner, named as its hour's stream is named now (a
 * former prefix's or a sibling beyond N drains like any other), and remakeable at `t`.
 */
function reconfigurable(stream: DeletionCandidate, t: DateTime, s: RotationSettings): boolean {
  if (stream.status !== 'ACTIVE' || !stream.tags || !madeUnderOther(stream.tags, s)) return false;
  return streamNamesFor(stream.hour, s).includes(stream.name) && emptyAndRemakeable(stream.hour, t, s);
}

/**
 * A far-ahead, empty stream the current settings no longer name (a sibling at or beyond a lowered
 * streamsPerHour): the router never writes to it, and left alone it would keep a former
 * destination beside the hour's remade streams. Deleted, not made again.
 */
function unneeded(stream: DeletionCandidate, t: DateTime, s: RotationSettings): boolean {
  if (stream.status !== 'ACTIVE' && stream.status !== 'UNKNOWN') return false;
  return !streamNamesFor(stream.hour, s).includes(stream.name) && emptyAndRemakeable(stream.hour, t, s);
}

/**
 * Why the planner deletes this owned stream before it drains, so a settings change reaches its
 * far-ahead hour (I2): `unneeded` (deleted), `reconfigure` (deleted and made again), or undefined.
 * Asked only while a former configuration lives: a settings change retires one, and only then does
 * discovery read the tags of hours not yet open. Ask deleteReason first: a drained stream just goes.
 */
export function remakeReason(
  stream: DeletionCandidate,
  t: DateTime,
  s: RotationSettings,
): 'unneeded' | 'reconfigure' | undefined {
  if (s.formerGenerations.length === 0) return undefined;
  if (unneeded(stream, t, s)) return 'unneeded';
  return reconfigurable(stream, t, s) ? 'reconfigure' : undefined;
}

// Orphans: streams carrying our owner tag under a prefix the settings do not name (ownership is the
// tag; region-census.ts finds them, sharing-plan.ts plans their deletes). No live configuration
// says how they buffer, so each drains by its own buffering interval as discovery read it, or by
// Firehose's longest when it could not be read; lateness and margin are every live generation's.

/** Firehose's longest buffering interval: the drain of an orphan whose own could not be read. */
const MAX_BUFFERING_SECONDS = 900;

/** May this orphan be deleted at `now`: far-ahead and empty, or drained by its own buffering. */
export function orphanDeletable(
  orphan: { hour: DateTime; bufferingIntervalSeconds?: number },
  now: DateTime,
  s: RotationSettings,
): boolean {
  const own = orphan.bufferingIntervalSeconds ?? MAX_BUFFERING_SECONDS;
  const window = { ...drainWindow(s), bufferingIntervalSeconds: own };
  return emptyAndRemakeable(orphan.hour, now, s) || mayDelete(orphan.hour, now, window);
}

// The hour-complete signal: when a drained hour's signal (`_SUCCESS` marker + EventBridge event)
// fails, its delete waits, so the stream itself records the signal still owed and the next run
// retries both (no ledger is needed, which the failing bucket or bus could not hold anyway). The
// wait is bounded twice, because a held stream occupies a quota slot: in time (SIGNAL_HOLD_HOURS
// after the hour became deletable, i.e. a few hourly runs for an operator to fix the cause) and in
// slots (only slots no planned create needs, so a failing signal never costs any hour its stream).
// Past either bound the stream is deleted with its signal unsent, and reported.

/** How long a drained hour may keep its stream while its signal fails. */
const SIGNAL_HOLD_HOURS = 3;

/** The last instant a drained hour whose signal fails may keep its stream. */
function signalHoldEnds(hour: DateTime, s: WindowSettings): DateTime {
  return deletableAt(hour, s).plus(Duration.fromObject({ hours: SIGNAL_HOLD_HOURS }));
}

export type SignalFailureAction = 'held' | 'deleted-unsignalled';

/**
 * What to do with a drained hour whose signal just failed: hold its stream while both bounds allow
 * (`spareSlots`: capacity.ts spareSlots of the plan, the slots below the quota minus the reserve
 * that no planned create needs, less those earlier holds of the run took), else delete it.
 */
export function onSignalFailure(
  hour: DateTime,
  now: DateTime,
  s: WindowSettings,
  spareSlots: number,
): { action: SignalFailureAction; why: string } {
  const ends = signalHoldEnds(hour, s);
  if (now >= ends)
    return {
      action: 'deleted-unsignalled',
      why: `held since ${deletableAt(hour, s).toISO()}, the most allowed`,
    };
  if (spareSlots <= 0)
    return { action: 'deleted-unsignalled', why: 'no quota slot to spare: a planned create needs it' };
  return { action: 'held', why: `stream kept for a retry by a later run until ${ends.toISO()}` };
}

// planRotation: (now, existing streams, settings) → creates, deletes, shortfall. Pure: the
// executor gathers the facts, this decides, so every rule below is property-tested without AWS.
import { DateTime } from 'luxon';
import './luxon-strict'; // hour arithmetic throws on an invalid date instead of comparing as false
import { knownOwners, parseKnownName, streamNamesFor } from './generations';
import { hourKey, streamKey } from './names';
import { OWNER_TAG, RotationSettings } from './settings';
import { deleteReason, drainWindow, madeUnderOther, mayDelete, remakeReason } from './stream-deletion';
import { hourOf, hoursToEnsure } from './time-window';
import { describeQuota, isNearTerm, plannedQuota, PlanSlots, QuotaReading, settingQuota } from './capacity';
import type { RegionCensus } from './region-census';
import { planSharing, SharingReport } from './sharing-plan';

/** Firehose stream states, plus UNKNOWN for a stream the executor did not describe. */
export type StreamStatus =
  'CREATING' | 'CREATING_FAILED' | 'ACTIVE' | 'DELETING' | 'DELETING_FAILED' | 'UNKNOWN';

export interface ExistingStream {
  name: string;
  status: StreamStatus;
  /** Undefined when not read; an unread stream is never treated as ours. */
  tags?: Record<string, string>;
}

export interface PlannedStream {
  name: string;
  hour: string;
}

export interface PlannedDelete extends PlannedStream {
  /**
   * `reconfigure`: a far-ahead stream (empty by I1) made under another configuration or owner,
   * deleted so the plan's create makes it again with the current one (I2: no in-place update).
   * `unneeded`: a far-ahead, empty stream the settings no longer name (a sibling beyond a lowered
   * streamsPerHour), deleted and not made again.
   * `over-share`: a far-ahead stream beyond this deployment's share, given back (empty by I1).
   * `orphan`: ours by tag under a prefix the settings do not name, far ahead or drained.
   */
  reason: 'drained' | 'creating-failed' | 'teardown' | 'reconfigure' | 'unneeded' | 'over-share' | 'orphan';
}

export interface RotationPlan {
  now: string;
  /** The quota planned with: the smaller of the `quota` setting and Service Quotas' value. */
  quota: number;
  /** Where `quota` came from, in words for the CLI and the run summary. */
  quotaSource: string;
  /** Streams this deployment may hold, its fallback included (streamBudget, at most the quota). */
  budget: number;
  /** Free slots far-ahead creates leave for near-term creates (reserveStreams). */
  reserve: number;
  /**
   * The fallback stream does not exist: an error (CLI exit code, metric, alarm). Its slot is held
   * anyway, so the hourly streams never take the room it needs to be recreated.
   */
  fallbackMissing: boolean;
  /** Streams in the account and Region before the plan, ours and foreign (fallback included). */
  countBefore: number;
  countAfter: number;
  foreignCount: number;
  deletes: PlannedDelete[];
  creates: PlannedStream[];
  /**
   * Our streams (tags read this run) made under another configuration that stay as they are:
   * near-term, open and draining hours keep the configuration they were made with until they are
   * deleted (I2); far-ahead ones are deleted and made again instead (deletes, `reconfigure`).
   */
  staleKept: string[];
  /**
   * Streams that should exist but do not fit the quota, nearest hour first, as stream keys: the
   * hour key for an hour's first stream, `<hour key>-<i>` for its sibling i (names.streamKey). With
   * one stream per hour these are exactly the hours without a stream.
   */
  shortfall: string[];
  /**
   * Streams of our name pattern whose tags, read this run, are not ours: never touched, reported.
   * One is usually another deployment with the same streamPrefix in this account and Region, whose
   * router and ours then write into each other's streams; a metric and an alarm carry it.
   */
  conflicts: string[];
  /** Streams with our name pattern that stay (ours, or not inspected this run). */
  keeps: string[];
  /** The other deployments seen and this one's far-ahead share (planned with a census only). */
  sharing?: SharingReport;
}

export type OwnedStream = ExistingStream & { hour: DateTime };

/**
 * Ours = the name pattern of the current or a live former prefix AND the ownership tag of the
 * current or a live former deployment (settings changes keep their streams ours until they drain).
 */
export function asOwned(stream: ExistingStream, s: RotationSettings): OwnedStream | undefined {
  const hour = parseKnownName(stream.name, s);
  const owner = stream.tags?.[OWNER_TAG];
  if (!hour || owner === undefined || !knownOwners(s).includes(owner)) return undefined;
  return { ...stream, hour };
}

/** Tags read and not the current configuration or owner. */
function isStale(stream: ExistingStream, s: RotationSettings): boolean {
  return stream.tags !== undefined && madeUnderOther(stream.tags, s);
}

/** What the executor must read before planning, beyond the names every stream is counted by. */
export interface InspectionNeeds {
  /** Drained streams of our name pattern: their tags prove ownership before any delete. */
  ownership: string[];
  /**
   * Our pattern's current and next hour: their status shows a CREATING_FAILED stream the router
   * would soon need; only such a stream also needs its tags read (to be replaced).
   */
  health: string[];
  /**
   * Our pattern's next hour: its tags are read every run too, so each hourly stream is proven ours
   * an hour before the router needs it. A stream of another owner under our name (a second stack
   * with the same streamPrefix) would otherwise receive our records unnoticed; it is reported.
   */
  proof: string[];
  /**
   * While a former configuration is live: every hour that has not opened yet, with status and
   * tags, so far-ahead streams made under the old configuration are made again before they open. Without
   * former configurations every stream was made under the current one and nothing is read.
   */
  config: string[];
}

/** Everything else is counted by name alone, which keeps control-plane calls near the floor. */
export function streamsToInspect(now: DateTime, names: string[], s: RotationSettings): InspectionNeeds {
  const current = hourOf(now);
  const next = current.plus({ hours: 1 });
  const needs: InspectionNeeds = { ownership: [], health: [], proof: [], config: [] };
  const window = drainWindow(s);
  const changing = s.formerGenerations.length > 0;
  for (const name of names) {
    const hour = parseKnownName(name, s);
    if (!hour) continue;
    if (mayDelete(hour, now, window)) needs.ownership.push(name);
    else if (hour.equals(current) || hour.equals(next)) needs.health.push(name);
    if (hour.equals(next)) needs.proof.push(name);
    if (changing && hour > current && !mayDelete(hour, now, window)) needs.config.push(name);
  }
  return needs;
}

export function planRotation(
  now: DateTime,
  existing: ExistingStream[],
  s: RotationSettings,
  reading: QuotaReading = settingQuota(s),
  /** Who else is in the Region (aws/discovery.ts); without it this deployment plans alone. */
  census?: RegionCensus,
): RotationPlan {
  const owned = existing.map((e) => asOwned(e, s)).filter((o): o is OwnedStream => o !== undefined);
  const deletes: PlannedDelete[] = [];
  // I2: far-ahead streams made under a former configuration are swapped, one delete for one create
  // of the same name with the current configuration (a slot freed and taken again: no quota needed).
  const swaps: PlannedDelete[] = [];
  for (const stream of owned) {
    const reason = deleteReason(stream, now, s) ?? remakeReason(stream, now, s);
    const planned = { name: stream.name, hour: hourKey(stream.hour) };
    if (reason === 'reconfigure') swaps.push({ ...planned, reason });
    else if (reason) deletes.push({ ...planned, reason });
  }
  const quota = plannedQuota(s.quota, reading);
  // Far-ahead streams over the share and orphans go too (sharing-plan.ts), before any create.
  const sharing = planSharing(now, existing, owned, deletes, census, s, quota);
  deletes.push(...sharing.deletes);
  // A stream given back over the share is not also swapped: it goes and is not made again.
  const overShare = new Set(sharing.deletes.map((d) => d.name));
  swaps.splice(0, swaps.length, ...swaps.filter((d) => !overShare.has(d.name)));
  const deleted = new Set(deletes.map((d) => d.name));
  const recreatable = new Set(deletes.filter((d) => d.reason === 'creating-failed').map((d) => d.name));
  const present = new Set(existing.map((e) => e.name));
  // Lookalikes: our name pattern, tags read, not ours. Unread ones are presumed ours for reporting
  // only; they are never deleted, because deletion requires the tag check above.
  const lookalikes = new Set(
    existing
      .filter((e) => e.tags !== undefined && parseKnownName(e.name, s) && !asOwned(e, s))
      .map((e) => e.name),
  );

  // Deletes run first, so the room for creates is what is left after them (capacity.ts: the
  // fallback's slot, the reserve far-ahead hours leave, the budget).
  const fallbackMissing = !present.has(s.fallbackStreamName);
  const slots = new PlanSlots(s, quota, {
    account: existing.length - deletes.length,
    ownHourly: existing.filter(
      (e) =>
        e.name !== s.fallbackStreamName &&
        parseKnownName(e.name, s) &&
        !deleted.has(e.name) &&
        !lookalikes.has(e.name),
    ).length,
    fallbackMissing,
  });
  const nearTerm = (h: DateTime) => isNearTerm(h, now);
  // Near-term hours first, so our own far-ahead hours never take the reserve from them either.
  // Every slot is one stream: an hour's N streams are planned together, index order, before the
  // next hour's, so a short quota leaves the farthest streams out, never a nearer hour's.
  const hours = hoursToEnsure(now, s);
  const creates: PlannedStream[] = [];
  const shortfall: string[] = [];
  for (const hour of [...hours.filter(nearTerm), ...hours.filter((h) => !nearTerm(h))]) {
    streamNamesFor(hour, s).forEach((name, index) => {
      if (present.has(name) && !recreatable.has(name)) return;
      if (!nearTerm(hour) && !sharing.mayAddFarAhead()) return;
      if (slots.mayCreate(nearTerm(hour))) {
        creates.push({ name, hour: hourKey(hour) });
        slots.take();
        if (!nearTerm(hour)) sharing.addedFarAhead();
      } else {
        shortfall.push(streamKey(hour, index));
      }
    });
  }
  // An hour is remade whole or not at all: a stale stream of it that cannot be remade now (still
  // CREATING) would keep the former destination beside the remade ones; the next run retries.
  const blocked = new Set(
    owned
      .filter((o) => o.status !== 'ACTIVE' && !deleted.has(o.name) && isStale(o, s))
      .map((o) => hourKey(o.hour)),
  );
  swaps.splice(0, swaps.length, ...swaps.filter((d) => !blocked.has(d.hour)));
  swaps.sort((a, b) => a.hour.localeCompare(b.hour) || a.name.localeCompare(b.name));
  deletes.push(...swaps);
  creates.push(...swaps.map(({ name, hour }) => ({ name, hour })));
  const swapped = new Set(swaps.map((d) => d.name));
  const keeps = existing
    .filter((e) => parseKnownName(e.name, s))
    .filter((e) => !deleted.has(e.name) && !swapped.has(e.name) && !lookalikes.has(e.name))
    .map((e) => e.name);
  const staleKept = owned
    .filter((o) => !deleted.has(o.name) && !swapped.has(o.name) && isStale(o, s))
    .map((o) => o.name)
    .sort();
  const countAfter = existing.length - deletes.length + creates.length;
  return {
    now: now.toUTC().toISO(),
    quota,
    quotaSource: describeQuota(s.quota, reading),
    budget: slots.budget,
    reserve: slots.limits.reserve,
    fallbackMissing,
    countBefore: existing.length,
    countAfter,
    // Orphans still draining are ours by tag, not foreign.
    foreignCount: existing.length - keeps.length - deletes.length - sharing.report().orphansDraining.length,
    deletes,
    creates,
    staleKept,
    shortfall,
    conflicts: [...lookalikes].sort(),
    keeps,
    ...(census ? { sharing: sharing.report() } : {}),
  };
}

// `status`: what exists now, read live. The model (which window each hour is in, the headroom, the
// next hour without a stream) is pure; `gatherStatus` only collects names and states to feed it.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import '../core/luxon-strict'; // hour arithmetic (the next hour without a stream) throws, never NaN
import { CONFIG_TAG, configDigest, parseKnownName, streamNameFor } from '../core/generations';
import { hourKey } from '../core/names';
import { OWNER_TAG, RotationSettings } from '../core/settings';
import { isOpen } from '../core/event-hour';
import { horizonEnd, hourOf } from '../core/time-window';
import { drainWindow, mayDelete } from '../core/stream-deletion';
import { describeStatus, listStreamNames, readTags } from '../aws/firehose-streams';
import type { SharingStatus } from './sharing-lines';

/** Where an hour stands relative to `now`, in the shared time window's terms. */
type HourWindow = 'current' | 'upcoming' | 'accepting-late' | 'draining' | 'deletable' | 'beyond-horizon';

/** A Firehose stream state, or MISSING when the stream does not exist (or vanished meanwhile). */
type LiveState = string;

export interface HourlyStreamStatus {
  name: string;
  hour: string;
  state: LiveState;
  window: HourWindow;
  /**
   * Which configuration the stream was made (or last updated) with, from its tags: `current`, or
   * `differs (config <digest>, owner <id>)` for a stream made before a settings change (open
   * hours keep theirs until deleted; the rotation updates hours not yet open), or `unknown`.
   */
  config: string;
}

export interface StatusReport {
  now: string;
  region: string;
  quota: number;
  /** Where `quota` came from; statusCommand fills it in after reading Service Quotas. */
  quotaSource?: string;
  streamsInRegion: number;
  /** quota − every stream in the Region (ours, foreign, fallback); negative means over quota. */
  headroom: number;
  fallback: { name: string; state: LiveState };
  /**
   * Streams named `<streamPrefix>-yyyyMMddHH` and, with streamsPerHour > 1, its siblings `…-<i>`
   * (a live former prefix too), oldest hour first.
   */
  hourly: HourlyStreamStatus[];
  /**
   * First hour from the current one on whose first stream (index 0) is missing: the router sends it
   * to the fallback. A missing sibling does not count: its share goes to the hour's first stream.
   */
  nextHourWithoutStream: string;
  /** Other deployments, this one's share and orphans; statusCommand fills it in (sharing-status.ts). */
  sharing?: SharingStatus;
}

function hourWindow(hour: DateTime, now: DateTime, s: RotationSettings): HourWindow {
  const current = hourOf(now);
  if (hour >= horizonEnd(now, s)) return 'beyond-horizon';
  if (hour.equals(current)) return 'current';
  if (hour > current) return 'upcoming';
  if (isOpen(hour, now, s)) return 'accepting-late';
  // The window the planner deletes by: a former configuration's longer lateness keeps it draining.
  return mayDelete(hour, now, drainWindow(s)) ? 'deletable' : 'draining';
}

function nextHourWithoutStream(now: DateTime, names: readonly string[], s: RotationSettings): string {
  const present = new Set(names);
  let hour = hourOf(now);
  // Terminates: the names are finite, so some hour after the last one is free.
  while (present.has(streamNameFor(hour, s))) hour = hour.plus({ hours: 1 });
  return hourKey(hour);
}

export interface StatusFacts {
  region: string;
  names: string[];
  /** State of the fallback and of every hourly-named stream, by name. */
  states: Record<string, LiveState>;
  /** Tags of every hourly-named stream, by name (missing: could not be read). */
  tags?: Record<string, Record<string, string> | undefined>;
}

/** `current`, `differs (…)` or `unknown`: what the tags say about the stream's configuration. */
function configOf(tags: Record<string, string> | undefined, s: RotationSettings): string {
  if (!tags) return 'unknown';
  const digest = tags[CONFIG_TAG] ?? 'none';
  const owner = tags[OWNER_TAG] ?? 'none';
  if (digest === configDigest(s) && owner === s.deploymentId) return 'current';
  return `differs (config ${digest}, owner ${owner})`;
}

export function buildStatus(now: DateTime, facts: StatusFacts, s: RotationSettings): StatusReport {
  const hourly = facts.names
    .map((name) => ({ name, hour: parseKnownName(name, s) }))
    .filter((e): e is { name: string; hour: DateTime } => e.hour !== undefined)
    .sort((a, b) => a.hour.toMillis() - b.hour.toMillis())
    .map(({ name, hour }) => ({
      name,
      hour: hourKey(hour),
      state: facts.states[name] ?? 'MISSING',
      window: hourWindow(hour, now, s),
      config: configOf(facts.tags?.[name], s),
    }));
  return {
    now: now.toUTC().toISO(),
    region: facts.region,
    quota: s.quota,
    streamsInRegion: facts.names.length,
    headroom: s.quota - facts.names.length,
    fallback: { name: s.fallbackStreamName, state: facts.states[s.fallbackStreamName] ?? 'MISSING' },
    hourly,
    nextHourWithoutStream: nextHourWithoutStream(now, facts.names, s),
  };
}

/** One List, then one Describe and one ListTags per hourly-named stream, a Describe of the fallback. */
export async function gatherStatus(client: FirehoseClient, s: RotationSettings): Promise<StatusFacts> {
  const names = await listStreamNames(client);
  const states: Record<string, LiveState> = {};
  const tags: StatusFacts['tags'] = {};
  const described = names.filter((n) => parseKnownName(n, s));
  for (const name of [s.fallbackStreamName, ...described]) {
    states[name] = (names.includes(name) && (await describeStatus(client, name))) || 'MISSING';
  }
  // Tags show which configuration each stream was made with (settings changes: docs/lifecycle.md).
  for (const name of described) tags[name] = await readTags(client, name);
  return { region: await client.config.region(), names, states, tags };
}

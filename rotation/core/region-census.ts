// Who else is in the Region: the deployments present (hourly streams and fallbacks carrying a
// deployment id), this one's streams under a prefix its settings do not name (ownership is the
// tag), and the foreign streams. The executor lists names and reads the few tags this module asks
// for; this module decides. Pure: no AWS or Pulumi imports.
//
// Cost, bounded: one ListTags per other hourly prefix (a sample: one deployment's hourly streams
// share its prefix and tag), one per `*-fallback` name not ours, and one per stream of a prefix
// whose sample is ours. With D deployments and F other fallbacks that is about D + F calls per
// run, not one per stream: at 5 calls/s a Region of 5,000 streams of 50 deployments costs ~20 s.
// At most MAX_TAG_SAMPLES prefixes are sampled a run; the rest count as one deployment each.
// Nothing is cached across runs: a deployment that arrives or leaves is seen at the next run.
import { DateTime } from 'luxon';
import './luxon-strict'; // hour arithmetic throws on an invalid date instead of comparing as false
import { isNearTerm } from './capacity';
import { knownOwners, knownPrefixes, parseKnownHourlyName } from './generations';
import { parseHourlyName, streamKeyOfName, TAG_NAMESPACE } from './names';
import type { StreamStatus } from './planner';
import { OWNER_TAG, RotationSettings } from './settings';

/** On a fallback stream: the deployment it serves (never OWNER_TAG: rotation deletes by that one). */
export const FALLBACK_OF_TAG = `${TAG_NAMESPACE}fallback-of`;
/** Prefixes (and fallbacks) whose tags one run reads at most: 2 × 50 calls ≈ 20 s at 5 calls/s. */
const MAX_TAG_SAMPLES = 50;
const FALLBACK_SUFFIX = '-fallback';

export type Tags = Record<string, string>;

/** Hourly-shaped streams of one prefix that the settings do not name. */
interface PrefixGroup {
  prefix: string;
  /** Name and hour, farthest hour first: the sample is the newest stream. */
  streams: { name: string; hour: DateTime }[];
}

export interface OtherDeployment {
  id: string;
  /** Its streams of hours up to the next one (current, next, open or draining past hours). */
  nearTerm: number;
  farAhead: number;
  fallback: boolean;
}

/** A stream carrying this deployment's owner tag under a prefix the settings do not name. */
export interface OrphanStream {
  name: string;
  hour: DateTime;
  status: StreamStatus;
  /** Read from the stream (DescribeDeliveryStream) when its drain depends on it. */
  bufferingIntervalSeconds?: number;
}

export interface RegionCensus {
  others: OtherDeployment[];
  /** Streams of no deployment: other teams' streams, untagged or unread lookalikes. */
  foreign: number;
  orphans: OrphanStream[];
  /** ListTags calls this census cost. */
  tagReads: number;
}

function groupsOf(names: string[], s: RotationSettings): PrefixGroup[] {
  const known = new Set(knownPrefixes(s));
  const groups = new Map<string, PrefixGroup>();
  for (const name of names) {
    if (name === s.fallbackStreamName || parseKnownHourlyName(name, s)) continue;
    const key = streamKeyOfName(name);
    const prefix = key && name.slice(0, -key.length - 1);
    // A known prefix with a sibling index beyond N is counted foreign, as the planner does.
    if (!prefix || known.has(prefix)) continue;
    const hour = parseHourlyName(prefix, name)?.hour;
    if (!hour) continue;
    const g = groups.get(prefix) ?? { prefix, streams: [] };
    g.streams.push({ name, hour });
    groups.set(prefix, g);
  }
  for (const g of groups.values()) g.streams.sort((a, b) => b.hour.toMillis() - a.hour.toMillis());
  return [...groups.values()].sort((a, b) => a.prefix.localeCompare(b.prefix));
}

const fallbackNames = (names: string[], s: RotationSettings) =>
  names.filter((n) => n.endsWith(FALLBACK_SUFFIX) && n !== s.fallbackStreamName && !streamKeyOfName(n));

/** First pass: one sample per other prefix and every other `*-fallback`, within the cap. */
export function sampleReads(names: string[], s: RotationSettings): string[] {
  const samples = groupsOf(names, s).map((g) => g.streams[0].name);
  return [...samples.slice(0, MAX_TAG_SAMPLES), ...fallbackNames(names, s).slice(0, MAX_TAG_SAMPLES)];
}

/** Second pass: every stream of a prefix whose sample carries our owner tag (its tags prove each). */
export function orphanReads(
  names: string[],
  tags: Map<string, Tags | undefined>,
  s: RotationSettings,
): string[] {
  const owners = knownOwners(s);
  return groupsOf(names, s)
    .filter((g) => owners.includes(tags.get(g.streams[0].name)?.[OWNER_TAG] ?? ''))
    .flatMap((g) => g.streams.map((x) => x.name))
    .filter((n) => !tags.has(n));
}

/**
 * The census at `now` from every name in the Region and the tags read (a name absent from `tags`
 * was not read). Streams named by the settings are not counted here: the planner owns them.
 */
export function takeCensus(
  now: DateTime,
  names: string[],
  tags: Map<string, Tags | undefined>,
  s: RotationSettings,
): RegionCensus {
  const owners = knownOwners(s);
  const others = new Map<string, OtherDeployment>();
  const entry = (id: string) => {
    const d = others.get(id) ?? { id, nearTerm: 0, farAhead: 0, fallback: false };
    others.set(id, d);
    return d;
  };
  const orphans: OrphanStream[] = [];
  const counted = new Set<string>();
  const groups = groupsOf(names, s);
  groups.forEach((g, i) => {
    const sampleOwner = tags.get(g.streams[0].name)?.[OWNER_TAG];
    // A prefix not sampled (over the cap) still counts as a deployment, the careful side.
    const groupOwner = i < MAX_TAG_SAMPLES ? sampleOwner : `unread:${g.prefix}`;
    for (const x of g.streams) {
      const own = tags.get(x.name)?.[OWNER_TAG];
      if (own !== undefined && owners.includes(own)) {
        orphans.push({ name: x.name, hour: x.hour, status: 'UNKNOWN' });
      } else if (groupOwner !== undefined && !owners.includes(groupOwner)) {
        const d = entry(groupOwner);
        if (isNearTerm(x.hour, now)) d.nearTerm += 1;
        else d.farAhead += 1;
      } else continue; // untagged lookalike, or one of our prefix not proven ours: foreign
      counted.add(x.name);
    }
    // A fallback named `<prefix>-fallback` belongs to the prefix's deployment, tag or not.
    const fallback = `${g.prefix}${FALLBACK_SUFFIX}`;
    if (groupOwner && !owners.includes(groupOwner) && names.includes(fallback)) {
      entry(groupOwner).fallback = true;
      counted.add(fallback);
    }
  });
  for (const name of fallbackNames(names, s)) {
    const id = tags.get(name)?.[FALLBACK_OF_TAG];
    if (id === undefined || owners.includes(id) || counted.has(name)) continue;
    entry(id).fallback = true;
    counted.add(name);
  }
  const ours = names.filter((n) => n === s.fallbackStreamName || parseKnownHourlyName(n, s));
  return {
    others: [...others.values()].sort((a, b) => a.id.localeCompare(b.id)),
    foreign: names.length - ours.length - counted.size,
    orphans,
    tagReads: tags.size,
  };
}

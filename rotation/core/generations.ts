// Settings changes on a live stack. Hourly streams keep the configuration they were made with, so
// a stack remembers its former configurations ("generations") for as long as a stream made under
// one can exist, and every part that deals with streams asks this module instead of the current
// settings alone: which names are ours (former prefixes and owners too), which name an hour's
// stream has, and which S3 prefixes the delivery role must still allow. When a stream may go (the
// longest drain of any live generation) is core/stream-deletion.ts, over the generations kept here.
//
// Why a list passed in by Pulumi and not a stable identity tag on every stream: the rotation would
// then have to read the tags of every stream in the account on every run to find its own (a
// 5,000-stream quota at 5 calls/s is 17 minutes); a short list of former prefixes keeps discovery
// at one List call plus the names that match. The Pulumi program builds the list from its own
// previous stack outputs (components/generation-state.ts); this module is the pure arithmetic and
// the schemas of what it reads: a generation, the exported state, the settings' formerGenerations.
//
// Layout: core/settings.ts builds its `formerGenerations` field from the schema here, so this
// module takes only types from settings, with `import type` (import-x/no-cycle reads a plain
// import as a value edge, and a value edge back would be a circle). What both need at run time
// sits below them: the tag namespace in core/names.ts, the config tag here beside the digest it
// carries. Pure: no AWS or Pulumi imports.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import './luxon-strict'; // a stored expiry that does not parse throws, not reads as expired
import {
  hourFromKey,
  hourKey,
  HourlyName,
  hourStreamNames,
  parseHourlyName,
  streamName,
  TAG_NAMESPACE,
} from './names';
import type { RotationSettings } from './settings';
import { drainDuration, horizonEnd, longestWindow } from './time-window';

// zod/mini ships without messages for its built-in checks ("Invalid input"). Set here as in
// core/settings.ts rather than relied on from its import: a malformed exported state is then
// reported in words whichever module the program loads first.
z.config(en());

/** The tag carrying the digest of the configuration a stream was made (or last updated) with. */
export const CONFIG_TAG = `${TAG_NAMESPACE}config`;

/**
 * Every setting that shapes a stream's destination: exactly what stream-config's request reads
 * besides the hour (test/core/generations.test.ts proves the two agree).
 */
export const STREAM_SHAPING_FIELDS = [
  'dataPrefix',
  'errorOutputPrefix',
  'bufferingSizeMiB',
  'bufferingIntervalSeconds',
  'compression',
  'bucketArn',
  'deliveryRoleArn',
  'kmsKeyArn',
  'logGroupName',
] as const;

/** 16 hex characters of SHA-256 over the stream-shaping settings: short enough for a tag value. */
export function configDigest(s: Pick<RotationSettings, (typeof STREAM_SHAPING_FIELDS)[number]>): string {
  const fields = STREAM_SHAPING_FIELDS.map((f) => [f, s[f] ?? null]);
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 16);
}

/**
 * How many settings changes may still have live streams at once: each adds ~300 bytes to the
 * functions' 4 KB Lambda environment.
 */
const MAX_FORMER_GENERATIONS = 4;

const HOUR_KEY = /^\d{10}$/;

/**
 * What a generation is: everything a former stream's name, ownership, drain and writes depend on
 * (generationOf makes one from the settings).
 */
const generationShape = {
  streamPrefix: z.string(),
  deploymentId: z.string(),
  dataPrefix: z.string(),
  errorOutputPrefix: z.string(),
  fallbackPrefix: z.string(),
  latenessMinutes: z.int(),
  bufferingIntervalSeconds: z.int(),
  safetyMarginMinutes: z.int(),
  horizonDays: z.int(),
  configDigest: z.string(),
  /** Absent in states exported before streamsPerHour existed: those stacks had one per hour. */
  streamsPerHour: z._default(z.int(), 1),
  /**
   * Absent in states exported before earlyMinutes existed: that router wrote early records to any
   * hour before the horizon, so the streams made under it are not known to be empty (I1).
   */
  earlyMinutes: z.optional(z.int()),
};
const generationSchema = z.strictObject(generationShape);
export type Generation = z.output<typeof generationSchema>;

/** One former configuration: what streams made under it need until they are gone. */
const formerGenerationSchema = z.strictObject({
  ...generationShape,
  /** Hours before this one (key yyyyMMddHH) keep this configuration's stream name. */
  namesUntil: z.string().check(z.regex(HOUR_KEY, { error: 'must be an hour key yyyyMMddHH' })),
  /** After this instant (ISO-8601 UTC) no stream made under this configuration can exist. */
  expires: z.iso.datetime({ error: 'must be an ISO-8601 UTC instant' }),
});
export type FormerGeneration = z.output<typeof formerGenerationSchema>;

/** The settings' `formerGenerations` (core/settings.ts): the live former configurations, at most 4. */
export const formerGenerationsSchema = z.array(formerGenerationSchema).check(
  z.maxLength(MAX_FORMER_GENERATIONS, {
    error: `at most ${MAX_FORMER_GENERATIONS} former configurations may be live at once; wait until the oldest expires (see docs/lifecycle.md)`,
  }),
);

/** What each `up` exports and the next one reads back (components/generation-state.ts). */
export const generationStateSchema = z.strictObject({
  current: generationSchema,
  formers: z.array(formerGenerationSchema),
});
export type GenerationState = z.output<typeof generationStateSchema>;

export function generationOf(s: RotationSettings): Generation {
  return {
    streamPrefix: s.streamPrefix,
    deploymentId: s.deploymentId,
    dataPrefix: s.dataPrefix,
    errorOutputPrefix: s.errorOutputPrefix,
    fallbackPrefix: s.fallbackPrefix,
    latenessMinutes: s.latenessMinutes,
    bufferingIntervalSeconds: s.bufferingIntervalSeconds,
    safetyMarginMinutes: s.safetyMarginMinutes,
    horizonDays: s.horizonDays,
    configDigest: configDigest(s),
    streamsPerHour: s.streamsPerHour,
    earlyMinutes: s.earlyMinutes,
  };
}

function sameGeneration(a: Generation, b: Generation): boolean {
  const keys = Object.keys(b) as (keyof Generation)[];
  return keys.length === Object.keys(a).length && keys.every((k) => a[k] === b[k]);
}

/**
 * The name of hour H's stream: a former prefix for the hours its generation had already created
 * (before its `namesUntil`), the current one after. The router and the rotation both ask here.
 */
export function streamNameFor(
  hour: DateTime,
  s: Pick<RotationSettings, 'streamPrefix' | 'formerGenerations'>,
  index = 0,
): string {
  return streamName(prefixFor(hour, s), hour, index);
}

function prefixFor(hour: DateTime, s: Pick<RotationSettings, 'streamPrefix' | 'formerGenerations'>): string {
  const key = hourKey(hour);
  return s.formerGenerations.find((f) => key < f.namesUntil)?.streamPrefix ?? s.streamPrefix;
}

/**
 * The names of hour H's streams, index order: the prefix as streamNameFor picks it, and the
 * current streamsPerHour for every hour. N applies at once (not at namesUntil) because a missing
 * sibling costs nothing: the router sends a sibling's share to index 0 when the sibling does not
 * exist yet, and a sibling beyond N of a near-term hour stays until its hour has drained like any
 * other stream (a far-ahead one is empty and goes at once: core/stream-deletion.ts `unneeded`).
 */
export function streamNamesFor(
  hour: DateTime,
  s: Pick<RotationSettings, 'streamPrefix' | 'formerGenerations' | 'streamsPerHour'>,
): string[] {
  return hourStreamNames(prefixFor(hour, s), hour, s.streamsPerHour);
}

/** The most streams any hour of a live generation may have: what IAM and discovery must cover. */
export function maxStreamsPerHour(s: Pick<RotationSettings, 'streamsPerHour' | 'formerGenerations'>): number {
  return Math.max(s.streamsPerHour, ...s.formerGenerations.map((f) => f.streamsPerHour));
}

/** Every prefix a stream of ours may be named with, current first. */
export function knownPrefixes(s: RotationSettings): string[] {
  return [...new Set([s.streamPrefix, ...s.formerGenerations.map((f) => f.streamPrefix)])];
}

/** Every ownership tag value a stream of ours may carry, current first. */
export function knownOwners(s: RotationSettings): string[] {
  return [...new Set([s.deploymentId, ...s.formerGenerations.map((f) => f.deploymentId)])];
}

/**
 * Hour and index of a stream named `<any known prefix>-yyyyMMddHH` or, for an index below
 * maxStreamsPerHour, `…-yyyyMMddHH-<i>`; undefined for any other name. A sibling-shaped name beyond
 * every live generation's N is not ours: the roles' policies do not cover it (components/policy.ts),
 * so the rotation must not even read its tags; it is counted as a foreign stream.
 */
export function parseKnownHourlyName(name: string, s: RotationSettings): HourlyName | undefined {
  if (name === s.fallbackStreamName) return undefined;
  const n = maxStreamsPerHour(s);
  for (const prefix of knownPrefixes(s)) {
    const parsed = parseHourlyName(prefix, name);
    if (parsed && parsed.index < n) return parsed;
  }
  return undefined;
}

/** The hour of a stream of ours by name (parseKnownHourlyName), or undefined. */
export function parseKnownName(name: string, s: RotationSettings): DateTime | undefined {
  return parseKnownHourlyName(name, s)?.hour;
}

/**
 * Streams of a retired generation are named under it until `namesUntil`, which must be past every
 * hour its rotation may still have created: its horizon as of an hour after the `up` started (the
 * old function can run until Pulumi replaces it; an `up` that takes longer is the one gap).
 */
const DEPLOY_ALLOWANCE = { hours: 1 };
/** Hourly runs that may still be needed after the last drain instant before a generation is dropped. */
const EXPIRY_SLACK = { hours: 6 };

/**
 * The former generations after an `up` at `now` that moves from `previous` (the last deployment's
 * exported state; undefined on the first deploy) to `next`: expired ones dropped, the previous
 * current one retired when anything about it differs. Expiry: the last hour named under a
 * generation drains at namesUntil + the longest drain of any live generation; a few hourly runs of
 * slack later no stream of it can be left.
 */
export function nextFormers(
  previous: GenerationState | undefined,
  next: RotationSettings,
  now: DateTime,
): FormerGeneration[] {
  const kept = (previous?.formers ?? []).filter((f) => now < DateTime.fromISO(f.expires, { zone: 'utc' }));
  const formers = kept.map((f) => ({ ...f }));
  const current = generationOf(next);
  if (previous && !sameGeneration(previous.current, current)) {
    const until = horizonEnd(now.plus(DEPLOY_ALLOWANCE), previous.current);
    const later = formers.map((f) => hourFromKey(f.namesUntil)!).filter((h) => h > until);
    const namesUntil = later.length ? DateTime.max(...later)! : until;
    formers.push({ ...previous.current, namesUntil: hourKey(namesUntil), expires: '' });
  }
  // The drain deletes are judged by (stream-deletion.ts drainWindow): every kept generation's.
  const drain = drainDuration(longestWindow([next, ...formers]));
  for (const f of formers) {
    const expires = hourFromKey(f.namesUntil)!.plus(drain).plus(EXPIRY_SLACK);
    // Never shortened: a stream drained under a longer window may still be waiting for it.
    const before = f.expires ? DateTime.fromISO(f.expires, { zone: 'utc' }) : expires;
    f.expires = DateTime.max(expires, before).toUTC().toISO()!;
  }
  return formers;
}

/**
 * The S3 prefixes an `up` at `now` must keep allowing besides the new settings' own: the last
 * deployment's and those of its former generations that have not expired. Equal, together with
 * the new prefixes, to the data, fallback and error prefixes of every live generation of the
 * settings the same `up` gives the functions (nextFormers retires the last deployment's
 * generation exactly when it differs; test/core/generations.test.ts checks it), but computable
 * before the delivery role exists, which the settings' config digest needs.
 */
export function retainedObjectPrefixes(previous: GenerationState | undefined, now: DateTime): string[] {
  if (!previous) return [];
  const live = previous.formers.filter((f) => now < DateTime.fromISO(f.expires, { zone: 'utc' }));
  const all = [...live, previous.current];
  return [...new Set(all.flatMap((g) => [g.dataPrefix, g.fallbackPrefix, g.errorOutputPrefix]))];
}

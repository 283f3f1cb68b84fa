// Stream names and S3 prefixes of an hour, and their inverses, and the namespace of the tag keys
// this deployment sets (core/settings.ts and core/generations.ts both build keys in it, and
// generations.ts may not import values from settings.ts). Pure: no AWS or Pulumi imports.
import { DateTime } from 'luxon';
import './luxon-strict'; // hourFromKey's caller relies on luxon throwing on an impossible hour
import { utc } from './time-window';

/** Tag keys reserved for ownership; user tags may not use this namespace. */
export const TAG_NAMESPACE = 'firehose-rotation:';

/** Firehose names are 1-64 characters; an hourly name adds "-yyyyMMddHH" (11) to the prefix. */
export const MAX_STREAM_NAME_LENGTH = 64;
export const HOUR_KEY_LENGTH = 10;
export const MAX_PREFIX_LENGTH = MAX_STREAM_NAME_LENGTH - HOUR_KEY_LENGTH - 1;
export const HOUR_KEY_FORMAT = 'yyyyMMddHH';

/**
 * Streams per hour (settings.streamsPerHour). Index 0 keeps the one-stream name
 * `<prefix>-yyyyMMddHH`, so N = 1 names exactly what it always named and raising N only adds
 * siblings `<prefix>-yyyyMMddHH-<i>` (i = 1..N-1, no leading zero). The hour key has exactly ten
 * digits and the index one or two, so the hour and the index parse back unambiguously.
 */
export const MAX_STREAMS_PER_HOUR = 16;
const SIBLING_INDEX = /^[1-9]\d?$/;

/** Characters the sibling suffix "-<N-1>" adds to the longest name (0 when N = 1). */
function siblingSuffixLength(streamsPerHour: number): number {
  return streamsPerHour <= 1 ? 0 : 1 + String(streamsPerHour - 1).length;
}

/** The longest stream prefix whose hourly names of every index fit Firehose's 64 characters. */
export function maxPrefixLength(streamsPerHour: number): number {
  return MAX_PREFIX_LENGTH - siblingSuffixLength(streamsPerHour);
}

/** "2026112205" for 2026-11-22T05:00Z. */
export function hourKey(hour: DateTime): string {
  return utc(hour).toFormat(HOUR_KEY_FORMAT);
}

export function hourFromKey(key: string): DateTime | undefined {
  if (!/^\d{10}$/.test(key)) return undefined;
  const hour = DateTime.fromFormat(key, HOUR_KEY_FORMAT, { zone: 'utc' });
  // luxon reads hour "24" as the next day's 00; only a key that round-trips names an hour.
  return hour.toFormat(HOUR_KEY_FORMAT) === key ? hour : undefined;
}

/** Index `index` (0-based) of hour H's streams: index 0 is the plain hourly name. */
export function streamName(prefix: string, hour: DateTime, index = 0): string {
  return `${prefix}-${streamKey(hour, index)}`;
}

/**
 * A stream's name without its prefix: the hour key, plus "-<i>" for sibling i. The rotation
 * reports missing streams this way (Shortfall), so with one stream per hour the report lists
 * hour keys exactly as it always did.
 */
export function streamKey(hour: DateTime, index = 0): string {
  return index === 0 ? hourKey(hour) : `${hourKey(hour)}-${index}`;
}

/** The stream key at the end of an hourly name of any prefix (`…-yyyyMMddHH[-i]`), or undefined. */
export function streamKeyOfName(name: string): string | undefined {
  return /-(\d{10}(?:-[1-9]\d?)?)$/.exec(name)?.[1];
}

/** All `streamsPerHour` names of hour H, index order. */
export function hourStreamNames(prefix: string, hour: DateTime, streamsPerHour: number): string[] {
  return Array.from({ length: streamsPerHour }, (_, i) => streamName(prefix, hour, i));
}

export interface HourlyName {
  hour: DateTime;
  /** 0 for `<prefix>-yyyyMMddHH`, i for `<prefix>-yyyyMMddHH-<i>`. */
  index: number;
}

/**
 * The hour and index of an hourly stream, or undefined when `name` is neither
 * `<prefix>-yyyyMMddHH` nor `<prefix>-yyyyMMddHH-<i>` with 1 <= i < MAX_STREAMS_PER_HOUR.
 */
export function parseHourlyName(prefix: string, name: string): HourlyName | undefined {
  if (!name.startsWith(`${prefix}-`)) return undefined;
  const rest = name.slice(prefix.length + 1);
  const key = rest.slice(0, HOUR_KEY_LENGTH);
  const suffix = rest.slice(HOUR_KEY_LENGTH);
  let index = 0;
  if (suffix) {
    if (suffix[0] !== '-' || !SIBLING_INDEX.test(suffix.slice(1))) return undefined;
    index = Number(suffix.slice(1));
    if (index >= MAX_STREAMS_PER_HOUR) return undefined;
  }
  try {
    const hour = hourFromKey(key);
    return hour ? { hour, index } : undefined;
  } catch {
    return undefined; // luxon throws on invalid dates under throwOnInvalid
  }
}

/** The hour an hourly stream (of any index) serves, or undefined for any other name. */
export function parseStreamName(prefix: string, name: string): DateTime | undefined {
  return parseHourlyName(prefix, name)?.hour;
}

/** Hive-style partition prefix of an hour: "data/dt=2026-11-22/hr=05/". */
export function hourPrefix(base: string, hour: DateTime): string {
  const h = utc(hour);
  return `${base}/dt=${h.toFormat('yyyy-MM-dd')}/hr=${h.toFormat('HH')}/`;
}

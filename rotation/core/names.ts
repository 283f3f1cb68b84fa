// Stream names and S3 prefixes of an hour, and their inverses. Pure: no AWS or Pulumi imports.
import { DateTime } from 'luxon';
import { utc } from './time-window';

/** Firehose names are 1-64 characters; an hourly name adds "-yyyyMMddHH" (11) to the prefix. */
export const MAX_STREAM_NAME_LENGTH = 64;
export const HOUR_KEY_LENGTH = 10;
export const MAX_PREFIX_LENGTH = MAX_STREAM_NAME_LENGTH - HOUR_KEY_LENGTH - 1;
export const HOUR_KEY_FORMAT = 'yyyyMMddHH';

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

export function streamName(prefix: string, hour: DateTime): string {
  return `${prefix}-${hourKey(hour)}`;
}

/** The hour an hourly stream serves, or undefined when `name` is not exactly `<prefix>-yyyyMMddHH`. */
export function parseStreamName(prefix: string, name: string): DateTime | undefined {
  if (name.length !== prefix.length + 1 + HOUR_KEY_LENGTH || !name.startsWith(`${prefix}-`)) return undefined;
  try {
    return hourFromKey(name.slice(prefix.length + 1));
  } catch {
    return undefined; // luxon throws on invalid dates under throwOnInvalid
  }
}

/** Hive-style partition prefix of an hour: "data/dt=2026-11-22/hr=05/". */
export function hourPrefix(base: string, hour: DateTime): string {
  const h = utc(hour);
  return `${base}/dt=${h.toFormat('yyyy-MM-dd')}/hr=${h.toFormat('HH')}/`;
}

/**
 * The rotation's EventBridge schedule (group "default"), named from the stream prefix so the
 * function can find it without a cycle: on a lifecycle delete, a schedule still there means a
 * replacement, not a destroy. Schedule names allow 64 characters of [0-9a-zA-Z-_.]; the longest
 * prefix (53) gives 62.
 */
export function rotationScheduleName(streamPrefix: string): string {
  return `${streamPrefix}-rotation`;
}

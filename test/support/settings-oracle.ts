// An independent statement of the settings rules, written from the README's settings table and
// AWS's documented limits rather than from settings.ts, with fast-check arbitraries for valid and
// hostile values of every field. The fuzz test checks the schema against this oracle.
import fc from 'fast-check';

export const BASE = {
  deploymentId: 'demo/dev',
  streamPrefix: 'events',
  fallbackStreamName: 'events-fallback',
  bucketArn: 'arn:aws:s3:::demo-lake',
  deliveryRoleArn: 'arn:aws:iam::123456789012:role/demo-delivery',
} as const;

/** Live-window arithmetic from the README: ceil(drain / 1 h) + 2, with the documented defaults. */
export function liveWindow(lateness = 60, bufferSeconds = 300, margin = 15): number {
  return Math.ceil((lateness + margin + bufferSeconds / 60) / 60) + 2;
}

/** A 10-digit key names an hour when it round-trips through a UTC date (no hour 24, no 31 Feb). */
function isHourKey(key: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(key);
  if (!m) return false;
  const [y, mo, d, h] = m.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h);
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h
  );
}

interface IntRule {
  kind: 'int';
  min: number;
  max: number;
  message: string;
}
interface OtherRule {
  kind: 'other';
  valid: (v: unknown) => boolean;
  arbitrary: fc.Arbitrary<unknown>;
}
export type Rule = IntRule | OtherRule;

const int = (min: number, max: number, unit: string): IntRule => ({
  kind: 'int',
  min,
  max,
  message: `must be an integer from ${min} to ${max} ${unit}`,
});
const str = (
  re: RegExp,
  arbitrary: fc.Arbitrary<string>,
  extra: (v: string) => boolean = () => true,
): OtherRule => ({
  kind: 'other',
  valid: (v) => typeof v === 'string' && re.test(v) && extra(v),
  arbitrary,
});

const SEGMENT = "[a-zA-Z0-9!_.*'()=-]+";
const S3_PREFIX = new RegExp(`^${SEGMENT}(/${SEGMENT})*$`);
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
/** A prefix field, judged against the other two at their defaults. */
const prefix = (others: string[]): OtherRule =>
  str(
    S3_PREFIX,
    fc.oneof(
      fc.stringMatching(new RegExp(`^${SEGMENT}(/${SEGMENT}){0,3}$`)),
      fc.constantFrom(...others, `${others[0]}/x`),
    ),
    (v) => v.length <= 512 && others.every((o) => !overlaps(v, o)),
  );

const RESERVED = ['firehose-rotation:', 'aws:'];
/** The tag character set IAM and S3 document (Firehose also takes "%", they do not). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** docs/settings.md's tag rule (≤ 46 tags: Firehose allows 50 and the code adds 4; keys 1–128 and unique ignoring case, values ≤ 256, IAM's characters, reserved namespaces in any case). */
function validTags(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const entries = Object.entries(v);
  return (
    entries.length <= 46 &&
    new Set(entries.map(([k]) => k.toLowerCase())).size === entries.length &&
    entries.every(
      ([k, val]) =>
        k.length >= 1 &&
        k.length <= 128 &&
        k !== '__proto__' && // an own key as JSON.parse makes it; a plain object would drop it
        TAG_CHARS.test(k) &&
        !RESERVED.some((r) => k.toLowerCase().startsWith(r)) &&
        typeof val === 'string' &&
        val.length <= 256 &&
        TAG_CHARS.test(val),
    )
  );
}
const tagKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 130 }),
  fc.constantFrom(
    'aws:x',
    'AWS:x',
    'firehose-rotation:x',
    '__proto__',
    'équipe',
    'チーム',
    'cost center',
    'a%b',
    'Team',
    'team',
  ),
);
const tags = fc.dictionary(tagKey, fc.oneof(fc.string({ maxLength: 258 }), fc.integer()), { maxKeys: 50 });

/** Every configurable field with its rule, from the README's settings table. */
export const RULES: Record<string, Rule> = {
  quota: int(2, 5000, 'streams'),
  horizonDays: int(1, 7, 'days after today'),
  lookaheadHours: int(1, 192, 'hours after the current one'),
  streamBudget: int(2, 5000, 'streams'),
  reserveStreams: int(0, 100, 'free streams'),
  streamsPerHour: int(1, 16, 'streams per hour'),
  latenessMinutes: int(0, 1440, 'minutes'),
  safetyMarginMinutes: int(1, 120, 'minutes'),
  bufferingSizeMiB: int(1, 128, 'MiB'),
  bufferingIntervalSeconds: int(0, 900, 'seconds'),
  routerConcurrency: int(1, 32, 'concurrent PutRecordBatch calls'),
  recordPackingKiB: int(0, 1000, 'KiB per Firehose record (0 = off: one event per record)'),
  deploymentId: str(/^[a-zA-Z0-9_.:/=+@-]{1,128}$/, fc.stringMatching(/^[a-zA-Z0-9_.:/=+@-]{1,130}$/)),
  streamPrefix: str(
    /^[a-zA-Z0-9_.-]{1,53}$/,
    fc.oneof(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,56}$/), fc.constantFrom('p'.repeat(53), 'p'.repeat(54))),
  ),
  fallbackStreamName: str(
    /^[a-zA-Z0-9_.-]{1,64}$/,
    fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9_.-]{1,66}$/),
      fc.stringMatching(/^\d{10}$/).map((k) => `events-${k}`),
      fc.constantFrom('events-2026112205', 'events-2026112224', 'events-2026023012', 'f'.repeat(64)),
    ),
    (v) => !(v.startsWith('events-') && isHourKey(v.slice(7))),
  ),
  compression: str(
    /^(UNCOMPRESSED|GZIP|Snappy|HADOOP_SNAPPY)$/,
    fc.constantFrom('GZIP', 'Snappy', 'gzip', 'LZ4', 'ZIP'),
  ),
  eventTimeFormat: str(
    /^(auto|iso8601|epochSeconds|epochMillis)$/,
    fc.constantFrom('auto', 'epochMillis', 'unix'),
  ),
  eventTimeField: str(/^[^.\s]+(\.[^.\s]+)*$/, fc.string({ maxLength: 300 }), (v) => v.length <= 256),
  dataPrefix: prefix(['late', 'errors']),
  fallbackPrefix: prefix(['data', 'errors']),
  errorOutputPrefix: prefix(['data', 'late']),
  extraTags: { kind: 'other', valid: validTags, arbitrary: tags },
  bucketArn: str(
    /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    fc.constantFrom('arn:aws:s3:::b', 'x'),
  ),
  deliveryRoleArn: str(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    fc.constant('arn:aws:iam::1:role/r'),
  ),
};

/** Values of no sensible type at all: the hostile half of every field's arbitrary. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    '',
    ' ',
    '\u0000',
    'x'.repeat(10_000),
    NaN,
    Infinity,
    -Infinity,
    -0,
    1e308,
    [],
    {},
  ),
  fc.double(),
  fc.string(),
  fc.anything(),
);

/** Valid values of a field (boundaries included) mixed with values that are out of range. */
export function candidates(field: string): fc.Arbitrary<unknown> {
  const rule = RULES[field];
  if (rule.kind === 'other') return fc.oneof(rule.arbitrary, hostile);
  const { min, max } = rule;
  return fc.oneof(
    fc.integer({ min, max }),
    fc.constantFrom(min, max, min - 1, max + 1, min + 0.5),
    fc.integer({ min: -1e9, max: 1e9 }),
    hostile,
  );
}

/** Is `v` a valid value of `field` when every other field keeps its default? */
export function isValid(field: string, v: unknown): boolean {
  if (v === undefined && !(field in BASE)) return true; // absent: the documented default applies
  const rule = RULES[field];
  if (rule.kind === 'other') return rule.valid(v);
  const inRange = typeof v === 'number' && Number.isInteger(v) && v >= rule.min && v <= rule.max;
  // With the other defaults, the quota and a budget must also hold the live window plus the
  // fallback, and a budget cannot exceed the quota (50).
  if (!inRange) return false;
  const holdsLive = (field !== 'quota' && field !== 'streamBudget') || v >= liveWindow() + 1;
  // N streams per hour: the live window counts N streams an hour, and must fit quota 50.
  const perHourFits = field !== 'streamsPerHour' || liveWindow() * v + 1 <= 50;
  return holdsLive && perHourFits && (field !== 'streamBudget' || v <= 50);
}

// The one settings schema. Pulumi config, the rotation Lambda, the router Lambda and the CLI all
// parse their settings through `parseSettings`, so a value accepted at `pulumi preview` is the
// value the functions run with. The schemas of a generation (the `formerGenerations` field, the
// exported state) live in core/generations.ts beside the arithmetic that reads them; this module
// imports them, and generations.ts takes only types from here (`import type`): no circle.
// Top to bottom: the formats and integer ranges the components share, the fields, the cross-field
// checks, parsing, the environment JSON both ways, and the tags of an hourly stream.
// Pure: no AWS or Pulumi imports.
// zod/mini: the same validator and messages as zod's chained API, at about 1/25 of its bundle
// size, which both Lambdas load on every cold start.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { DateTime } from 'luxon';
import { CONFIG_TAG, configDigest, FormerGeneration, formerGenerationsSchema } from './generations';
import {
  hourKey,
  MAX_PREFIX_LENGTH,
  maxPrefixLength,
  MAX_STREAM_NAME_LENGTH,
  MAX_STREAMS_PER_HOUR,
  parseStreamName,
  TAG_NAMESPACE,
} from './names';
import {
  budgetFit,
  dayProfile,
  FIREHOSE_STREAM_QUOTA_CODE,
  largestLookahead,
  liveWindowFits,
  liveWindowStreams,
  lookaheadEverFits,
  maxLiveWindowHours,
  mostStreamsPerHour,
  reserveFits,
} from './capacity';

// zod/mini ships without messages for its built-in checks ("Invalid input"); the English ones
// name what was expected, e.g. for a missing field.
z.config(en());

// The formats both this schema and the components' argument checks accept, in one place: a value
// the Pulumi program takes is a value the functions' settings take.
/** Firehose stream names: 1-64 characters of [a-zA-Z0-9_.-]. */
export const STREAM_NAME = new RegExp(`^[a-zA-Z0-9_.-]{1,${MAX_STREAM_NAME_LENGTH}}$`);
export const STREAM_NAME_RULE = `must be 1-${MAX_STREAM_NAME_LENGTH} characters of [a-zA-Z0-9_.-]`;
/** Hourly names add "-yyyyMMddHH" to the prefix and Firehose allows 64 characters. */
const STREAM_PREFIX = new RegExp(`^[a-zA-Z0-9_.-]{1,${MAX_PREFIX_LENGTH}}$`);
const STREAM_PREFIX_RULE = `must be 1-${MAX_PREFIX_LENGTH} characters of [a-zA-Z0-9_.-]`;
/** The ownership tag value (deploymentId). */
const DEPLOYMENT_ID = /^[a-zA-Z0-9_.:/=+@-]{1,128}$/;
/** A KMS key ARN (not an alias): what S3, Kinesis, Lambda and the settings schema all accept. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;
export const KMS_KEY_ARN_RULE = 'must be a KMS key ARN like arn:aws:kms:us-east-1:123456789012:key/<id>';
/** Characters safe in an S3 key prefix without URL-encoding surprises in Athena locations. */
export const S3_PREFIX = /^[a-zA-Z0-9!_.*'()=-]+(\/[a-zA-Z0-9!_.*'()=-]+)*$/;
export const S3_PREFIX_RULE = `must be path segments of [a-zA-Z0-9!_.*'()=-] joined by "/", without leading or trailing "/"`;

// The one integer-range check. This schema, the components' arguments and the `npm start` flags
// all accept "an integer from min to max" and say so in the same words.
/** Inclusive bounds; `unit` names what is counted in the message ("minutes", "streams"). */
export interface IntRange {
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
}

export function isIntIn(value: unknown, range: IntRange): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** "an integer from 1 to 7 days": the rule as the error messages state it. */
export function intRangeText(range: IntRange): string {
  return `an integer from ${range.min} to ${range.max}${range.unit ? ` ${range.unit}` : ''}`;
}

/**
 * Ranges judged twice (field check, then the cross-field checks on valid values only), and those a
 * component takes as an argument too (FallbackStream's buffering: the hourly streams' values).
 */
export const SETTING_RANGES = {
  quota: { min: 2, max: 5000, unit: 'streams' },
  latenessMinutes: { min: 0, max: 1440, unit: 'minutes' },
  safetyMarginMinutes: { min: 1, max: 120, unit: 'minutes' },
  bufferingSizeMiB: { min: 1, max: 128, unit: 'MiB' },
  bufferingIntervalSeconds: { min: 0, max: 900, unit: 'seconds' },
  horizonDays: { min: 1, max: 7, unit: 'days after today' },
  lookaheadHours: { min: 1, max: 192, unit: 'hours after the current one' },
  streamBudget: { min: 2, max: 5000, unit: 'streams' },
  reserveStreams: { min: 0, max: 100, unit: 'free streams' },
  streamsPerHour: { min: 1, max: MAX_STREAMS_PER_HOUR, unit: 'streams per hour' },
} as const;
/** The ranges the live-window check needs valid before it judges (one mistake, one message). */
const LIVE_WINDOW_FIELDS = [
  'quota',
  'latenessMinutes',
  'safetyMarginMinutes',
  'bufferingIntervalSeconds',
  'streamsPerHour',
] as const;

const intSetting = (range: IntRange, fallback: number) => {
  const error = `must be ${intRangeText(range)}`;
  return z._default(
    z.int({ error }).check(z.minimum(range.min, { error }), z.maximum(range.max, { error })),
    fallback,
  );
};

const optionalInt = (range: IntRange) => {
  const error = `must be ${intRangeText(range)}`;
  return z.optional(z.int({ error }).check(z.minimum(range.min, { error }), z.maximum(range.max, { error })));
};

const s3Prefix = (what: string, fallback: string) =>
  z._default(
    z
      .string()
      .check(
        z.maxLength(512, { error: `${what} must be at most 512 characters` }),
        z.regex(S3_PREFIX, { error: `${what} ${S3_PREFIX_RULE}` }),
      ),
    fallback,
  );

const matching = (pattern: RegExp, error: string) => z.string().check(z.regex(pattern, { error }));

// No ZIP: the Athena tables the pipeline always deploys cannot read ZIP archives (Athena reads
// GZIP, Snappy and Hadoop-Snappy text objects), and JSON Lines consumers cannot stream them.
export const COMPRESSION_FORMATS = ['UNCOMPRESSED', 'GZIP', 'Snappy', 'HADOOP_SNAPPY'] as const;
const COMPRESSION_ERROR = `must be one of ${COMPRESSION_FORMATS.join(', ')}`;
export const EVENT_TIME_FORMATS = ['auto', 'iso8601', 'epochSeconds', 'epochMillis'] as const;
/** The one environment variable both Lambdas read their validated settings from (JSON). */
export const SETTINGS_ENV = 'FIREHOSE_ROTATION_SETTINGS';
/** The tag naming the hour an hourly stream serves. */
const HOUR_TAG = `${TAG_NAMESPACE}hour`;
/** The tag that proves a stream is this deployment's (its value: deploymentId). */
export const OWNER_TAG = `${TAG_NAMESPACE}deployment`;
/** Firehose, IAM, S3, Lambda, SQS, SNS, KMS, Kinesis and CloudWatch Logs all allow 50 tags per resource. */
const MAX_TAGS_PER_RESOURCE = 50;

/** What a user configures (Pulumi stack config, CLI file); everything but deployed resources. */
const tunableFields = z.object({
  deploymentId: matching(
    DEPLOYMENT_ID,
    'must be 1-128 characters of [a-zA-Z0-9_.:/=+@-] (it becomes the ownership tag value)',
  ),
  streamPrefix: matching(
    STREAM_PREFIX,
    `${STREAM_PREFIX_RULE} (the hourly name adds "-yyyyMMddHH" and Firehose allows 64)`,
  ),
  fallbackStreamName: matching(STREAM_NAME, STREAM_NAME_RULE),
  quota: intSetting(SETTING_RANGES.quota, 50),
  horizonDays: intSetting(SETTING_RANGES.horizonDays, 1),
  // Sharing an account: see docs/sharing.md for the arithmetic.
  lookaheadHours: optionalInt(SETTING_RANGES.lookaheadHours),
  streamBudget: optionalInt(SETTING_RANGES.streamBudget),
  reserveStreams: intSetting(SETTING_RANGES.reserveStreams, 1),
  // Throughput: each hour gets this many Direct PUT streams (docs/router.md, "Streams per hour").
  streamsPerHour: intSetting(SETTING_RANGES.streamsPerHour, 1),
  serviceQuotaCode: z._default(
    matching(/^L-[0-9A-F]{8}$/, 'must be a Service Quotas code like L-0123ABCD (see docs/sharing.md)'),
    FIREHOSE_STREAM_QUOTA_CODE,
  ),
  latenessMinutes: intSetting(SETTING_RANGES.latenessMinutes, 60),
  // I1 Empty until near: the router writes to an hour's streams only from this many minutes
  // before it starts; earlier records go to the fallback as `early` (docs/router.md).
  earlyMinutes: intSetting({ min: 0, max: 60, unit: 'minutes' }, 15),
  safetyMarginMinutes: intSetting(SETTING_RANGES.safetyMarginMinutes, 15),
  bufferingSizeMiB: intSetting(SETTING_RANGES.bufferingSizeMiB, 5),
  bufferingIntervalSeconds: intSetting(SETTING_RANGES.bufferingIntervalSeconds, 300),
  compression: z._default(
    z.enum(COMPRESSION_FORMATS, {
      error: (issue) =>
        issue.input === 'ZIP'
          ? `ZIP is not accepted: the Athena tables this pipeline deploys cannot read ZIP objects; ${COMPRESSION_ERROR}`
          : COMPRESSION_ERROR,
    }),
    'GZIP',
  ),
  dataPrefix: s3Prefix('dataPrefix', 'data'),
  fallbackPrefix: s3Prefix('fallbackPrefix', 'late'),
  errorOutputPrefix: s3Prefix('errorOutputPrefix', 'errors'),
  extraTags: z._default(
    z.record(
      // Keys and values are checked in checkTunables: zod wraps record-key failures in a generic
      // "Invalid key in record", which would hide the rule that was broken.
      z.string(),
      z.string({ error: 'tag values must be strings' }),
    ),
    {},
  ),
  eventTimeField: z._default(
    z.string().check(
      z.regex(/^[^.\s]+(\.[^.\s]+)*$/, {
        error: 'must be a JSON field name or dotted path like "meta.ts"',
      }),
      z.maxLength(256, { error: 'must be at most 256 characters' }),
    ),
    'timestamp',
  ),
  eventTimeFormat: z._default(
    z.enum(EVENT_TIME_FORMATS, { error: `must be one of ${EVENT_TIME_FORMATS.join(', ')}` }),
    'auto',
  ),
  routerConcurrency: intSetting({ min: 1, max: 32, unit: 'concurrent PutRecordBatch calls' }, 4),
  // Firehose bills each record in 5 KB steps: packing consecutive events of one stream into one
  // record bills a 200 B event as 200 B, not 5 KB. 0 sends one event per record (a Firehose
  // processor that needs single events); 1000 KiB is Firehose's record limit.
  recordPackingKiB: intSetting(
    { min: 0, max: 1000, unit: 'KiB per Firehose record (0 = off: one event per record)' },
    1000,
  ),
  // Complete partitions (docs/placer.md): late and early records are also written into their
  // event-time hour from the fallback. false: they stay in the fallback only, and no placer exists.
  placeLateRecords: z._default(z.boolean({ error: 'must be true or false' }), true),
});

/** What the deployment supplies once its resources exist (Pulumi outputs, CLI file). */
const deployedFields = z.object({
  bucketArn: matching(
    /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'must be an S3 bucket ARN like arn:aws:s3:::my-bucket',
  ),
  deliveryRoleArn: matching(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN like arn:aws:iam::123456789012:role/name',
  ),
  kmsKeyArn: z.optional(matching(KMS_KEY_ARN, KMS_KEY_ARN_RULE)),
  logGroupName: z.optional(matching(/^[\w./#-]{1,512}$/, 'must be 1-512 characters of [a-zA-Z0-9_./#-]')),
  /**
   * Configurations this stack ran with in the last days, oldest first, supplied by the Pulumi
   * program (see core/generations.ts): streams made under them are still found, drained and
   * deleted, and their prefixes stay writable until no such stream can exist.
   */
  formerGenerations: z._default(formerGenerationsSchema, []),
  eventBusName: z._default(
    matching(
      /^[\w./-]{1,256}$|^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w./-]{1,256}$/,
      'must be an EventBridge bus name or ARN (1-256 characters of [a-zA-Z0-9_./-])',
    ),
    'default',
  ),
});

type Tunables = z.output<typeof tunableFields>;

// The tags reach Firehose streams and, through Pulumi, IAM roles, S3 buckets, Lambda functions,
// SQS, Kinesis, KMS and log groups. The strictest of their documented patterns (IAM, S3, Logs:
// [\p{L}\p{Z}\p{N}_.:/=+\-@]) wins: Firehose and Kinesis would also take "%", IAM and S3 refuse it.
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHARS_TEXT = 'letters, digits, spaces and _ . : / = + - @';
const RESERVED_TAG_PREFIXES = [TAG_NAMESPACE, 'aws:'];

function tagProblem(key: string, value: string): string | undefined {
  if (key.length < 1 || key.length > 128) return 'tag keys must be 1-128 characters';
  if (!TAG_CHARS.test(key)) return `tag keys may contain only ${TAG_CHARS_TEXT}`;
  if (value.length > 256) return 'tag values must be at most 256 characters';
  if (!TAG_CHARS.test(value)) return `tag values may contain only ${TAG_CHARS_TEXT}`;
  return undefined;
}

/**
 * How many extraTags fit on an hourly stream: Firehose's 50 minus the tags the code adds to every
 * stream (codeStreamTags, counted, not restated), so a tag added there lowers this at once.
 */
const MAX_EXTRA_TAGS =
  MAX_TAGS_PER_RESOURCE -
  Object.keys(codeStreamTags({ deploymentId: 'x' }, '2026010100', '0'.repeat(16))).length;

function checkTags(tags: Record<string, string>, ctx: z.core.$RefinementCtx<Tunables>): void {
  const keys = Object.keys(tags);
  if (keys.length > MAX_EXTRA_TAGS) {
    ctx.addIssue({
      code: 'custom',
      path: ['extraTags'],
      message:
        `at most ${MAX_EXTRA_TAGS} tags (got ${keys.length}): Firehose allows ${MAX_TAGS_PER_RESOURCE} per stream ` +
        `and the rotation adds ${MAX_TAGS_PER_RESOURCE - MAX_EXTRA_TAGS} of its own`,
    });
  }
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(tags)) {
    const problem = tagProblem(key, value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['extraTags', key], message: problem });
    // AWS reserves "aws:" in any case, and IAM compares tag keys case-insensitively.
    if (RESERVED_TAG_PREFIXES.some((p) => key.toLowerCase().startsWith(p))) {
      ctx.addIssue({
        code: 'custom',
        path: ['extraTags', key],
        message: `keys starting with "${TAG_NAMESPACE}" or "aws:" (any case) are reserved`,
      });
    }
    const twin = seen.get(key.toLowerCase());
    if (twin !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['extraTags', key],
        message: `duplicates "${twin}": IAM tag keys are case-insensitive`,
      });
    } else seen.set(key.toLowerCase(), key);
  }
}

const liveWindowJudgeable = (s: Tunables) =>
  LIVE_WINDOW_FIELDS.every((f) => isIntIn(s[f], SETTING_RANGES[f]));

function checkTunables(s: Tunables, ctx: z.core.$RefinementCtx<Tunables>): void {
  checkTags(s.extraTags, ctx);
  if (parseStreamName(s.streamPrefix, s.fallbackStreamName)) {
    ctx.addIssue({
      code: 'custom',
      path: ['fallbackStreamName'],
      message: 'must not look like an hourly stream name (<streamPrefix>-yyyyMMddHH)',
    });
  }
  const longest = maxPrefixLength(s.streamsPerHour);
  if (
    s.streamsPerHour > 1 &&
    isIntIn(s.streamsPerHour, SETTING_RANGES.streamsPerHour) &&
    s.streamPrefix.length > longest
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['streamPrefix'],
      message: `must be at most ${longest} characters with streamsPerHour ${s.streamsPerHour} (the names add "-yyyyMMddHH-${s.streamsPerHour - 1}" and Firehose allows 64)`,
    });
  }
  const prefixes = {
    dataPrefix: s.dataPrefix,
    fallbackPrefix: s.fallbackPrefix,
    errorOutputPrefix: s.errorOutputPrefix,
  };
  for (const [a, pa] of Object.entries(prefixes)) {
    for (const [b, pb] of Object.entries(prefixes)) {
      if (a < b && (pa === pb || pa.startsWith(`${pb}/`) || pb.startsWith(`${pa}/`))) {
        ctx.addIssue({ code: 'custom', path: [b], message: `must not overlap ${a} ("${pa}" vs "${pb}")` });
      }
    }
  }
  // Streams, not hours: each hour of the live window holds streamsPerHour of them.
  const live = liveWindowStreams(s);
  // Judged only on a valid quota, so one mistake yields one message.
  const judgeable = liveWindowJudgeable(s);
  const hours = maxLiveWindowHours(s);
  const overQuota = judgeable && !liveWindowFits(s);
  if (overQuota && s.streamsPerHour > 1 && mostStreamsPerHour(s) >= 1) {
    // One stream per hour would fit: the number of streams per hour is what does not.
    ctx.addIssue({
      code: 'custom',
      path: ['streamsPerHour'],
      message:
        `${s.streamsPerHour} streams per hour need up to ${live} hourly streams at once (a live window of ${hours} hours ` +
        `× ${s.streamsPerHour}) plus the fallback, more than quota ${s.quota}; at most ${mostStreamsPerHour(s)} fit, or raise quota`,
    });
    return;
  }
  if (overQuota) {
    const perHour = s.streamsPerHour > 1 ? `${hours} hours × streamsPerHour ${s.streamsPerHour}: ` : '';
    ctx.addIssue({
      code: 'custom',
      path: ['quota'],
      message:
        `quota ${s.quota} cannot hold the live window: up to ${live} hourly streams must exist at once ` +
        `(${perHour}lateness ${s.latenessMinutes} min + buffering ${s.bufferingIntervalSeconds} s + margin ${s.safetyMarginMinutes} min ` +
        `of draining hours, plus the current and next hour) plus the fallback; raise quota or shorten latenessMinutes` +
        (s.streamsPerHour > 1 ? ' or lower streamsPerHour' : ''),
    });
    return;
  }
  if (judgeable) checkSharing(s, live, ctx, false);
}

/**
 * At preview (Pulumi config) the promises are checked too: a reserve or lookahead that can never
 * fit is rejected there. The functions and the CLI accept them and report the shortfall, so an
 * operator can still plan with a small quota by hand.
 */
function checkPromises(s: Tunables, ctx: z.core.$RefinementCtx<Tunables>): void {
  checkTunables(s, ctx);
  if (liveWindowJudgeable(s) && liveWindowFits(s)) checkSharing(s, liveWindowStreams(s), ctx, true);
}

/** The budget and reserve against what the lookahead promises (see capacity.ts). */
function checkSharing(
  s: Tunables,
  live: number,
  ctx: z.core.$RefinementCtx<Tunables>,
  promises: boolean,
): void {
  if (
    !isIntIn(s.reserveStreams, SETTING_RANGES.reserveStreams) ||
    !isIntIn(s.horizonDays, SETTING_RANGES.horizonDays)
  )
    return;
  if (s.streamBudget !== undefined) {
    if (!isIntIn(s.streamBudget, SETTING_RANGES.streamBudget)) return;
    const fit = budgetFit(s.streamBudget, s);
    const problem =
      fit === 'over-quota'
        ? `must not exceed quota ${s.quota}`
        : fit === 'below-live-window'
          ? `${s.streamBudget} cannot hold the live window: up to ${live} hourly streams plus the fallback`
          : undefined;
    if (problem) {
      ctx.addIssue({ code: 'custom', path: ['streamBudget'], message: problem });
      return;
    }
  }
  if (
    !promises ||
    (s.lookaheadHours !== undefined && !isIntIn(s.lookaheadHours, SETTING_RANGES.lookaheadHours))
  )
    return;
  if (!reserveFits(s)) {
    ctx.addIssue({
      code: 'custom',
      path: ['reserveStreams'],
      message: `${s.reserveStreams} leaves no room for the live window (${live} hourly streams plus the fallback) in quota ${s.quota}`,
    });
    return;
  }
  const profile = dayProfile(s);
  if (!lookaheadEverFits(profile)) {
    const fits = largestLookahead(s);
    const field = s.lookaheadHours === undefined ? 'horizonDays' : 'lookaheadHours';
    ctx.addIssue({
      code: 'custom',
      path: [field],
      message:
        `the lookahead never fits: at least ${profile.minimum} hourly streams are needed at every hour of the day, ` +
        `and ${profile.capacity} fit (budget ${s.streamBudget ?? s.quota}, quota ${s.quota} minus reserveStreams ${s.reserveStreams}, minus the fallback); ` +
        (fits > 0
          ? `set lookaheadHours to at most ${fits}, or raise quota or streamBudget`
          : 'raise quota or streamBudget, or shorten latenessMinutes'),
    });
  }
}

/**
 * A former streamPrefix still names the hours before its namesUntil, and every hour gets the
 * current streamsPerHour (core/generations streamNamesFor): a long former prefix with a larger N
 * would plan sibling names longer than Firehose's 64 characters. Judged wherever the formers are
 * known (the Pipeline's runtime settings at preview, both functions), naming the way out. Kept
 * here, not beside the generations: it is the former prefixes' twin of checkTunables' length check
 * on the current one, and both read the same arithmetic (core/names.ts maxPrefixLength).
 */
function checkFormerNames(
  s: Tunables & { formerGenerations: FormerGeneration[] },
  ctx: z.core.$RefinementCtx<Tunables & { formerGenerations: FormerGeneration[] }>,
): void {
  if (!isIntIn(s.streamsPerHour, SETTING_RANGES.streamsPerHour)) return;
  const longest = maxPrefixLength(s.streamsPerHour);
  for (const f of s.formerGenerations) {
    if (f.streamPrefix.length <= longest) continue;
    let fits = 1;
    while (fits < MAX_STREAMS_PER_HOUR && maxPrefixLength(fits + 1) >= f.streamPrefix.length) fits++;
    ctx.addIssue({
      code: 'custom',
      path: ['streamsPerHour'],
      message:
        `${s.streamsPerHour} streams per hour with the former streamPrefix "${f.streamPrefix}" (${f.streamPrefix.length} characters), ` +
        `which still names the hours before ${f.namesUntil}, would make names over Firehose's 64 characters; ` +
        `keep streamsPerHour at most ${fits} until ${f.expires} (formerGenerations)`,
    });
  }
}

/** Pulumi stack config: validated at `pulumi preview`, before any resource exists. */
export const pipelineConfigSchema = z.strictObject(tunableFields.shape).check(z.superRefine(checkPromises));
/** The functions' runtime settings: the same tunables plus the deployed resources' ARNs. */
const settingsSchema = z
  .strictObject({ ...tunableFields.shape, ...deployedFields.shape })
  .check(z.superRefine(checkTunables), z.superRefine(checkFormerNames));

export type SettingsInput = z.input<typeof settingsSchema>;
export type RotationSettings = z.output<typeof settingsSchema>;
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

/** Validates the functions' settings; throws a SettingsError whose lines each name a field. */
export function parseSettings(raw: unknown): RotationSettings {
  return parseWith(settingsSchema, raw);
}

/** Validates Pulumi stack config (no deployed ARNs yet), with the same rules and messages. */
export function parsePipelineConfig(raw: unknown): PipelineConfig {
  return parseWith(pipelineConfigSchema, raw);
}

function parseWith<T extends z.ZodMiniType>(schema: T, raw: unknown): z.output<T> {
  // JSON.parse makes "__proto__" an own key; zod's record would drop it silently.
  const tags = (raw as { extraTags?: unknown } | undefined)?.extraTags;
  const proto = typeof tags === 'object' && tags !== null && Object.hasOwn(tags, '__proto__');
  const result = schema.safeParse(raw);
  if (result.success && !proto) return result.data;
  const lines = (result.error?.issues ?? []).map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : '(settings)';
    const message =
      issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    return `${field}: ${message}`;
  });
  if (proto) lines.push('extraTags.__proto__: "__proto__" cannot be a tag key');
  throw new SettingsError([...new Set(lines)]);
}

// The environment-variable boundary, both ways.

/**
 * The settings a function runs with, parsed at its start from the environment variable the Pulumi
 * program wrote (settingsEnvironmentValue): the handlers' whole settings code.
 */
export function settingsFromEnvironment(env: Record<string, string | undefined>): RotationSettings {
  return parseSettings(JSON.parse(env[SETTINGS_ENV] ?? '{}'));
}

/**
 * Settings left out of the environment while they hold these schema defaults (parseSettings puts
 * them back): a default added to an existing setting then keeps the environment of a stack that
 * never set it byte for byte what it was, so an upgrade cannot push a stack near Lambda's 4 KB
 * over it. The values are read from the schema, never restated.
 */
const DEFAULTS_LEFT_OUT: Partial<Record<keyof RotationSettings, unknown>> = {
  serviceQuotaCode: tunableFields.shape.serviceQuotaCode.def.defaultValue,
  // At any depth: formerGenerations carry it too, with the same default (core/generations.ts).
  streamsPerHour: tunableFields.shape.streamsPerHour.def.defaultValue,
  placeLateRecords: tunableFields.shape.placeLateRecords.def.defaultValue,
};

/**
 * The settings as the functions receive them (SETTINGS_ENV). The one place the typed settings
 * become JSON: the environment-variable boundary, which settingsFromEnvironment parses back.
 */
export function settingsEnvironmentValue(settings: RotationSettings): string {
  return JSON.stringify(settings, (key, value: unknown) =>
    key in DEFAULTS_LEFT_OUT && DEFAULTS_LEFT_OUT[key as keyof RotationSettings] === value
      ? undefined
      : value,
  );
}

// The parts of an hourly stream that the Pulumi program must agree with: the tags rotation sets
// (the rotation role allows exactly these keys) and the log stream its delivery errors go to (the
// delivery role's log group must contain it). The SDK request builder (aws/stream-config) and the
// components both read them here.

/** The ownership tags every stream made by this deployment carries. */
function ownershipTags(s: Pick<RotationSettings, 'deploymentId'>): Record<string, string> {
  return { [OWNER_TAG]: s.deploymentId, [`${TAG_NAMESPACE}managed-by`]: 'rotation' };
}

/**
 * Every tag the code adds to an hourly stream besides the user's extraTags. hourlyStreamTags
 * builds CreateDeliveryStream's tags from it and MAX_EXTRA_TAGS counts it: add any new code tag here.
 */
function codeStreamTags(
  s: Pick<RotationSettings, 'deploymentId'>,
  hour: string,
  digest: string,
): Record<string, string> {
  // The config digest records what the stream was made with, so a settings change can find it.
  return { ...ownershipTags(s), [HOUR_TAG]: hour, [CONFIG_TAG]: digest };
}

/** Log stream (inside settings.logGroupName) that every hourly stream logs delivery errors to. */
export const HOURLY_DELIVERY_LOG_STREAM = 'DestinationDelivery';

/** A stream tag in Firehose's request shape. */
export interface StreamTag {
  Key: string;
  Value: string;
}

export function hourlyStreamTags(s: RotationSettings, hour: DateTime): StreamTag[] {
  const tags = { ...s.extraTags, ...codeStreamTags(s, hourKey(hour), configDigest(s)) };
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

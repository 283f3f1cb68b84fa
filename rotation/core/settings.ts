// The one settings schema. Pulumi config, the rotation Lambda, the router Lambda and the CLI all
// parse their settings through `parseSettings`, so a value accepted at `pulumi preview` is the
// value the functions run with. Pure: no AWS or Pulumi imports.
import { z } from 'zod';
import { maxLiveWindowHours } from './time-window';
import { MAX_PREFIX_LENGTH, parseStreamName } from './names';

const NAME_CHARS = /^[a-zA-Z0-9_.-]+$/;
// Characters safe in an S3 key prefix without URL-encoding surprises in Athena locations.
const S3_PREFIX = /^[a-zA-Z0-9!_.*'()=-]+(\/[a-zA-Z0-9!_.*'()=-]+)*$/;

const intIn = (min: number, max: number, unit: string) =>
  z
    .number({ error: `must be an integer from ${min} to ${max} ${unit}` })
    .int({ error: `must be an integer from ${min} to ${max} ${unit}` })
    .min(min, { error: `must be an integer from ${min} to ${max} ${unit}` })
    .max(max, { error: `must be an integer from ${min} to ${max} ${unit}` });

const s3Prefix = (what: string) =>
  z
    .string()
    .max(512, { error: `${what} must be at most 512 characters` })
    .regex(S3_PREFIX, {
      error: `${what} must be path segments of [a-zA-Z0-9!_.*'()=-] joined by "/", without leading or trailing "/"`,
    });

export const COMPRESSION_FORMATS = ['UNCOMPRESSED', 'GZIP', 'ZIP', 'Snappy', 'HADOOP_SNAPPY'] as const;
export const EVENT_TIME_FORMATS = ['auto', 'iso8601', 'epochSeconds', 'epochMillis'] as const;
/** The one environment variable both Lambdas read their validated settings from (JSON). */
export const SETTINGS_ENV = 'FIREHOSE_ROTATION_SETTINGS';
/** Tag keys reserved for ownership; user tags may not use this namespace. */
export const TAG_NAMESPACE = 'firehose-rotation:';

/** What a user configures (Pulumi stack config, CLI file); everything but deployed resources. */
const tunableFields = z.object({
  deploymentId: z.string().regex(/^[a-zA-Z0-9_.:/=+@-]{1,128}$/, {
    error: 'must be 1-128 characters of [a-zA-Z0-9_.:/=+@-] (it becomes the ownership tag value)',
  }),
  streamPrefix: z.string().regex(new RegExp(`^[a-zA-Z0-9_.-]{1,${MAX_PREFIX_LENGTH}}$`), {
    error: `must be 1-${MAX_PREFIX_LENGTH} characters of [a-zA-Z0-9_.-] (the hourly name adds "-yyyyMMddHH" and Firehose allows 64)`,
  }),
  fallbackStreamName: z
    .string()
    .regex(NAME_CHARS, { error: 'must be 1-64 characters of [a-zA-Z0-9_.-]' })
    .max(64, { error: 'must be 1-64 characters of [a-zA-Z0-9_.-]' }),
  quota: intIn(2, 5000, 'streams').default(50),
  horizonDays: intIn(1, 7, 'days after today').default(1),
  latenessMinutes: intIn(0, 1440, 'minutes').default(60),
  safetyMarginMinutes: intIn(1, 120, 'minutes').default(15),
  bufferingSizeMiB: intIn(1, 128, 'MiB').default(5),
  bufferingIntervalSeconds: intIn(0, 900, 'seconds').default(300),
  compression: z
    .enum(COMPRESSION_FORMATS, { error: `must be one of ${COMPRESSION_FORMATS.join(', ')}` })
    .default('GZIP'),
  dataPrefix: s3Prefix('dataPrefix').default('data'),
  fallbackPrefix: s3Prefix('fallbackPrefix').default('late'),
  errorOutputPrefix: s3Prefix('errorOutputPrefix').default('errors'),
  extraTags: z
    .record(
      // Keys and values are checked in checkTunables: zod wraps record-key failures in a generic
      // "Invalid key in record", which would hide the rule that was broken.
      z.string(),
      z.string({ error: 'tag values must be strings' }),
    )
    .default({}),
  eventTimeField: z
    .string()
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, { error: 'must be a JSON field name or dotted path like "meta.ts"' })
    .max(256, { error: 'must be at most 256 characters' })
    .default('timestamp'),
  eventTimeFormat: z
    .enum(EVENT_TIME_FORMATS, { error: `must be one of ${EVENT_TIME_FORMATS.join(', ')}` })
    .default('auto'),
  routerConcurrency: intIn(1, 32, 'concurrent PutRecordBatch calls').default(4),
});

/** What the deployment supplies once its resources exist (Pulumi outputs, CLI file). */
const deployedFields = z.object({
  bucketArn: z.string().regex(/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    error: 'must be an S3 bucket ARN like arn:aws:s3:::my-bucket',
  }),
  deliveryRoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
    error: 'must be an IAM role ARN like arn:aws:iam::123456789012:role/name',
  }),
  kmsKeyArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/, {
      error: 'must be a KMS key ARN like arn:aws:kms:us-east-1:123456789012:key/<id>',
    })
    .optional(),
  logGroupName: z
    .string()
    .regex(/^[\w./#-]{1,512}$/, { error: 'must be 1-512 characters of [a-zA-Z0-9_./#-]' })
    .optional(),
  eventBusName: z
    .string()
    .regex(/^[\w.\/-]{1,256}$|^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.\/-]{1,256}$/, {
      error: 'must be an EventBridge bus name or ARN (1-256 characters of [a-zA-Z0-9_./-])',
    })
    .default('default'),
});

type Tunables = z.output<typeof tunableFields>;

// Firehose's documented Tag patterns: anything else passes preview and then fails every create.
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]*$/u;
const TAG_CHARS_TEXT = 'letters, digits, spaces and _ . : / = + - @ %';

function tagProblem(key: string, value: string): string | undefined {
  if (key.length < 1 || key.length > 128) return 'tag keys must be 1-128 characters';
  if (!TAG_CHARS.test(key)) return `tag keys may contain only ${TAG_CHARS_TEXT}`;
  if (value.length > 256) return 'tag values must be at most 256 characters';
  if (!TAG_CHARS.test(value)) return `tag values may contain only ${TAG_CHARS_TEXT}`;
  return undefined;
}

const within = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

function checkTunables(s: Tunables, ctx: z.RefinementCtx): void {
  const extra = Object.keys(s.extraTags);
  if (extra.length > 48) {
    ctx.addIssue({
      code: 'custom',
      path: ['extraTags'],
      message: 'at most 48 tags (Firehose allows 50, 2 are ownership tags)',
    });
  }
  for (const [key, value] of Object.entries(s.extraTags)) {
    const problem = tagProblem(key, value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['extraTags', key], message: problem });
    if (key.startsWith(TAG_NAMESPACE) || key.startsWith('aws:')) {
      ctx.addIssue({
        code: 'custom',
        path: ['extraTags', key],
        message: `keys starting with "${TAG_NAMESPACE}" or "aws:" are reserved`,
      });
    }
  }
  if (parseStreamName(s.streamPrefix, s.fallbackStreamName)) {
    ctx.addIssue({
      code: 'custom',
      path: ['fallbackStreamName'],
      message: 'must not look like an hourly stream name (<streamPrefix>-yyyyMMddHH)',
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
  const live = maxLiveWindowHours(s);
  // Judged only on a valid quota, so one mistake yields one message.
  const judgeable =
    within(s.quota, 2, 5000) &&
    within(s.latenessMinutes, 0, 1440) &&
    within(s.bufferingIntervalSeconds, 0, 900) &&
    within(s.safetyMarginMinutes, 1, 120);
  if (judgeable && live + 1 > s.quota) {
    ctx.addIssue({
      code: 'custom',
      path: ['quota'],
      message:
        `quota ${s.quota} cannot hold the live window: up to ${live} hourly streams must exist at once ` +
        `(lateness ${s.latenessMinutes} min + buffering ${s.bufferingIntervalSeconds} s + margin ${s.safetyMarginMinutes} min ` +
        `of draining hours, plus the current and next hour) plus the fallback; raise quota or shorten latenessMinutes`,
    });
  }
}

/** Pulumi stack config: validated at `pulumi preview`, before any resource exists. */
export const pipelineConfigSchema = tunableFields.strict().superRefine(checkTunables);
/** The functions' runtime settings: the same tunables plus the deployed resources' ARNs. */
export const settingsSchema = tunableFields.extend(deployedFields.shape).strict().superRefine(checkTunables);

export type SettingsInput = z.input<typeof settingsSchema>;
export type RotationSettings = z.output<typeof settingsSchema>;
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;
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

function parseWith<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
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

/** The ownership tags every stream made by this deployment carries. */
export function ownershipTags(s: Pick<RotationSettings, 'deploymentId'>): Record<string, string> {
  return { [`${TAG_NAMESPACE}deployment`]: s.deploymentId, [`${TAG_NAMESPACE}managed-by`]: 'rotation' };
}
export const OWNER_TAG = `${TAG_NAMESPACE}deployment`;

// Argument checks shared by the components. Every component validates its arguments before it
// creates a single child, so a bad value fails `pulumi preview` with a message that names the
// component, the field and the allowed range, instead of a provider error halfway through `up`.
// Formats and ranges come from rotation/core, so the components accept what the settings accept.
import { intRangeText, IntRange, isIntIn, S3_PREFIX, S3_PREFIX_RULE } from '../rotation/core/settings';

export { KMS_KEY_ARN, KMS_KEY_ARN_RULE, STREAM_NAME, STREAM_NAME_RULE } from '../rotation/core/settings';

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export class ArgumentError extends Error {
  constructor(component: string, field: string, rule: string, value: unknown) {
    super(`${component}: ${field} ${rule} (got ${JSON.stringify(value)})`);
    this.name = 'ArgumentError';
  }
}

/**
 * AWS's own limits, for arguments several components take: one range each, so every component
 * says the same words about it.
 */
export const AWS_RANGES = {
  /** Kinesis Data Streams retention (IncreaseStreamRetentionPeriod): 1 to 365 days. */
  kinesisRetentionHours: { min: 24, max: 8760, unit: 'hours' },
  /** A function's reserved concurrency, within the account's default regional limit of 1,000. */
  reservedConcurrency: { min: 1, max: 1000, unit: 'concurrent executions' },
} as const satisfies Record<string, IntRange>;

/**
 * Returns `value ?? fallback` after checking it is an integer in the range; with no fallback the
 * argument is required.
 */
export function intArg(
  component: string,
  field: string,
  value: number | undefined,
  fallback: number | undefined,
  range: IntRange,
): number {
  const v = value ?? fallback;
  if (v === undefined) throw new ArgumentError(component, field, 'is required', v);
  if (!isIntIn(v, range)) throw new ArgumentError(component, field, `must be ${intRangeText(range)}`, v);
  return v;
}

/** Returns `value ?? fallback` after checking it is allowed; with no fallback it is required. */
export function oneOf<T extends string>(
  component: string,
  field: string,
  value: T | undefined,
  fallback: T | undefined,
  allowed: readonly T[],
): T {
  const v = value ?? fallback;
  if (v === undefined) throw new ArgumentError(component, field, 'is required', v);
  if (!allowed.includes(v)) {
    throw new ArgumentError(component, field, `must be one of ${allowed.join(', ')}`, v);
  }
  return v;
}

export function matches(
  component: string,
  field: string,
  value: string,
  pattern: RegExp,
  rule: string,
): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw new ArgumentError(component, field, rule, value);
  return value;
}

export function logRetention(component: string, value: number | undefined): number {
  const v = value ?? 30;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(v)) {
    throw new ArgumentError(
      component,
      'logRetentionDays',
      `must be one of ${LOG_RETENTION_DAYS.join(', ')} days (the values CloudWatch Logs accepts)`,
      v,
    );
  }
  return v;
}

/** A component name that its children's physical (auto-)names can be derived from. */
export function componentName(component: string, name: string, maxLength = 40): string {
  return matches(
    component,
    'name',
    name,
    new RegExp(`^[a-z0-9][a-z0-9-]{0,${maxLength - 1}}$`),
    `must be 1-${maxLength} lowercase letters, digits or "-" (physical names of its children derive from it)`,
  );
}

export function s3Prefix(component: string, field: string, value: string): string {
  return matches(component, field, value, S3_PREFIX, S3_PREFIX_RULE);
}

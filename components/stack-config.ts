// Stack config → Pipeline arguments. The tunables go through parsePipelineConfig (the schema the
// functions use too); the infrastructure knobs only through type checks here, because their
// ranges are owned by the components that use them. Every error names the full config key, e.g.
// `firehose-rotation:quota`, which is what `pulumi config set` takes.
import * as z from 'zod/mini';
import { parsePipelineConfig, pipelineConfigSchema, SettingsError } from '../rotation/core/settings';
import { PipelineArgs } from './pipeline';

/** What index.ts hands in: pulumi.Config's getter plus the keys set in the project namespace. */
export interface ConfigSource {
  /** The namespace, i.e. the project name. */
  name: string;
  get(key: string): string | undefined;
  /** Every key set in this namespace, without the "<namespace>:" prefix. */
  keys(): string[];
}

type Kind = 'string' | 'int' | 'bool' | 'object';

/** The kind Pulumi stores a schema field as, read through zod's public `def` (defaults and optionals unwrapped). */
function storedKind(field: z.ZodMiniType): Kind {
  // Every field of the settings schema is a zod/mini schema, so its inner type is one too.
  if (field instanceof z.ZodMiniDefault || field instanceof z.ZodMiniOptional) {
    return storedKind(field.def.innerType as z.ZodMiniType);
  }
  if (field.type === 'boolean') return 'bool';
  return field.type === 'number' ? 'int' : field.type === 'record' ? 'object' : 'string';
}

/**
 * Every tunable of the settings schema with the kind Pulumi stores it as (config values are
 * strings). Derived from the schema itself, so a tunable added there is readable here at once.
 */
const TUNABLE_KEYS: Record<string, Kind> = Object.fromEntries(
  Object.entries(pipelineConfigSchema.shape).map(([key, field]) => [key, storedKind(field)]),
);

/** Pulumi-only knobs: config key → [kind, where it goes in PipelineArgs]. */
const INFRA_KEYS: Record<string, [Kind, string]> = {
  kmsKeyArn: ['string', 'bucket.kmsKeyArn'],
  forceDestroy: ['bool', 'bucket.forceDestroy'],
  protectData: ['bool', 'bucket.protect'],
  errorExpirationDays: ['int', 'bucket.errorExpirationDays'],
  kinesisStreamMode: ['string', 'stream.mode'],
  kinesisShardCount: ['int', 'stream.shardCount'],
  kinesisRetentionHours: ['int', 'stream.retentionHours'],
  routerBatchSize: ['int', 'router.batchSize'],
  routerBatchingWindowSeconds: ['int', 'router.batchingWindowSeconds'],
  routerMaxRetryAttempts: ['int', 'router.maximumRetryAttempts'],
  routerMaxRecordAgeSeconds: ['int', 'router.maximumRecordAgeSeconds'],
  routerParallelizationFactor: ['int', 'router.parallelizationFactor'],
  rotationSchedule: ['string', 'rotation.scheduleExpression'],
  rotationReservedConcurrency: ['int', 'rotation.reservedConcurrency'],
  alarmEmail: ['string', 'alarms.email'],
  dashboard: ['bool', 'dashboard.enabled'],
  athenaDatabase: ['string', 'athena.databaseName'],
  athenaFirstDay: ['string', 'athena.firstDay'],
  logRetentionDays: ['int', 'logRetentionDays'],
};

class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `invalid stack config (fix with \`pulumi config set <key> <value>\`):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'StackConfigError';
  }
}

/** Converts a stored string to its kind; a value of the wrong kind is returned as is for the schema to reject. */
function convert(kind: Kind, raw: string): unknown {
  if (kind === 'int') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (kind === 'bool') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (kind === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

export function readStackConfig(source: ConfigSource, defaults: { deploymentId: string }): PipelineArgs {
  const key = (k: string) => `${source.name}:${k}`;
  const problems: string[] = [];
  for (const k of source.keys()) {
    if (!(k in TUNABLE_KEYS) && !(k in INFRA_KEYS)) problems.push(`${key(k)}: unknown config key`);
  }

  const tunables: Record<string, unknown> = { deploymentId: defaults.deploymentId };
  for (const [k, kind] of Object.entries(TUNABLE_KEYS)) {
    const raw = source.get(k);
    if (raw !== undefined) tunables[k] = convert(kind, raw);
  }
  let config: PipelineArgs['config'] | undefined;
  try {
    config = parsePipelineConfig(tunables);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    problems.push(...err.problems.map((p) => `${source.name}:${p}`));
  }

  const groups = ['bucket', 'stream', 'router', 'rotation', 'alarms', 'dashboard', 'athena'];
  const args: Record<string, Record<string, unknown>> = Object.fromEntries(groups.map((g) => [g, {}]));
  let logRetentionDays: number | undefined;
  for (const [k, [kind, target]] of Object.entries(INFRA_KEYS)) {
    const raw = source.get(k);
    if (raw === undefined) continue;
    const value = convert(kind, raw);
    if (kind === 'int' && typeof value !== 'number') problems.push(`${key(k)}: must be an integer`);
    else if (kind === 'bool' && typeof value !== 'boolean') problems.push(`${key(k)}: must be true or false`);
    else if (target === 'logRetentionDays') logRetentionDays = value as number;
    else {
      const [group, field] = target.split('.');
      args[group][field] = value;
    }
  }
  if (problems.length > 0 || config === undefined) throw new StackConfigError(problems);
  return { config, ...args, logRetentionDays };
}

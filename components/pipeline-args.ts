// What the Pipeline component takes, and the one function that joins the validated tunables, the
// deployed ARNs and the live former configurations into the runtime settings both functions receive.
import { DateTime } from 'luxon';
import { FormerGeneration, GenerationState, nextFormers } from '../rotation/core/generations';
import {
  parseSettings,
  PipelineConfig,
  RotationSettings,
  settingsEnvironmentValue,
  SettingsInput,
} from '../rotation/core/settings';
import { BundleOptions } from './bundle';
import { checkedEnvironment } from './lambda-environment';
import { StreamMode } from './source-stream';

export interface PipelineArgs {
  /** The tunables as parsePipelineConfig returns them (readStackConfig does this for index.ts). */
  config: PipelineConfig;
  bucket?: { kmsKeyArn?: string; forceDestroy?: boolean; protect?: boolean; errorExpirationDays?: number };
  stream?: { mode?: StreamMode; shardCount?: number; retentionHours?: number };
  router?: {
    entry?: string;
    batchSize?: number;
    batchingWindowSeconds?: number;
    maximumRetryAttempts?: number;
    maximumRecordAgeSeconds?: number;
    parallelizationFactor?: number;
  };
  rotation?: { entry?: string; scheduleExpression?: string; reservedConcurrency?: number };
  /** The placer (created with placeLateRecords, the default). */
  placer?: { entry?: string; timeoutSeconds?: number; memoryMiB?: number };
  alarms?: {
    email?: string;
    fallbackRecordsPer5Min?: number;
    iteratorAgeMs?: number;
    dataFreshnessSeconds?: number;
    quotaHeadroomBelow?: number;
  };
  /** The CloudWatch dashboard (default on). */
  dashboard?: { enabled?: boolean };
  athena?: {
    /** Glue database; defaults to the stream prefix in lower case with "_" for other characters. */
    databaseName?: string;
    /** First day (yyyy-MM-dd) the dt partition projection covers. */
    firstDay?: string;
  };
  logRetentionDays?: number;
  bundle?: BundleOptions;
  /**
   * Settings changes (docs/lifecycle.md). `stackName` is the stack whose generation state (stack
   * output `lifecycleState`, components/generation-state.ts) holds the former configurations: this
   * very stack by default. `now` is the instant of the `up` (a test seam; the program uses the clock).
   */
  generations?: { stackName?: string; now?: () => Date };
}

/** First day of the dt projection when the stack does not say (queries before it see no partitions). */
export const DEFAULT_ATHENA_FIRST_DAY = '2026-01-01';

/** A Glue database name (lower case letters, digits, "_") derived from the unique stream prefix. */
export function defaultDatabaseName(streamPrefix: string): string {
  return streamPrefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/**
 * The deployed resources the functions need besides the tunables: the schema's fields, all
 * required here because the Pipeline always deploys the key and the log group.
 */
export type DeployedFields = Required<
  Pick<SettingsInput, 'bucketArn' | 'deliveryRoleArn' | 'kmsKeyArn' | 'logGroupName'>
>;

/**
 * The settings both functions run with: the tunables plus the deployed ARNs and the live former
 * configurations. The ARNs exist only once the resources do, so the schema checks them here, inside
 * the apply (the tunables again with them: the schema's cross-field rules see the whole value).
 */
export function runtimeSettings(
  config: PipelineConfig,
  deployed: DeployedFields,
  formerGenerations: FormerGeneration[] = [],
): RotationSettings {
  return parseSettings({ ...config, ...deployed, formerGenerations });
}

/**
 * The settings of this `up`: the former configurations kept from the last one (`previous`, read
 * back by the Pipeline) join them, and the result is checked against Lambda's 4 KB with them; the
 * Pipeline's preview check with the longest ARNs cannot know them.
 */
export function settingsAfterUp(
  config: PipelineConfig,
  deployed: DeployedFields,
  previous: GenerationState | undefined,
  now: DateTime,
): RotationSettings {
  const formers = nextFormers(previous, runtimeSettings(config, deployed), now);
  const settings = runtimeSettings(config, deployed, formers);
  checkedEnvironment('Pipeline', settingsEnvironmentValue(settings));
  return settings;
}

/**
 * The longest values the deployed fields can take for a Pipeline of this name (Pulumi auto-names
 * add "-" and 7 characters; the longest partition and Region names), so the settings' size can be
 * judged at preview, before any ARN is known.
 */
export function longestDeployedFields(name: string, kmsKeyArn?: string): DeployedFields {
  const arn = (service: string, region: string, account: string, resource: string) =>
    `arn:aws-us-gov:${service}:${region}:${account}:${resource}`;
  const suffix = '-0000000';
  return {
    bucketArn: arn('s3', '', '', `${name}-lake-bucket${suffix}`),
    deliveryRoleArn: arn('iam', '', '000000000000', `role/${name}-delivery-role${suffix}`.slice(0, 69)),
    kmsKeyArn: kmsKeyArn ?? arn('kms', 'ap-southeast-5', '000000000000', `key/${'0'.repeat(36)}`),
    logGroupName: `${name}-delivery-logs${suffix}`,
  };
}

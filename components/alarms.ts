// CloudWatch alarms for the pipeline, all notifying one SNS topic. The topic is encrypted with its
// own customer-managed key: CloudWatch cannot publish to a topic under the AWS-managed SNS key,
// whose policy cannot grant it kms:GenerateDataKey. Thresholds default to what the runbook in the
// README assumes; each alarm's description says what to do.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AwsEnvironment, awsEnvironment, policyDocument, viaService } from './policy';
import {
  DEPLOYMENT_DIMENSION,
  METRIC_NAMESPACE,
  ROTATION_METRICS,
  ROUTER_METRICS,
  SERVICE,
} from '../rotation/core/metric-contract';
import { placerAlarmSpecs } from './placer-alarms';

export interface AlarmsArgs {
  routerFunctionName: pulumi.Input<string>;
  rotationFunctionName: pulumi.Input<string>;
  eventSourceMappingUuid: pulumi.Input<string>;
  fallbackStreamName: pulumi.Input<string>;
  /**
   * The deployment's ownership tag value: both functions' metrics carry it as the `deployment`
   * dimension and every alarm on our namespace selects on it, so stacks sharing an account each
   * watch their own runs and records.
   */
  deploymentId: pulumi.Input<string>;
  /** Fallback records per 5 minutes above which someone should look (default 1,000). */
  fallbackRecordsPer5Min?: number;
  /** Kinesis iterator age in ms above which the router is falling behind (default 10 min). */
  iteratorAgeMs?: number;
  /** Seconds of Firehose DataFreshness that mean S3 delivery is stuck (default 1,800). */
  dataFreshnessSeconds?: number;
  /**
   * Per cent of the router's records refused by Firehose for throughput, per 5 minutes, above which
   * for 15 minutes streamsPerHour should be raised (default 5).
   */
  throttledSharePercent?: number;
  /** Quota headroom below which, for 3 hours in a row, the budget is too tight (default 1). */
  quotaHeadroomBelow?: number;
  /**
   * Hourly runs in a row with hours of the lookahead missing before `tomorrow-not-ready` fires
   * (default 3). The pipeline derives it from the settings: one more than the hours of a day in
   * which the lookahead cannot be complete, so accepted settings never leave it firing for good.
   */
  tomorrowNotReadyRuns?: number;
  /** Optional e-mail address subscribed to the topic. */
  email?: string;
  /** The placer (placeLateRecords): its failures and dead letters get alarms of their own. */
  placer?: { functionName: pulumi.Input<string>; deadLetterQueueName: pulumi.Input<string> };
}

/**
 * Every alarm's id, in the order the dashboard's alarm strip lists them. The id names the alarm
 * resource (`<name>-<id>`) and keys `alarmArns`; the dashboard (dashboard-body.ts) gives each alarm
 * a graph of its own, and throws if one has none.
 */
export const ALARM_IDS = [
  'quota-headroom',
  'tomorrow-not-ready',
  'fallback-volume',
  'router-errors',
  'on-failure-deliveries',
  'router-iterator-age',
  'router-throttled',
  'fallback-freshness',
  'rotation-heartbeat',
  'rotation-errors',
  'ownership-conflict',
  'near-term-shortfall',
  'fallback-missing',
  'hour-signal-failed',
  'orphan-streams',
] as const;
/** The placer's alarms, made only with `placeLateRecords` (components/placer-alarms.ts). */
export const PLACER_ALARM_IDS = ['placer-errors', 'placer-dead-letters'] as const;
export type AlarmId = (typeof ALARM_IDS)[number] | (typeof PLACER_ALARM_IDS)[number];

export type AlarmSpec = Omit<aws.cloudwatch.MetricAlarmArgs, 'alarmActions' | 'okActions'> & {
  alarmDescription: string;
};

function positive(name: string, field: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0)
    throw new Error(`Alarms ${name}: ${field} must be a number ≥ 0, got ${value}`);
  return v;
}

export class Alarms extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  public readonly alarmNames: pulumi.Output<string>[];
  /** ARN of each alarm by its id (e.g. `router-errors`): the dashboard draws them on its graphs. */
  public readonly alarmArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: AlarmsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const fallbackVolume = positive(name, 'fallbackRecordsPer5Min', args.fallbackRecordsPer5Min, 1000);
    const iteratorAge = positive(name, 'iteratorAgeMs', args.iteratorAgeMs, 600_000);
    const freshness = positive(name, 'dataFreshnessSeconds', args.dataFreshnessSeconds, 1800);
    const headroom = positive(name, 'quotaHeadroomBelow', args.quotaHeadroomBelow, 1);
    const throttledShare = positive(name, 'throttledSharePercent', args.throttledSharePercent, 5);
    const tomorrowRuns = args.tomorrowNotReadyRuns ?? 3;
    // CloudWatch evaluates at most one day of hourly periods.
    if (!Number.isInteger(tomorrowRuns) || tomorrowRuns < 1 || tomorrowRuns > 24)
      throw new Error(
        `Alarms ${name}: tomorrowNotReadyRuns must be an integer from 1 to 24, got ${tomorrowRuns}`,
      );
    super('firehose-rotation:index:Alarms', name, {}, opts);
    const child = { parent: this };
    const env = awsEnvironment(this);

    const key = new aws.kms.Key(
      `${name}-topic-key`,
      { description: `${name} alarm topic`, enableKeyRotation: true, policy: topicKeyPolicy(env) },
      child,
    );
    const topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: key.arn }, child);
    if (args.email) {
      new aws.sns.TopicSubscription(
        `${name}-email`,
        { topic: topic.arn, protocol: 'email', endpoint: args.email },
        child,
      );
    }

    const lambda = (fn: pulumi.Input<string>) => ({ FunctionName: fn });
    // CloudWatch matches an alarm's dimensions exactly: both dimensions, as metricsOptions emits them.
    const ours = (service: string): Record<string, pulumi.Input<string>> => ({
      service,
      [DEPLOYMENT_DIMENSION]: args.deploymentId,
    });
    // A rotation metric that any run reporting above 0 within an hour must raise (one run an hour).
    const rotationReportsAny = (metricName: string, alarmDescription: string): AlarmSpec => ({
      alarmDescription,
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensions: ours(SERVICE.rotation),
      statistic: 'Maximum',
      period: 3600,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    });
    const specs: Record<(typeof ALARM_IDS)[number], AlarmSpec> &
      Partial<Record<(typeof PLACER_ALARM_IDS)[number], AlarmSpec>> = {
      'router-errors': {
        alarmDescription:
          'Router invocations failed twice in a row: read the router logs; records are retried by Kinesis.',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: lambda(args.routerFunctionName),
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 2,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      },
      'router-iterator-age': {
        alarmDescription:
          'The router is falling behind the Kinesis stream: check throttles, errors and batch size.',
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensions: lambda(args.routerFunctionName),
        statistic: 'Maximum',
        period: 300,
        evaluationPeriods: 3,
        threshold: iteratorAge,
        comparisonOperator: 'GreaterThanThreshold',
      },
      'on-failure-deliveries': {
        alarmDescription:
          'Kinesis records gave up after all retries and went to the on-failure S3 destination: replay them.',
        namespace: 'AWS/Lambda',
        metricName: 'OnFailureDestinationDeliveredEventCount',
        dimensions: { EventSourceMappingUUID: args.eventSourceMappingUuid },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      },
      'fallback-volume': {
        alarmDescription:
          'Many records go to the fallback (late, early or unparseable): check producers and the rotation.',
        namespace: METRIC_NAMESPACE,
        metricName: ROUTER_METRICS.fallbackRecords,
        dimensions: ours(SERVICE.router),
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: fallbackVolume,
        comparisonOperator: 'GreaterThanThreshold',
      },
      'router-throttled': {
        alarmDescription:
          `Firehose refused over ${throttledShare} % of the router's records for throughput for 15 minutes ` +
          '("Slow down."): the hourly streams are at their limit. Raise streamsPerHour (docs/router.md#streams-per-hour).',
        // The share, not a count: what is "a lot" depends on the traffic. Records refused twice
        // count twice, so the share can pass 100 %; no records in a period is no data, not breaching.
        metricQueries: [
          {
            id: 'throttled',
            metric: {
              namespace: METRIC_NAMESPACE,
              metricName: ROUTER_METRICS.recordsThrottled,
              dimensions: ours(SERVICE.router),
              stat: 'Sum',
              period: 300,
            },
            returnData: false,
          },
          {
            id: 'records',
            metric: {
              namespace: METRIC_NAMESPACE,
              metricName: ROUTER_METRICS.recordsIn,
              dimensions: ours(SERVICE.router),
              stat: 'Sum',
              period: 300,
            },
            returnData: false,
          },
          {
            id: 'share',
            expression: '100 * throttled / records',
            label: 'throttled share (%)',
            returnData: true,
          },
        ],
        evaluationPeriods: 3,
        threshold: throttledShare,
        comparisonOperator: 'GreaterThanThreshold',
      },
      'fallback-freshness': {
        alarmDescription:
          'The fallback stream cannot deliver to S3: check the delivery role, bucket policy and KMS key.',
        namespace: 'AWS/Firehose',
        metricName: 'DeliveryToS3.DataFreshness',
        dimensions: { DeliveryStreamName: args.fallbackStreamName },
        statistic: 'Maximum',
        period: 300,
        evaluationPeriods: 2,
        threshold: freshness,
        comparisonOperator: 'GreaterThanThreshold',
      },
      'rotation-errors': {
        alarmDescription: 'The rotation function failed: run `firehose-rotation plan` and read its logs.',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: lambda(args.rotationFunctionName),
        statistic: 'Sum',
        period: 3600,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      },
      'rotation-heartbeat': {
        alarmDescription: 'No successful rotation for 2 hours: check the schedule and the rotation function.',
        namespace: METRIC_NAMESPACE,
        metricName: ROTATION_METRICS.succeeded,
        dimensions: ours(SERVICE.rotation),
        statistic: 'Sum',
        period: 3600,
        evaluationPeriods: 2,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
      },
      'tomorrow-not-ready': {
        alarmDescription:
          `Tomorrow's hourly streams (within the lookahead) have been incomplete for ${tomorrowRuns} runs: ` +
          'check quota, foreign streams, shortfall.',
        namespace: METRIC_NAMESPACE,
        metricName: ROTATION_METRICS.tomorrowMissing,
        dimensions: ours(SERVICE.rotation),
        statistic: 'Maximum',
        period: 3600,
        evaluationPeriods: tomorrowRuns,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      },
      'ownership-conflict': rotationReportsAny(
        ROTATION_METRICS.ownershipConflicts,
        "Streams named like ours carry another owner's tags, usually a second deployment with the same " +
          "streamPrefix: both routers write into each other's streams. Give one stack another prefix.",
      ),
      'near-term-shortfall': rotationReportsAny(
        ROTATION_METRICS.nearTermShortfall,
        'The current or next hour has no stream (records go to the fallback): the quota is full. Run ' +
          '`firehose-rotation plan` and `status`; see docs/sharing.md for budgets and the reserve.',
      ),
      'fallback-missing': rotationReportsAny(
        ROTATION_METRICS.fallbackMissing,
        'The fallback stream does not exist: late, early and unroutable records fail. Run `pulumi up` to ' +
          'recreate it; rotation keeps its slot in the quota free.',
      ),
      'hour-signal-failed': rotationReportsAny(
        ROTATION_METRICS.hourSignalsFailed,
        "A drained hour's _SUCCESS marker or hour-complete event failed (missing bucket or event bus, " +
          'denied key). Its stream is held for later runs to retry, for at most 3 hours; see the runbook.',
      ),
      'orphan-streams': rotationReportsAny(
        ROTATION_METRICS.orphansRefused,
        "Streams carrying this deployment's owner tag under a prefix its role does not cover could not " +
          'be deleted (AccessDenied): they hold quota. The run summary and `firehose-rotation status` ' +
          'name them; delete them by hand once drained (docs/sharing.md).',
      ),
      'quota-headroom': {
        alarmDescription:
          'Firehose stream quota headroom stayed low for 3 hours: raise the quota or remove foreign streams.',
        namespace: METRIC_NAMESPACE,
        metricName: ROTATION_METRICS.quotaHeadroom,
        dimensions: ours(SERVICE.rotation),
        statistic: 'Minimum',
        period: 3600,
        evaluationPeriods: 3,
        threshold: headroom,
        comparisonOperator: 'LessThanThreshold',
      },
      ...(args.placer ? placerAlarmSpecs(args.placer, ours(SERVICE.placer)) : {}),
    };
    const alarms = Object.entries(specs).map(([id, spec]) => {
      const alarm = new aws.cloudwatch.MetricAlarm(
        `${name}-${id}`,
        { treatMissingData: 'notBreaching', ...spec, alarmActions: [topic.arn], okActions: [topic.arn] },
        child,
      );
      return [id, alarm] as const;
    });
    this.alarmNames = alarms.map(([, alarm]) => alarm.name);
    this.alarmArns = Object.fromEntries(alarms.map(([id, alarm]) => [id, alarm.arn]));
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn, alarmNames: this.alarmNames });
  }
}

const KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:RevokeGrant',
];

/** The account administers the key; CloudWatch may only encrypt messages for this account's alarms. */
function topicKeyPolicy(env: AwsEnvironment): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: pulumi.interpolate`arn:${env.partition}:iam::${env.accountId}:root` },
      // Explicit administration actions (no "kms:*"): everything Pulumi and an operator need.
      Action: KEY_ADMIN_ACTIONS,
      Resource: '*',
    },
    {
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': env.accountId } },
    },
    {
      // An operator's test publish (`aws sns publish`) and anything else in the account allowed to
      // publish: SNS uses the key on the caller's behalf. "*" is bounded by the conditions: only
      // callers of this account, only through SNS in this Region (AWS's own aws/sns key does this).
      Sid: 'AccountPrincipalsPublishThroughSns',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': env.accountId, 'kms:ViaService': viaService(env, 'sns') },
      },
    },
  ]);
}

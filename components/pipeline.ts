// The whole pipeline as one component: buckets, source stream, delivery role, fallback stream,
// rotation, router, alarms and Athena tables, wired so that the functions receive exactly the
// settings Pulumi validated plus the ARNs of what it deployed. index.ts instantiates it from stack
// config and exports its flat string fields.
import * as pulumi from '@pulumi/pulumi';
import { DateTime } from 'luxon';
import { generationOf, knownPrefixes, retainedObjectPrefixes } from '../rotation/core/generations';
import { TAG_NAMESPACE } from '../rotation/core/names';
import { RotationSettings, settingsEnvironmentValue } from '../rotation/core/settings';
import { tomorrowAlarmPeriods } from '../rotation/core/capacity';
import { Alarms } from './alarms';
import { AthenaTables } from './athena-tables';
import { Dashboard } from './dashboard';
import { DataLakeBucket } from './data-lake-bucket';
import { DeliveryRole } from './delivery-role';
import { FallbackStream } from './fallback-stream';
import { sharingCapacityNote } from '../rotation/core/fair-share';
import { liveWindowStreams } from '../rotation/core/capacity';
import { previousGenerationState } from './generation-state';
import {
  DEFAULT_ATHENA_FIRST_DAY,
  defaultDatabaseName,
  longestDeployedFields,
  PipelineArgs,
  runtimeSettings,
  settingsAfterUp,
} from './pipeline-args';
import { checkedEnvironment } from './lambda-environment';
import { isPlaceable } from '../rotation/core/placement';
import { Placer } from './placer';
import { Rotation } from './rotation';
import { Router } from './router';
import { SourceStream } from './source-stream';
import { componentName } from './validate';

export type { PipelineArgs } from './pipeline-args';

/** Every public field: registered as the component's outputs (index.ts exports all but settings). */
const PIPELINE_OUTPUTS = [
  'settings',
  'bucketName',
  'bucketArn',
  'failedBatchesBucketName',
  'dataPrefix',
  'fallbackPrefix',
  'hourlyStreamNamePattern',
  'fallbackStreamName',
  'fallbackStreamArn',
  'kinesisStreamName',
  'kinesisStreamArn',
  'routerFunctionName',
  'rotationFunctionName',
  'kmsKeyArn',
  'athenaDatabase',
  'athenaEventsTable',
  'athenaFallbackTable',
  'alarmTopicArn',
  'dashboardUrl',
  'placerFunctionName',
  'generationState',
] as const;

function pipelineOutputs(p: Pipeline): Record<string, unknown> {
  return Object.fromEntries(PIPELINE_OUTPUTS.map((key) => [key, p[key]]));
}

export class Pipeline extends pulumi.ComponentResource {
  public readonly settings: pulumi.Output<RotationSettings>;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly failedBatchesBucketName: pulumi.Output<string>;
  public readonly dataPrefix: string;
  public readonly fallbackPrefix: string;
  public readonly hourlyStreamNamePattern: string;
  public readonly fallbackStreamName: pulumi.Output<string>;
  public readonly fallbackStreamArn: pulumi.Output<string>;
  public readonly kinesisStreamName: pulumi.Output<string>;
  public readonly kinesisStreamArn: pulumi.Output<string>;
  public readonly routerFunctionName: pulumi.Output<string>;
  public readonly rotationFunctionName: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly athenaDatabase: pulumi.Output<string>;
  public readonly athenaEventsTable: pulumi.Output<string>;
  public readonly athenaFallbackTable: pulumi.Output<string>;
  public readonly alarmTopicArn: pulumi.Output<string>;
  /**
   * The generation state: JSON of the current and former configurations (docs/lifecycle.md),
   * exported as the stack output `lifecycleState` (that key, whatever this field is called:
   * components/generation-state.ts), which the next `up` reads back to keep serving streams made
   * before it.
   */
  public readonly generationState: pulumi.Output<string>;
  /** Console link of the CloudWatch dashboard; undefined when the stack turns it off. */
  public readonly dashboardUrl: pulumi.Output<string> | undefined;
  /** The placer function (docs/placer.md); undefined with placeLateRecords false. */
  public readonly placerFunctionName: pulumi.Output<string> | undefined;

  constructor(name: string, args: PipelineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    componentName('Pipeline', name, 30);
    const config = args.config;
    // At preview the ARNs are unknown: judge the environment with the longest they can be.
    checkedEnvironment(
      'Pipeline',
      settingsEnvironmentValue(runtimeSettings(config, longestDeployedFields(name, args.bucket?.kmsKeyArn))),
    );
    super('firehose-rotation:index:Pipeline', name, {}, opts);
    // Preview cannot list the Region's streams (no SDK calls here): it says what the settings tell.
    void pulumi.log.info(sharingCapacityNote(config.quota, liveWindowStreams(config)), this);

    const child = { parent: this };
    // The instant of this `up`, once: every decision below about former configurations uses it.
    const now = DateTime.fromJSDate(args.generations?.now?.() ?? new Date(), { zone: 'utc' });
    const previous = previousGenerationState(`${name}-previous`, this, args.generations?.stackName);
    const tags = { ...config.extraTags, [`${TAG_NAMESPACE}managed-by`]: 'pulumi' };
    const logRetentionDays = args.logRetentionDays;
    const lake = new DataLakeBucket(
      `${name}-lake`,
      { ...args.bucket, errorOutputPrefix: config.errorOutputPrefix, tags },
      child,
    );
    // Failed Kinesis batches get their own bucket: the on-failure objects are whole Lambda events,
    // not data, and must not show up under the lake's table locations.
    const { forceDestroy, protect } = args.bucket ?? {};
    const failed = new DataLakeBucket(
      `${name}-failed`,
      { kmsKeyArn: lake.kmsKeyArn, forceDestroy, protect, tags },
      child,
    );
    const source = new SourceStream(
      `${name}-source`,
      { ...args.stream, kmsKeyArn: lake.kmsKeyArn, tags },
      child,
    );
    const delivery = new DeliveryRole(
      `${name}-delivery`,
      {
        bucketArn: lake.bucketArn,
        kmsKeyArn: lake.kmsKeyArn,
        objectPrefixes: [config.dataPrefix, config.fallbackPrefix, config.errorOutputPrefix],
        // Live streams made under the last deployment's (or an older live) configuration still
        // write to their prefixes; the role keeps them until no such stream can exist.
        retainedObjectPrefixes: previous.apply((p) => retainedObjectPrefixes(p, now)),
        logRetentionDays,
        tags,
      },
      child,
    );
    const fallback = new FallbackStream(
      `${name}-fallback`,
      {
        streamName: config.fallbackStreamName,
        bucketArn: lake.bucketArn,
        roleArn: delivery.roleArn,
        kmsKeyArn: lake.kmsKeyArn,
        logGroupName: delivery.logGroupName,
        fallbackPrefix: config.fallbackPrefix,
        errorOutputPrefix: config.errorOutputPrefix,
        bufferingSizeMiB: config.bufferingSizeMiB,
        bufferingIntervalSeconds: config.bufferingIntervalSeconds,
        compression: config.compression,
        tags,
        deploymentId: config.deploymentId,
        dependsOn: [delivery.policy, ...delivery.logStreams, ...lake.ready],
      },
      child,
    );

    // Validated inside the apply as well: what reaches the functions has passed the same schema.
    // The former configurations join the settings here: they need the deployed ARNs (the config
    // digest covers the role, bucket, key and log group a stream is made with).
    this.settings = pulumi
      .all([lake.bucketArn, delivery.roleArn, lake.kmsKeyArn, delivery.logGroupName, previous])
      .apply(([bucketArn, deliveryRoleArn, kmsKeyArn, logGroupName, prev]) => {
        const deployed = { bucketArn, deliveryRoleArn, kmsKeyArn, logGroupName };
        // Checked against 4 KB again with the former configurations, before either function exists.
        return settingsAfterUp(config, deployed, prev, now);
      });
    this.generationState = this.settings.apply((s) =>
      JSON.stringify({ current: generationOf(s), formers: s.formerGenerations }),
    );

    // Both functions get the settings (dataPrefix, …) only once the delivery role allows them and
    // the bucket exists: a failed or lagging role update then stops the `up` before either switches.
    const functionsAfter = [delivery.policy, lake.bucket];
    const rotation = new Rotation(
      `${name}-rotation`,
      {
        ...args.rotation,
        settings: this.settings,
        kmsKeyArn: lake.kmsKeyArn,
        logRetentionDays,
        tags,
        bundle: args.bundle,
        functionDependsOn: functionsAfter,
        lifecycleDependsOn: [
          delivery.role,
          delivery.policy,
          ...delivery.logStreams,
          fallback.stream,
          lake.bucket,
          ...lake.ready,
          ...(lake.key ? [lake.key] : []),
        ],
      },
      child,
    );
    const router = new Router(
      `${name}-router`,
      {
        ...args.router,
        settings: this.settings,
        kmsKeyArn: lake.kmsKeyArn,
        streamArn: source.streamArn,
        streamRetentionHours: source.retentionHours,
        formerStreamPrefixes: this.settings.apply((s) => knownPrefixes(s)),
        fallbackStreamArn: fallback.streamArn,
        failureBucketArn: failed.bucketArn,
        logRetentionDays,
        tags,
        bundle: args.bundle,
        functionDependsOn: functionsAfter,
        // Records start flowing once the hourly streams exist and the failure bucket is hardened.
        dependsOn: [rotation.lifecycle, ...failed.ready],
      },
      child,
    );

    // Complete partitions: late and early records placed into their hour (docs/placer.md).
    const placer =
      config.placeLateRecords && isPlaceable(config.compression)
        ? new Placer(
            `${name}-placer`,
            {
              ...args.placer,
              settings: this.settings,
              bucketName: lake.bucketName,
              bucketArn: lake.bucketArn,
              kmsKeyArn: lake.kmsKeyArn,
              logRetentionDays,
              tags,
              bundle: args.bundle,
              dependsOn: lake.ready,
            },
            child,
          )
        : undefined;
    if (config.placeLateRecords && !placer) {
      void pulumi.log.warn(
        `placeLateRecords: compression ${config.compression} cannot be placed (the placer reads GZIP and UNCOMPRESSED): ` +
          'late and early records stay in the fallback only; set placeLateRecords to false to silence this',
        this,
      );
    }
    const placerTargets = placer && {
      functionName: placer.functionName,
      deadLetterQueueName: placer.deadLetterQueueName,
    };

    const alarms = new Alarms(
      `${name}-alarms`,
      {
        ...args.alarms,
        routerFunctionName: router.functionName,
        rotationFunctionName: rotation.functionName,
        eventSourceMappingUuid: router.eventSourceMapping.uuid,
        fallbackStreamName: fallback.streamName,
        deploymentId: config.deploymentId,
        // Tomorrow may be incomplete for a few runs each night by design (docs/sharing.md).
        tomorrowNotReadyRuns: tomorrowAlarmPeriods(config),
        placer: placerTargets,
      },
      child,
    );
    const dashboard =
      args.dashboard?.enabled === false
        ? undefined
        : new Dashboard(
            `${name}-dashboard`,
            {
              streamPrefix: config.streamPrefix,
              deploymentId: config.deploymentId,
              routerFunctionName: router.functionName,
              rotationFunctionName: rotation.functionName,
              eventSourceMappingUuid: router.eventSourceMapping.uuid,
              fallbackStreamName: fallback.streamName,
              alarmArns: alarms.alarmArns,
              placer: placerTargets,
            },
            child,
          );
    const athena = new AthenaTables(
      `${name}-athena`,
      {
        bucketName: lake.bucketName,
        dataPrefix: config.dataPrefix,
        fallbackPrefix: config.fallbackPrefix,
        databaseName: args.athena?.databaseName ?? defaultDatabaseName(config.streamPrefix),
        firstDay: args.athena?.firstDay ?? DEFAULT_ATHENA_FIRST_DAY,
      },
      child,
    );

    this.bucketName = lake.bucketName;
    this.bucketArn = lake.bucketArn;
    this.failedBatchesBucketName = failed.bucketName;
    this.dataPrefix = config.dataPrefix;
    this.fallbackPrefix = config.fallbackPrefix;
    this.hourlyStreamNamePattern = `${config.streamPrefix}-yyyyMMddHH`;
    this.fallbackStreamName = fallback.streamName;
    this.fallbackStreamArn = fallback.streamArn;
    this.kinesisStreamName = source.streamName;
    this.kinesisStreamArn = source.streamArn;
    this.routerFunctionName = router.functionName;
    this.rotationFunctionName = rotation.functionName;
    this.kmsKeyArn = lake.kmsKeyArn;
    this.athenaDatabase = athena.databaseName;
    this.athenaEventsTable = athena.eventsTableName;
    this.athenaFallbackTable = athena.fallbackTableName;
    this.alarmTopicArn = alarms.topicArn;
    this.dashboardUrl = dashboard?.url;
    this.placerFunctionName = placer?.functionName;
    this.registerOutputs(pipelineOutputs(this));
  }
}

// The placer function (docs/placer.md): S3 notifies it of every object the fallback stream writes,
// and it writes the late and early records among them into their event-time partitions. Its role
// reads only the fallback prefix, writes only the data prefix, lists only `_SUCCESS` markers and
// publishes only "Hour Partition Amended" events. Failed invocations (after Lambda's two retries)
// land in a dead-letter queue with the S3 event, which names the object to place again.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { EVENT_SOURCE, SUCCESS_MARKER } from '../rotation/core/hour-complete';
import { HOUR_AMENDED_DETAIL_TYPE } from '../rotation/core/hour-amended';
import { PLACED_OBJECT_NAME_PREFIX, placeableDataPrefixes } from '../rotation/core/placement';
import type { RotationSettings } from '../rotation/core/settings';
import { BundleOptions, HANDLER_ENTRIES } from './bundle';
import { BundledFunction } from './bundled-function';
import { failedRunsQueue, failedRunsStatement, sendFailedRunsTo } from './failed-runs';
import { AwsEnvironment, awsEnvironment, Statement, viaService } from './policy';
import { eventBusArn } from './rotation-policy';
import { intArg } from './validate';

export interface PlacerArgs {
  entry?: string;
  /** The validated runtime settings: prefixes, compression, event-time rule, bus, deployment. */
  settings: pulumi.Input<RotationSettings>;
  /** The lake bucket the fallback stream writes to and the placer writes into. */
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  /** The lake's key: objects are read and written through S3 with it; it encrypts the environment. */
  kmsKeyArn: pulumi.Input<string>;
  /** A fallback object holds up to 128 MiB before compression (Firehose's largest buffer). */
  timeoutSeconds?: number;
  memoryMiB?: number;
  logRetentionDays?: number;
  tags?: Record<string, string>;
  /** The bucket's notification is created after these (the bucket's own baseline). */
  dependsOn?: pulumi.Resource[];
  bundle?: BundleOptions;
}

/** The placer's own permissions, from the settings it runs with (logs are BundledFunction's). */
function placerStatements(
  env: AwsEnvironment,
  s: RotationSettings,
  kmsKeyArn: string,
  deadLetterQueueArn: string,
): Statement[] {
  const bucket = s.bucketArn;
  // Late records of an hour made under a former configuration join that hour's data prefix.
  const prefixes = placeableDataPrefixes(s);
  return [
    {
      // GetObjectVersion: a versioned bucket's notification names the version to read.
      Sid: 'ReadFallbackObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: [`${bucket}/${s.fallbackPrefix}/*`],
    },
    {
      // Placed objects only (core/placement.ts placedObjectKey): never a `_SUCCESS` marker, so the
      // placer cannot declare an hour complete, and never an hourly stream's object.
      Sid: 'WritePlacedObjects',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: prefixes.map((p) => `${bucket}/${p}/dt=*/hr=*/${PLACED_OBJECT_NAME_PREFIX}*`),
    },
    {
      // Is the hour already complete? A listing of exactly its marker key (a HeadObject on a
      // missing key without ListBucket would be a 403, indistinguishable from a denial).
      Sid: 'FindHourCompleteMarkers',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [bucket],
      Condition: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}/dt=*/hr=*/${SUCCESS_MARKER}`) } },
    },
    {
      Sid: 'ObjectsThroughS3WithTheLakeKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [kmsKeyArn],
      Condition: {
        StringEquals: { 'kms:ViaService': viaService(env, 's3') },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket, `${bucket}/*`] },
      },
    },
    {
      Sid: 'PublishHourAmended',
      Effect: 'Allow',
      Action: ['events:PutEvents'],
      Resource: [eventBusArn(env, s)],
      Condition: {
        'ForAllValues:StringEquals': {
          'events:source': [EVENT_SOURCE],
          'events:detail-type': [HOUR_AMENDED_DETAIL_TYPE],
        },
      },
    },
    failedRunsStatement(deadLetterQueueArn),
  ];
}

export class Placer extends pulumi.ComponentResource {
  public readonly fn: BundledFunction;
  public readonly functionName: pulumi.Output<string>;
  public readonly deadLetterQueue: aws.sqs.Queue;
  public readonly deadLetterQueueName: pulumi.Output<string>;
  public readonly notification: aws.s3.BucketNotification;

  constructor(name: string, args: PlacerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'Placer';
    const timeoutSeconds = intArg(C, 'timeoutSeconds', args.timeoutSeconds, 600, {
      min: 60,
      max: 900,
      unit: 'seconds',
    });
    // CPU scales with memory: gunzip and gzip of a 128 MiB object want more than the 256 MiB default.
    const memoryMiB = intArg(C, 'memoryMiB', args.memoryMiB, 1024, { min: 256, max: 10240, unit: 'MiB' });
    super('firehose-rotation:index:Placer', name, {}, opts);

    const env = awsEnvironment(this);
    const tags = args.tags ?? {};
    this.deadLetterQueue = failedRunsQueue(name, this, tags);
    this.deadLetterQueueName = this.deadLetterQueue.name;
    const settings = pulumi.output(args.settings);
    this.fn = new BundledFunction(
      `${name}-fn`,
      {
        entry: args.entry ?? HANDLER_ENTRIES.placer,
        description:
          'Writes late and early records from the fallback into their event-time hour (firehose-rotation)',
        settings,
        kmsKeyArn: args.kmsKeyArn,
        timeoutSeconds,
        memoryMiB,
        logRetentionDays: args.logRetentionDays,
        tags: args.tags,
        bundle: args.bundle,
        statements: pulumi
          .all([settings, args.kmsKeyArn, this.deadLetterQueue.arn])
          .apply(([s, key, dlq]) => pulumi.output(placerStatements(env, s, key, dlq))),
      },
      { parent: this },
    );
    this.functionName = this.fn.functionName;

    sendFailedRunsTo(name, this, this.fn.functionName, this.deadLetterQueue, 21600);
    const permission = new aws.lambda.Permission(
      `${name}-s3-invoke`,
      {
        action: 'lambda:InvokeFunction',
        function: this.fn.functionName,
        principal: 's3.amazonaws.com',
        sourceArn: args.bucketArn,
        sourceAccount: env.accountId,
      },
      { parent: this },
    );
    // S3 keeps one notification configuration per bucket: this resource owns the lake's.
    this.notification = new aws.s3.BucketNotification(
      `${name}-notification`,
      {
        bucket: args.bucketName,
        lambdaFunctions: [
          {
            lambdaFunctionArn: this.fn.functionArn,
            events: ['s3:ObjectCreated:*'],
            filterPrefix: settings.apply((s) => `${s.fallbackPrefix}/`),
          },
        ],
      },
      // S3 checks that it may invoke the function when the configuration is saved.
      { parent: this, dependsOn: [permission, this.fn.policy, ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({ functionName: this.functionName, deadLetterQueueName: this.deadLetterQueueName });
  }
}

// The router function and the event source mapping that feeds it from Kinesis. The mapping keeps
// failures small and visible: partial batch responses, bisection of failing batches, bounded
// retries and record age, and an S3 on-failure destination that keeps the records themselves
// (SQS/SNS destinations keep only metadata for Kinesis).
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { maxStreamsPerHour } from '../rotation/core/generations';
import { RotationSettings, settingsEnvironmentValue } from '../rotation/core/settings';
import { ROUTER_TIMEOUT_SECONDS } from '../rotation/core/time-window';
import { HANDLER_ENTRIES, BundleOptions } from './bundle';
import { BundledFunction, knownSettings } from './bundled-function';
import { checkedEnvironment } from './lambda-environment';
import { awsEnvironment, hourlyStreamArns, viaService } from './policy';
import { ArgumentError, AWS_RANGES, intArg, oneOf } from './validate';

export interface RouterArgs {
  entry?: string;
  /** The validated runtime settings (parseSettings); the hourly name prefix comes from them. */
  settings: pulumi.Input<RotationSettings>;
  kmsKeyArn: pulumi.Input<string>;
  streamArn: pulumi.Input<string>;
  /** The source stream's retention: records older than this are gone, so retries must stop earlier. */
  streamRetentionHours: number;
  /**
   * Prefixes of former configurations whose streams may still be open (settings changes: the
   * Pipeline passes rotation/core/generations.ts knownPrefixes); PutRecordBatch covers them too.
   */
  formerStreamPrefixes?: pulumi.Input<string[]>;
  fallbackStreamArn: pulumi.Input<string>;
  /** Bucket the mapping writes failed batches (with their records) to. */
  failureBucketArn: pulumi.Input<string>;
  batchSize?: number;
  batchingWindowSeconds?: number;
  maximumRetryAttempts?: number;
  maximumRecordAgeSeconds?: number;
  parallelizationFactor?: number;
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** 10–60 s (default 60): the rotation's far-ahead and drain rules assume no longer (time-window.ts). */
  timeoutSeconds?: number;
  memoryMiB?: number;
  logRetentionDays?: number;
  tags?: Record<string, string>;
  /** The mapping starts only after these (the deploy-time bootstrap that creates the hourly streams). */
  dependsOn?: pulumi.Resource[];
  /**
   * What the function itself must come after (the delivery role's policy and the bucket): it never
   * writes with settings, e.g. a new dataPrefix, the delivery role does not allow yet.
   */
  functionDependsOn?: pulumi.Resource[];
  bundle?: BundleOptions;
}

export class Router extends pulumi.ComponentResource {
  public readonly fn: BundledFunction;
  public readonly functionName: pulumi.Output<string>;
  public readonly eventSourceMapping: aws.lambda.EventSourceMapping;

  constructor(name: string, args: RouterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'Router';
    // Plain settings are checked now; an Output (the Pipeline's) in BundledFunction once known.
    const known = knownSettings(args.settings);
    if (known) checkedEnvironment(C, settingsEnvironmentValue(known));
    const retention = intArg(
      C,
      'streamRetentionHours',
      args.streamRetentionHours,
      24,
      AWS_RANGES.kinesisRetentionHours,
    );
    // At most ROUTER_TIMEOUT_SECONDS: the rotation deletes and remakes far-ahead streams, and deletes
    // drained ones, on the promise that no router decision is acted on later than that.
    const timeoutSeconds = intArg(C, 'timeoutSeconds', args.timeoutSeconds, ROUTER_TIMEOUT_SECONDS, {
      min: 10,
      max: ROUTER_TIMEOUT_SECONDS,
      unit: 'seconds',
    });
    const batchSize = intArg(C, 'batchSize', args.batchSize, 500, { min: 1, max: 10000, unit: 'records' });
    const window = intArg(C, 'batchingWindowSeconds', args.batchingWindowSeconds, 5, {
      min: 0,
      max: 300,
      unit: 'seconds',
    });
    // Bounded: -1 (Lambda's "forever") would let one poison batch stall a shard for the whole retention.
    const retries = intArg(C, 'maximumRetryAttempts', args.maximumRetryAttempts, 3, {
      min: 0,
      max: 10,
      unit: 'attempts',
    });
    const maxAge = intArg(C, 'maximumRecordAgeSeconds', args.maximumRecordAgeSeconds, 21600, {
      min: 60,
      max: 604800,
      unit: 'seconds',
    });
    if (maxAge >= retention * 3600) {
      throw new ArgumentError(
        C,
        'maximumRecordAgeSeconds',
        `must be below the stream's retention of ${retention * 3600} seconds, or records expire before they reach the on-failure destination`,
        maxAge,
      );
    }
    const parallelization = intArg(C, 'parallelizationFactor', args.parallelizationFactor, 1, {
      min: 1,
      max: 10,
      unit: 'batches per shard',
    });
    const startingPosition = oneOf(C, 'startingPosition', args.startingPosition, 'TRIM_HORIZON', [
      'TRIM_HORIZON',
      'LATEST',
    ] as const);
    super('firehose-rotation:index:Router', name, {}, opts);

    const env = awsEnvironment(this);
    // Former prefixes too: hours made under a former configuration keep its stream names while
    // they are open, and the router writes to them (rotation/core/generations.ts streamNameFor).
    const putTargets = pulumi
      .all([args.settings, args.formerStreamPrefixes ?? [], args.fallbackStreamArn])
      .apply(([settings, formers, fallback]) => {
        const prefixes = [...new Set([settings.streamPrefix, ...formers])];
        // Siblings (streamsPerHour > 1) of the most streams per hour any live configuration has.
        return pulumi.all([...hourlyStreamArns(env, prefixes, maxStreamsPerHour(settings)), fallback]);
      });
    this.fn = new BundledFunction(
      `${name}-fn`,
      {
        entry: args.entry ?? HANDLER_ENTRIES.router,
        description: 'Routes Kinesis records to the Firehose stream of their event hour (firehose-rotation)',
        settings: args.settings,
        kmsKeyArn: args.kmsKeyArn,
        timeoutSeconds,
        memoryMiB: args.memoryMiB ?? 512,
        logRetentionDays: args.logRetentionDays,
        tags: args.tags,
        bundle: args.bundle,
        dependsOn: args.functionDependsOn,
        statements: [
          {
            Sid: 'PutToHourlyAndFallbackStreams',
            Effect: 'Allow',
            Action: ['firehose:PutRecordBatch'],
            Resource: putTargets,
          },
          {
            // What the event source mapping needs for a standard (non-enhanced fan-out) consumer.
            Sid: 'ReadSourceStream',
            Effect: 'Allow',
            Action: [
              'kinesis:DescribeStream',
              'kinesis:DescribeStreamSummary',
              'kinesis:GetRecords',
              'kinesis:GetShardIterator',
              'kinesis:ListShards',
            ],
            Resource: [args.streamArn],
          },
          {
            Sid: 'DecryptSourceRecords',
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: [args.kmsKeyArn],
            Condition: { StringEquals: { 'kms:ViaService': viaService(env, 'kinesis') } },
          },
          {
            // Lambda writes on-failure records with the function's role: PutObject and ListBucket.
            Sid: 'WriteFailedBatches',
            Effect: 'Allow',
            Action: ['s3:PutObject'],
            Resource: [pulumi.interpolate`${args.failureBucketArn}/*`],
          },
          {
            Sid: 'ListFailureBucket',
            Effect: 'Allow',
            Action: ['s3:ListBucket'],
            Resource: [args.failureBucketArn],
          },
          {
            Sid: 'EncryptFailedBatches',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey'],
            Resource: [args.kmsKeyArn],
            Condition: {
              StringEquals: { 'kms:ViaService': viaService(env, 's3') },
              StringLike: {
                'kms:EncryptionContext:aws:s3:arn': [
                  args.failureBucketArn,
                  pulumi.interpolate`${args.failureBucketArn}/*`,
                ],
              },
            },
          },
        ],
      },
      { parent: this },
    );
    this.functionName = this.fn.functionName;

    this.eventSourceMapping = new aws.lambda.EventSourceMapping(
      `${name}-mapping`,
      {
        eventSourceArn: args.streamArn,
        functionName: this.fn.functionArn,
        startingPosition,
        batchSize,
        maximumBatchingWindowInSeconds: window,
        parallelizationFactor: parallelization,
        functionResponseTypes: ['ReportBatchItemFailures'],
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: retries,
        maximumRecordAgeInSeconds: maxAge,
        destinationConfig: { onFailure: { destinationArn: args.failureBucketArn } },
        // EventCount metrics include OnFailureDestinationDeliveredEventCount, which the
        // on-failure-deliveries alarm watches.
        metricsConfig: { metrics: ['EventCount'] },
        tags: args.tags ?? {},
      },
      // Lambda validates the role's Kinesis permissions when the mapping is created.
      { parent: this, dependsOn: [this.fn.policy, ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({ functionName: this.functionName });
  }
}

// The permanent, Pulumi-managed Firehose stream for records the hourly streams cannot take (late,
// early, unparseable, or their hour's stream is missing). It partitions by processing time: the
// event time of these records is unknown or outside the open window by definition.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { COMPRESSION_FORMATS, SETTING_RANGES } from '../rotation/core/settings';
import { FALLBACK_OF_TAG } from '../rotation/core/region-census';
import { FALLBACK_LOG_STREAM } from './delivery-role';
import { ArgumentError, intArg, matches, oneOf, s3Prefix, STREAM_NAME, STREAM_NAME_RULE } from './validate';

type CompressionFormat = (typeof COMPRESSION_FORMATS)[number];

export interface FallbackStreamArgs {
  /** Physical name; the router and the rotation know it from the settings, so it is not auto-named. */
  streamName: string;
  bucketArn: pulumi.Input<string>;
  roleArn: pulumi.Input<string>;
  /** Key S3 objects are encrypted with (the bucket's key). */
  kmsKeyArn: pulumi.Input<string>;
  logGroupName: pulumi.Input<string>;
  fallbackPrefix: string;
  errorOutputPrefix: string;
  bufferingSizeMiB: number;
  bufferingIntervalSeconds: number;
  compression: CompressionFormat;
  tags?: Record<string, string>;
  /**
   * The deployment this fallback serves, as tag `firehose-rotation:fallback-of`: other deployments
   * in the Region count it from its first `pulumi up` on, before it has any hourly stream, and make
   * room for it (docs/sharing.md). Never the owner tag: rotation deletes only streams carrying that.
   */
  deploymentId?: string;
  /** Resources Firehose needs before creation succeeds (the role's policy, the bucket's baseline). */
  dependsOn?: pulumi.Resource[];
}

/** `late/!{timestamp:yyyy/MM/dd/HH}/`: Firehose evaluates the expression at delivery time. */
function fallbackObjectPrefix(fallbackPrefix: string): string {
  return `${fallbackPrefix}/!{timestamp:yyyy/MM/dd/HH}/`;
}

/** Required when the prefix has expressions; the error type keeps failure kinds apart. */
function fallbackErrorPrefix(errorOutputPrefix: string): string {
  return `${errorOutputPrefix}/fallback/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`;
}

export class FallbackStream extends pulumi.ComponentResource {
  public readonly stream: aws.kinesis.FirehoseDeliveryStream;
  public readonly streamName: pulumi.Output<string>;
  public readonly streamArn: pulumi.Output<string>;

  constructor(name: string, args: FallbackStreamArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'FallbackStream';
    matches(C, 'streamName', args.streamName, STREAM_NAME, STREAM_NAME_RULE);
    s3Prefix(C, 'fallbackPrefix', args.fallbackPrefix);
    s3Prefix(C, 'errorOutputPrefix', args.errorOutputPrefix);
    // The hourly streams' settings: the schema's ranges, so the fallback takes what they take.
    const bufferingSize = intArg(
      C,
      'bufferingSizeMiB',
      args.bufferingSizeMiB,
      undefined, // required: the Pipeline passes the hourly streams' value
      SETTING_RANGES.bufferingSizeMiB,
    );
    const bufferingInterval = intArg(
      C,
      'bufferingIntervalSeconds',
      args.bufferingIntervalSeconds,
      undefined,
      SETTING_RANGES.bufferingIntervalSeconds,
    );
    const compression = oneOf(C, 'compression', args.compression, undefined, COMPRESSION_FORMATS);
    for (const field of ['bucketArn', 'roleArn', 'kmsKeyArn', 'logGroupName'] as const) {
      if (args[field] === undefined || args[field] === '')
        throw new ArgumentError(C, field, 'is required', args[field]);
    }
    super('firehose-rotation:index:FallbackStream', name, {}, opts);

    this.stream = new aws.kinesis.FirehoseDeliveryStream(
      `${name}-stream`,
      {
        name: args.streamName,
        destination: 'extended_s3',
        // Encrypts records while Firehose buffers them (Direct PUT only, which is how the router writes).
        serverSideEncryption: { enabled: true, keyType: 'AWS_OWNED_CMK' },
        extendedS3Configuration: {
          bucketArn: args.bucketArn,
          roleArn: args.roleArn,
          kmsKeyArn: args.kmsKeyArn,
          prefix: fallbackObjectPrefix(args.fallbackPrefix),
          errorOutputPrefix: fallbackErrorPrefix(args.errorOutputPrefix),
          bufferingSize,
          bufferingInterval,
          compressionFormat: compression,
          cloudwatchLoggingOptions: {
            enabled: true,
            logGroupName: args.logGroupName,
            logStreamName: FALLBACK_LOG_STREAM,
          },
        },
        // No ownership tag on purpose: the rotation may delete only streams carrying it.
        tags: {
          ...(args.tags ?? {}),
          ...(args.deploymentId ? { [FALLBACK_OF_TAG]: args.deploymentId } : {}),
        },
      },
      { parent: this, dependsOn: args.dependsOn ?? [] },
    );
    this.streamName = this.stream.name;
    this.streamArn = this.stream.arn;
    this.registerOutputs({ streamName: this.streamName, streamArn: this.streamArn });
  }
}

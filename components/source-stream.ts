// The Kinesis Data Stream producers write to: KMS-encrypted at rest, on-demand by default (no
// shard arithmetic until the traffic is known) or provisioned with a fixed shard count.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ArgumentError, AWS_RANGES, intArg, oneOf } from './validate';

const STREAM_MODES = ['ON_DEMAND', 'PROVISIONED'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

export interface SourceStreamArgs {
  /** Key for server-side encryption of the records. */
  kmsKeyArn: pulumi.Input<string>;
  mode?: StreamMode;
  /** Required with PROVISIONED, forbidden with ON_DEMAND (Kinesis manages shards itself). */
  shardCount?: number;
  /** How long records stay readable; the router's maximum record age must stay below it. */
  retentionHours?: number;
  tags?: Record<string, string>;
}

export class SourceStream extends pulumi.ComponentResource {
  public readonly stream: aws.kinesis.Stream;
  public readonly streamName: pulumi.Output<string>;
  public readonly streamArn: pulumi.Output<string>;
  public readonly retentionHours: number;
  public readonly mode: StreamMode;

  constructor(name: string, args: SourceStreamArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'SourceStream';
    const mode = oneOf(C, 'mode', args.mode, 'ON_DEMAND', STREAM_MODES);
    const retentionHours = intArg(
      C,
      'retentionHours',
      args.retentionHours,
      24,
      AWS_RANGES.kinesisRetentionHours,
    );
    let shardCount: number | undefined;
    if (mode === 'PROVISIONED') {
      if (args.shardCount === undefined) {
        throw new ArgumentError(
          C,
          'shardCount',
          'is required when mode is PROVISIONED (an integer from 1 to 1000)',
          undefined,
        );
      }
      shardCount = intArg(C, 'shardCount', args.shardCount, 1, { min: 1, max: 1000, unit: 'shards' });
    } else if (args.shardCount !== undefined) {
      throw new ArgumentError(
        C,
        'shardCount',
        'must be unset when mode is ON_DEMAND (Kinesis scales the shards)',
        args.shardCount,
      );
    }
    if (args.kmsKeyArn === undefined || args.kmsKeyArn === '') {
      throw new ArgumentError(
        C,
        'kmsKeyArn',
        'is required: the stream is always KMS-encrypted',
        args.kmsKeyArn,
      );
    }
    super('firehose-rotation:index:SourceStream', name, {}, opts);

    this.mode = mode;
    this.retentionHours = retentionHours;
    this.stream = new aws.kinesis.Stream(
      `${name}-stream`,
      {
        encryptionType: 'KMS',
        kmsKeyId: args.kmsKeyArn,
        retentionPeriod: retentionHours,
        streamModeDetails: { streamMode: mode },
        ...(shardCount === undefined ? {} : { shardCount }),
        tags: args.tags ?? {},
      },
      { parent: this },
    );
    this.streamName = this.stream.name;
    this.streamArn = this.stream.arn;
    this.registerOutputs({ streamName: this.streamName, streamArn: this.streamArn });
  }
}

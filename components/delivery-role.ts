// The role every Firehose stream of the pipeline delivers with (the fallback and the hourly streams
// the rotation creates), and the log group their delivery errors go to. Least privilege per
// design §8: only Firehose may assume it, only for this account; the six S3 actions on this
// bucket and its prefixes; KMS only through S3 for this bucket; logs only to its own group.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { HOURLY_DELIVERY_LOG_STREAM } from '../rotation/core/settings';
import { awsEnvironment, policyDocument, serviceTrustPolicy, viaService } from './policy';
import { ArgumentError, logRetention, s3Prefix } from './validate';

/** Log stream of the Pulumi-managed fallback stream. */
export const FALLBACK_LOG_STREAM = 'FallbackDelivery';
/** Log stream the rotation's hourly streams report delivery errors to (their request builder's). */
const DESTINATION_LOG_STREAM = HOURLY_DELIVERY_LOG_STREAM;

export interface DeliveryRoleArgs {
  bucketArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Key prefixes (no trailing "/") Firehose may write under: data, fallback, error output. */
  objectPrefixes: string[];
  /**
   * Prefixes that live streams made under a former configuration still write to (settings
   * changes: core/generations.ts retainedObjectPrefixes); allowed as long as the stack keeps them.
   */
  retainedObjectPrefixes?: pulumi.Input<string[]>;
  logRetentionDays?: number;
  tags?: Record<string, string>;
}

export class DeliveryRole extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly roleArn: pulumi.Output<string>;
  public readonly policy: aws.iam.RolePolicy;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly logGroupName: pulumi.Output<string>;
  public readonly logStreams: aws.cloudwatch.LogStream[];

  constructor(name: string, args: DeliveryRoleArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'DeliveryRole';
    if (!Array.isArray(args.objectPrefixes) || args.objectPrefixes.length === 0) {
      throw new ArgumentError(C, 'objectPrefixes', 'must list at least one S3 prefix', args.objectPrefixes);
    }
    args.objectPrefixes.forEach((p, i) => s3Prefix(C, `objectPrefixes[${i}]`, p));
    const retentionInDays = logRetention(C, args.logRetentionDays);
    super('firehose-rotation:index:DeliveryRole', name, {}, opts);

    const env = awsEnvironment(this);
    const tags = args.tags ?? {};
    this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays, tags }, { parent: this });
    this.logGroupName = this.logGroup.name;
    // Firehose does not create log streams; a stream that is missing silently drops the error logs.
    this.logStreams = [FALLBACK_LOG_STREAM, DESTINATION_LOG_STREAM].map(
      (stream) =>
        new aws.cloudwatch.LogStream(
          `${name}-${stream.toLowerCase()}`,
          { logGroupName: this.logGroup.name, name: stream },
          { parent: this },
        ),
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: 'Firehose delivery to the data lake bucket (firehose-rotation)',
        // The external id is the account: Firehose sets it, so only this account's streams assume the role.
        assumeRolePolicy: serviceTrustPolicy('firehose.amazonaws.com', {
          StringEquals: { 'sts:ExternalId': env.accountId },
        }),
        tags,
      },
      { parent: this },
    );
    this.roleArn = this.role.arn;

    const objectArns = pulumi
      .all([args.bucketArn, args.retainedObjectPrefixes ?? []])
      .apply(([bucket, retained]) =>
        [...new Set([...args.objectPrefixes, ...retained])].map((p) => `${bucket}/${p}/*`),
      );
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.name,
        policy: policyDocument([
          {
            Sid: 'BucketLevel',
            Effect: 'Allow',
            Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
            Resource: [args.bucketArn],
          },
          {
            Sid: 'ObjectsUnderPrefixes',
            Effect: 'Allow',
            Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
            Resource: objectArns,
          },
          {
            // Only S3 may use the key on the role's behalf, and only for this bucket. With a bucket
            // key the encryption context is the bucket ARN; without one it is the object ARN.
            Sid: 'KmsThroughS3ForThisBucket',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: [args.kmsKeyArn],
            Condition: {
              StringEquals: { 'kms:ViaService': viaService(env, 's3') },
              StringLike: {
                'kms:EncryptionContext:aws:s3:arn': pulumi
                  .all([args.bucketArn, objectArns])
                  .apply(([bucket, objects]) => [bucket, ...objects]),
              },
            },
          },
          {
            Sid: 'DeliveryErrorLogs',
            Effect: 'Allow',
            Action: ['logs:PutLogEvents'],
            Resource: [pulumi.interpolate`${this.logGroup.arn}:log-stream:*`],
          },
        ]),
      },
      { parent: this },
    );

    this.registerOutputs({ roleArn: this.roleArn, logGroupName: this.logGroupName });
  }
}

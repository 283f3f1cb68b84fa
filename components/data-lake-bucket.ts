// The S3 bucket the pipeline lands data in, with the security baseline of design §8: all four
// Block Public Access flags, BucketOwnerEnforced, SSE-KMS with a bucket key, a TLS-only policy,
// versioning and a lifecycle that cleans up what Firehose leaves behind.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyDocument } from './policy';
import { componentName, intArg, KMS_KEY_ARN, KMS_KEY_ARN_RULE, matches, s3Prefix } from './validate';

export interface DataLakeBucketArgs {
  /** A customer-managed key to encrypt with; when absent the component creates one (rotated yearly). */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * Opt-out of data retention. By default the bucket, its configuration and the created key are
   * `retainOnDelete`: `pulumi destroy` removes them from the stack but leaves the data (and the key
   * that decrypts it) in the account. `true` deletes the bucket with every object version.
   */
  forceDestroy?: boolean;
  /** Also `protect` the bucket and key, so even `pulumi destroy` refuses until unprotected. */
  protect?: boolean;
  /** Prefix (no trailing "/") under which Firehose writes error output; expired after errorExpirationDays. */
  errorOutputPrefix?: string;
  errorExpirationDays?: number;
  noncurrentVersionExpirationDays?: number;
  abortIncompleteMultipartUploadDays?: number;
  tags?: Record<string, string>;
}

export class DataLakeBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** The key S3 encrypts with: the created one, or the one supplied. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly key?: aws.kms.Key;
  public readonly policy: aws.s3.BucketPolicy;
  /** Every resource that must exist before a writer relies on the bucket's baseline. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: DataLakeBucketArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'DataLakeBucket';
    componentName(C, name);
    if (typeof args.kmsKeyArn === 'string') {
      matches(C, 'kmsKeyArn', args.kmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_RULE);
    }
    if (args.errorOutputPrefix !== undefined) s3Prefix(C, 'errorOutputPrefix', args.errorOutputPrefix);
    const errorDays = intArg(C, 'errorExpirationDays', args.errorExpirationDays, 30, {
      min: 1,
      max: 3650,
      unit: 'days',
    });
    const noncurrentDays = intArg(
      C,
      'noncurrentVersionExpirationDays',
      args.noncurrentVersionExpirationDays,
      30,
      { min: 1, max: 3650, unit: 'days' },
    );
    const abortDays = intArg(
      C,
      'abortIncompleteMultipartUploadDays',
      args.abortIncompleteMultipartUploadDays,
      7,
      { min: 1, max: 365, unit: 'days' },
    );
    super('firehose-rotation:index:DataLakeBucket', name, {}, opts);

    const forceDestroy = args.forceDestroy ?? false;
    // Retaining the bucket but deleting its key would make the retained data unreadable, and
    // deleting its policy or public access block would weaken it: retain them together.
    const keep: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: !forceDestroy };
    const guard: pulumi.CustomResourceOptions = { ...keep, protect: args.protect ?? false };
    const tags = args.tags ?? {};

    if (args.kmsKeyArn === undefined) {
      this.key = new aws.kms.Key(
        `${name}-key`,
        {
          description: `firehose-rotation ${name}: S3 objects, Kinesis records, Lambda environment`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          tags,
        },
        guard,
      );
    }
    this.kmsKeyArn = this.key ? this.key.arn : pulumi.output(args.kmsKeyArn!);

    this.bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy, tags }, guard);
    const bucket = this.bucket.bucket;
    this.bucketName = bucket;
    this.bucketArn = this.bucket.arn;

    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      keep,
    );
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      keep,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket,
        // The bucket key cuts KMS requests (and cost) by orders of magnitude for Firehose's many small objects.
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.kmsKeyArn },
            bucketKeyEnabled: true,
          },
        ],
      },
      keep,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: 'Enabled' } },
      keep,
    );

    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
      // Firehose uploads large objects in parts; a part list left by a failed upload costs storage forever.
      {
        id: 'abort-incomplete-multipart-uploads',
        status: 'Enabled',
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: abortDays },
      },
      // Versioning keeps overwritten/deleted objects; bound how long those stay billable.
      {
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays },
      },
    ];
    if (args.errorOutputPrefix !== undefined) {
      rules.push({
        id: 'expire-error-output',
        status: 'Enabled',
        filter: { prefix: `${args.errorOutputPrefix}/` },
        expiration: { days: errorDays },
      });
    }
    // Lifecycle rules on noncurrent versions need versioning in place first.
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket, rules },
      { ...keep, dependsOn: [versioning] },
    );

    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket,
        policy: policyDocument([
          {
            // A Deny on s3:* is the one wildcard action in the project: it can only take access away.
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: ['s3:*'],
            Resource: [this.bucketArn, pulumi.interpolate`${this.bucketArn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      },
      // S3 rejects concurrent policy and public-access-block changes on one bucket.
      { ...keep, dependsOn: [publicAccess, ownership] },
    );

    this.ready = [publicAccess, ownership, encryption, versioning, lifecycle, this.policy];
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}

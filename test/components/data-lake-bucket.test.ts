import { expect } from 'chai';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { DataLakeBucket } from '../../components/data-lake-bucket';
import {
  dependsOnNames,
  expectComponentTree,
  expectNoWildcardActions,
  optionsOf,
  parsePolicy,
} from './assertions';
import {
  ACCOUNT,
  inventory,
  one,
  promiseOf,
  recordOptions,
  REGION,
  resources,
  settle,
  useMocks,
} from './mocks';

const T = (t: string) => `aws:s3/${t}`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/supplied-key`;

describe('DataLakeBucket', () => {
  useMocks();

  async function build(args: ConstructorParameters<typeof DataLakeBucket>[1] = {}) {
    const lake = new DataLakeBucket('lake', args, { transformations: [recordOptions] });
    await settle();
    return lake;
  }

  it('creates exactly the bucket, its key and the six baseline resources', async () => {
    const lake = await build({ errorOutputPrefix: 'errors' });
    expect(inventory()).to.deep.equal({
      'aws:kms/key:Key': 1,
      'aws:s3/bucket:Bucket': 1,
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 1,
      'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 1,
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 1,
      'aws:s3/bucketVersioning:BucketVersioning': 1,
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 1,
      'aws:s3/bucketPolicy:BucketPolicy': 1,
    });
    expect(resources.map((r) => r.name).sort()).to.deep.equal([
      'lake-bucket',
      'lake-encryption',
      'lake-key',
      'lake-lifecycle',
      'lake-ownership',
      'lake-policy',
      'lake-public-access',
      'lake-versioning',
    ]);
    expectComponentTree(lake, 'lake');
    expect(await promiseOf(lake.bucketName)).to.equal('lake-bucket-0a1b2c3');
    expect(await promiseOf(lake.bucketArn)).to.equal('arn:aws:s3:::lake-bucket-0a1b2c3');
    expect(await promiseOf(lake.kmsKeyArn)).to.equal(
      `arn:aws:kms:${REGION}:${ACCOUNT}:key/lake-key-0000-1111`,
    );
  });

  it('applies the security baseline with exact inputs', async () => {
    await build({ errorOutputPrefix: 'errors', errorExpirationDays: 14 });
    const bucket = 'lake-bucket-0a1b2c3';
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/lake-key-0000-1111`;
    expect(one('aws:kms/key:Key').inputs).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(one(T('bucket:Bucket')).inputs.forceDestroy).to.equal(false);
    expect(one(T('bucketPublicAccessBlock:BucketPublicAccessBlock')).inputs).to.deep.equal({
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one(T('bucketOwnershipControls:BucketOwnershipControls')).inputs.rule).to.deep.equal({
      objectOwnership: 'BucketOwnerEnforced',
    });
    expect(
      one(T('bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration')).inputs.rules,
    ).to.deep.equal([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn },
        bucketKeyEnabled: true,
      },
    ]);
    expect(one(T('bucketVersioning:BucketVersioning')).inputs.versioningConfiguration).to.deep.equal({
      status: 'Enabled',
    });
    expect(one(T('bucketLifecycleConfiguration:BucketLifecycleConfiguration')).inputs.rules).to.deep.equal([
      {
        id: 'abort-incomplete-multipart-uploads',
        status: 'Enabled',
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
      {
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 30 },
      },
      {
        id: 'expire-error-output',
        status: 'Enabled',
        filter: { prefix: 'errors/' },
        expiration: { days: 14 },
      },
    ]);
    const policy = parsePolicy(one(T('bucketPolicy:BucketPolicy')).inputs.policy);
    expect(policy.Statement).to.deep.equal([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    expectNoWildcardActions(policy);
    expect(dependsOnNames('lake-lifecycle')).to.deep.equal(['lake-versioning']);
    expect(dependsOnNames('lake-policy')).to.deep.equal(['lake-ownership', 'lake-public-access']);
  });

  it('retains the bucket, its key and its configuration on destroy by default', async () => {
    await build();
    for (const r of resources) {
      expect(optionsOf(r.name).retainOnDelete, r.name).to.equal(true);
      expect(optionsOf(r.name).protect ?? false, r.name).to.equal(false);
    }
  });

  it('forceDestroy deletes everything, protectData protects bucket and key', async () => {
    await build({ forceDestroy: true, protect: true });
    expect(one(T('bucket:Bucket')).inputs.forceDestroy).to.equal(true);
    for (const r of resources) expect(optionsOf(r.name).retainOnDelete, r.name).to.equal(false);
    expect(['lake-bucket', 'lake-key'].map((n) => optionsOf(n).protect)).to.deep.equal([true, true]);
    expect(optionsOf('lake-policy').protect ?? false).to.equal(false);
  });

  it('uses a supplied key instead of creating one, and has no error rule without an error prefix', async () => {
    const lake = await build({ kmsKeyArn: KEY });
    expect(inventory()['aws:kms/key:Key']).to.equal(undefined);
    expect(lake.key).to.equal(undefined);
    expect(await promiseOf(lake.kmsKeyArn)).to.equal(KEY);
    const sse = one<pulumi.Unwrap<aws.s3.BucketServerSideEncryptionConfigurationArgs>>(
      T('bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration'),
    );
    expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault?.kmsMasterKeyId).to.equal(KEY);
    const rules = one(T('bucketLifecycleConfiguration:BucketLifecycleConfiguration')).inputs.rules as {
      id: string;
    }[];
    expect(rules.map((r) => r.id)).to.deep.equal([
      'abort-incomplete-multipart-uploads',
      'expire-noncurrent-versions',
    ]);
  });

  const invalid: [string, string, ConstructorParameters<typeof DataLakeBucket>[1], string][] = [
    [
      'Lake',
      'uppercase name',
      {},
      'DataLakeBucket: name must be 1-40 lowercase letters, digits or "-" (physical names of its children derive from it) (got "Lake")',
    ],
    [
      'lake',
      'alias instead of key',
      { kmsKeyArn: 'alias/aws/s3' },
      'DataLakeBucket: kmsKeyArn must be a KMS key ARN like arn:aws:kms:us-east-1:123456789012:key/<id> (got "alias/aws/s3")',
    ],
    [
      'lake',
      'slash-terminated prefix',
      { errorOutputPrefix: 'errors/' },
      'DataLakeBucket: errorOutputPrefix must be path segments of [a-zA-Z0-9!_.*\'()=-] joined by "/", without leading or trailing "/" (got "errors/")',
    ],
    [
      'lake',
      'zero expiry',
      { errorExpirationDays: 0 },
      'DataLakeBucket: errorExpirationDays must be an integer from 1 to 3650 days (got 0)',
    ],
    [
      'lake',
      'fractional abort',
      { abortIncompleteMultipartUploadDays: 1.5 },
      'DataLakeBucket: abortIncompleteMultipartUploadDays must be an integer from 1 to 365 days (got 1.5)',
    ],
  ];
  for (const [name, what, args, message] of invalid) {
    it(`rejects ${what} before creating anything`, async () => {
      expect(() => new DataLakeBucket(name, args)).to.throw(message);
      await settle();
      expect(resources).to.deep.equal([]);
    });
  }
});

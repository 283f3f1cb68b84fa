import { expect } from 'chai';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { DeliveryRole, DeliveryRoleArgs } from '../../components/delivery-role';
import {
  expectComponentTree,
  expectNoWildcardActions,
  expectWildcardResourcesOnly,
  parsePolicy,
  statement,
} from './assertions';
import {
  ACCOUNT,
  inventory,
  ofType,
  one,
  promiseOf,
  recordOptions,
  REGION,
  resources,
  settle,
  useMocks,
} from './mocks';

const BUCKET = 'arn:aws:s3:::lake-bucket-0a1b2c3';
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/k-1`;
const ARGS: DeliveryRoleArgs = {
  bucketArn: BUCKET,
  kmsKeyArn: KEY,
  objectPrefixes: ['data', 'late', 'errors'],
};

describe('DeliveryRole', () => {
  useMocks();

  async function build(args: Partial<DeliveryRoleArgs> = {}) {
    const role = new DeliveryRole('delivery', { ...ARGS, ...args }, { transformations: [recordOptions] });
    await settle();
    return role;
  }

  it('creates the role, its policy, the log group and both log streams', async () => {
    const role = await build();
    expect(inventory()).to.deep.equal({
      'aws:cloudwatch/logGroup:LogGroup': 1,
      'aws:cloudwatch/logStream:LogStream': 2,
      'aws:iam/role:Role': 1,
      'aws:iam/rolePolicy:RolePolicy': 1,
    });
    expectComponentTree(role, 'delivery');
    expect(one('aws:cloudwatch/logGroup:LogGroup').inputs).to.deep.equal({ retentionInDays: 30, tags: {} });
    const streams = ofType<pulumi.Unwrap<aws.cloudwatch.LogStreamArgs>>('aws:cloudwatch/logStream:LogStream');
    expect(streams.map((s) => [s.name, s.inputs.name, s.inputs.logGroupName])).to.deep.equal([
      ['delivery-fallbackdelivery', 'FallbackDelivery', 'delivery-logs-0a1b2c3'],
      ['delivery-destinationdelivery', 'DestinationDelivery', 'delivery-logs-0a1b2c3'],
    ]);
    expect(await promiseOf(role.roleArn)).to.equal(`arn:aws:iam::${ACCOUNT}:role/delivery-role-0a1b2c3`);
    expect(await promiseOf(role.logGroupName)).to.equal('delivery-logs-0a1b2c3');
  });

  it('trusts only Firehose, and only with this account as external id', async () => {
    await build();
    const trust = parsePolicy(one('aws:iam/role:Role').inputs.assumeRolePolicy);
    expect(trust.Statement).to.deep.equal([
      {
        Sid: 'TrustService',
        Effect: 'Allow',
        Principal: { Service: 'firehose.amazonaws.com' },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'sts:ExternalId': ACCOUNT } },
      },
    ]);
  });

  it('grants exactly the six S3 actions on this bucket and its prefixes, KMS via S3, logs to its group', async () => {
    await build();
    const policy = parsePolicy(one('aws:iam/rolePolicy:RolePolicy').inputs.policy);
    expect(one('aws:iam/rolePolicy:RolePolicy').inputs.role).to.equal('delivery-role-0a1b2c3');
    expectNoWildcardActions(policy);
    expectWildcardResourcesOnly(policy, []);
    const objects = [`${BUCKET}/data/*`, `${BUCKET}/late/*`, `${BUCKET}/errors/*`];
    expect(policy.Statement).to.deep.equal([
      {
        Sid: 'BucketLevel',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: [BUCKET],
      },
      {
        Sid: 'ObjectsUnderPrefixes',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: objects,
      },
      {
        Sid: 'KmsThroughS3ForThisBucket',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [KEY],
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET, ...objects] },
        },
      },
      {
        Sid: 'DeliveryErrorLogs',
        Effect: 'Allow',
        Action: ['logs:PutLogEvents'],
        Resource: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:delivery-logs-0a1b2c3:log-stream:*`],
      },
    ]);
    const s3 = [
      ...statement(policy, 'BucketLevel').Action,
      ...statement(policy, 'ObjectsUnderPrefixes').Action,
    ];
    expect(s3.sort()).to.deep.equal([
      's3:AbortMultipartUpload',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
      's3:PutObject',
    ]);
  });

  const invalid: [string, Partial<DeliveryRoleArgs>, string][] = [
    [
      'no prefixes',
      { objectPrefixes: [] },
      'DeliveryRole: objectPrefixes must list at least one S3 prefix (got [])',
    ],
    [
      'a prefix with a leading slash',
      { objectPrefixes: ['data', '/late'] },
      'DeliveryRole: objectPrefixes[1] must be path segments of [a-zA-Z0-9!_.*\'()=-] joined by "/", without leading or trailing "/" (got "/late")',
    ],
    [
      'a retention CloudWatch rejects',
      { logRetentionDays: 10 },
      'DeliveryRole: logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days (the values CloudWatch Logs accepts) (got 10)',
    ],
  ];
  for (const [what, args, message] of invalid) {
    it(`rejects ${what}`, async () => {
      expect(() => new DeliveryRole('delivery', { ...ARGS, ...args })).to.throw(message);
      await settle();
      expect(resources).to.deep.equal([]);
    });
  }
});

import { expect } from 'chai';
import * as path from 'node:path';
import { Router, RouterArgs } from '../../components/router';
import type { RotationSettings } from '../../rotation/core/settings';
import {
  dependsOnNames,
  expectComponentTree,
  expectNoWildcardActions,
  expectWildcardResourcesOnly,
  parsePolicy,
} from './assertions';
import { FAILED, FALLBACK, HOURLY, KEY, ROUTER_ARGS as ARGS, SETTINGS, STREAM } from './fixtures/args';
import {
  ACCOUNT,
  BUNDLE_ROOT,
  inventory,
  one,
  promiseOf,
  recordOptions,
  REGION,
  resources,
  settle,
  useMocks,
} from './mocks';

describe('Router', () => {
  useMocks();

  async function build(args: Partial<RouterArgs> = {}) {
    const router = new Router('router', { ...ARGS, ...args }, { transformations: [recordOptions] });
    await settle();
    return router;
  }

  it('is a bundled function with its role, policy, log group and one event source mapping', async () => {
    const router = await build();
    expect(inventory()).to.deep.equal({
      'aws:cloudwatch/logGroup:LogGroup': 1,
      'aws:iam/role:Role': 1,
      'aws:iam/rolePolicy:RolePolicy': 1,
      'aws:lambda/function:Function': 1,
      'aws:lambda/eventSourceMapping:EventSourceMapping': 1,
    });
    expect(resources.map((r) => r.name).sort()).to.deep.equal([
      'router-fn-function',
      'router-fn-logs',
      'router-fn-policy',
      'router-fn-role',
      'router-mapping',
    ]);
    expectComponentTree(router, 'router');
    expect(await promiseOf(router.functionName)).to.equal('router-fn-function-0a1b2c3');
  });

  it('maps the stream with partial batch responses, bisection, bounded retries and an S3 on-failure destination', async () => {
    await build({ batchSize: 1000, batchingWindowSeconds: 10 });
    expect(one('aws:lambda/eventSourceMapping:EventSourceMapping').inputs).to.deep.equal({
      eventSourceArn: STREAM,
      functionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:router-fn-function-0a1b2c3`,
      startingPosition: 'TRIM_HORIZON',
      batchSize: 1000,
      maximumBatchingWindowInSeconds: 10,
      parallelizationFactor: 1,
      functionResponseTypes: ['ReportBatchItemFailures'],
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 21600,
      destinationConfig: { onFailure: { destinationArn: FAILED } },
      metricsConfig: { metrics: ['EventCount'] },
      tags: {},
    });
    // Lambda checks the role's Kinesis permissions when it creates the mapping.
    expect(dependsOnNames('router-mapping')).to.deep.equal(['router-fn-policy']);
  });

  it('grants PutRecordBatch on <prefix>-20???????? and the fallback, reads on the one stream, nothing else', async () => {
    await build();
    const policy = parsePolicy(one('aws:iam/rolePolicy:RolePolicy').inputs.policy);
    expectNoWildcardActions(policy);
    expectWildcardResourcesOnly(policy, []);
    expect(policy.Statement).to.deep.equal([
      {
        Sid: 'WriteOwnLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:router-fn-logs-0a1b2c3:*`,
      },
      {
        Sid: 'PutToHourlyAndFallbackStreams',
        Effect: 'Allow',
        Action: ['firehose:PutRecordBatch'],
        Resource: [HOURLY, FALLBACK],
      },
      {
        Sid: 'ReadSourceStream',
        Effect: 'Allow',
        Action: [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
        ],
        Resource: [STREAM],
      },
      {
        Sid: 'DecryptSourceRecords',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: [KEY],
        Condition: { StringEquals: { 'kms:ViaService': `kinesis.${REGION}.amazonaws.com` } },
      },
      { Sid: 'WriteFailedBatches', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`${FAILED}/*`] },
      { Sid: 'ListFailureBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [FAILED] },
      {
        Sid: 'EncryptFailedBatches',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey'],
        Resource: [KEY],
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [FAILED, `${FAILED}/*`] },
        },
      },
    ]);
  });

  const putTargets: [string, Partial<RotationSettings>, string[]][] = [
    ['streamsPerHour 2: the siblings "-1" .. "-9"', { streamsPerHour: 2 }, [HOURLY, `${HOURLY}-?`, FALLBACK]],
    [
      'streamsPerHour 16: the siblings up to "-15"',
      { streamsPerHour: 16 },
      [HOURLY, `${HOURLY}-?`, `${HOURLY}-??`, FALLBACK],
    ],
  ];
  for (const [title, change, resource] of putTargets) {
    it(`grants PutRecordBatch with ${title}`, async () => {
      await build({ settings: { ...(ARGS.settings as RotationSettings), ...change } });
      const policy = parsePolicy(one('aws:iam/rolePolicy:RolePolicy').inputs.policy);
      const put = policy.Statement.find((s) => s.Sid === 'PutToHourlyAndFallbackStreams');
      expect(put?.Resource).to.deep.equal(resource);
    });
  }

  it('runs the bundle on nodejs22.x arm64 with the settings in one KMS-encrypted variable', async () => {
    await build();
    const fn = one<Record<string, unknown> & { code: { path: Promise<string> } }>(
      'aws:lambda/function:Function',
    ).inputs;
    expect(fn).to.deep.include({
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      timeout: 60,
      memorySize: 512,
      kmsKeyArn: KEY,
      role: `arn:aws:iam::${ACCOUNT}:role/router-fn-role-0a1b2c3`,
      environment: {
        variables: { FIREHOSE_ROTATION_SETTINGS: SETTINGS, NODE_OPTIONS: '--enable-source-maps' },
      },
      loggingConfig: { logFormat: 'JSON', logGroup: 'router-fn-logs-0a1b2c3' },
    });
    expect(fn.reservedConcurrentExecutions).to.equal(undefined);
    expect(await fn.code.path).to.equal(path.join(BUNDLE_ROOT, 'router-fn'));
    expect(one('aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).to.equal(30);
    expect(parsePolicy(one('aws:iam/role:Role').inputs.assumeRolePolicy).Statement).to.deep.equal([
      {
        Sid: 'TrustService',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: ['sts:AssumeRole'],
      },
    ]);
    expect(dependsOnNames('router-fn-function')).to.deep.equal(['router-fn-policy']);
  });

  const invalid: [string, Partial<RouterArgs>, string][] = [
    [
      'unbounded retries',
      { maximumRetryAttempts: -1 },
      'Router: maximumRetryAttempts must be an integer from 0 to 10 attempts (got -1)',
    ],
    [
      'a record age at the retention',
      { maximumRecordAgeSeconds: 86400 },
      "Router: maximumRecordAgeSeconds must be below the stream's retention of 86400 seconds, or records expire before they reach the on-failure destination (got 86400)",
    ],
    [
      'a batch above 10000',
      { batchSize: 10001 },
      'Router: batchSize must be an integer from 1 to 10000 records (got 10001)',
    ],
    [
      'a window above 300 s',
      { batchingWindowSeconds: 301 },
      'Router: batchingWindowSeconds must be an integer from 0 to 300 seconds (got 301)',
    ],
    [
      // The rotation's far-ahead deletes and drain margin assume no decision outlives 60 s.
      'a timeout above 60 s',
      { timeoutSeconds: 61 },
      'Router: timeoutSeconds must be an integer from 10 to 60 seconds (got 61)',
    ],
    [
      'a missing handler',
      { entry: '/nonexistent/router.ts' },
      'bundleHandler: entry must be an existing handler source file (got "/nonexistent/router.ts")',
    ],
    [
      'a handler that exports no `handler`',
      { entry: path.join(__dirname, 'mocks.ts') },
      `bundleHandler: entry must export \`handler\` (got "${path.join(__dirname, 'mocks.ts')}")`,
    ],
  ];
  for (const [what, args, message] of invalid) {
    it(`rejects ${what}`, async () => {
      expect(() => new Router('router', { ...ARGS, ...args })).to.throw(message);
      await settle();
      expect(resources).to.deep.equal([]);
    });
  }
});

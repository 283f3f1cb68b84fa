import { expect } from 'chai';
import { Placer, PlacerArgs } from '../../components/placer';
import { Pipeline, PipelineArgs } from '../../components/pipeline';
import { generationOf } from '../../rotation/core/generations';
import { parsePipelineConfig } from '../../rotation/core/settings';
import { dependsOnNames, expectComponentTree, expectNoWildcardActions, parsePolicy } from './assertions';
import { BUCKET, KEY, PIPELINE_ARGS, PIPELINE_CONFIG, RUNTIME_SETTINGS } from './fixtures/args';
import {
  ACCOUNT,
  BUNDLE_ROOT,
  components,
  FIXTURE_HANDLER,
  inventory,
  one,
  ofType,
  promiseOf,
  recordOptions,
  REGION,
  resources,
  settle,
  useMocks,
} from './mocks';

const ARGS: PlacerArgs = {
  entry: FIXTURE_HANDLER,
  bundle: { root: BUNDLE_ROOT },
  settings: RUNTIME_SETTINGS,
  bucketName: 'lake-bucket',
  bucketArn: BUCKET,
  kmsKeyArn: KEY,
};
const FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:placer-fn-function-0a1b2c3`;
const DLQ = `arn:aws:sqs:${REGION}:${ACCOUNT}:placer-dlq-0a1b2c3`;

describe('Placer', () => {
  useMocks();

  async function build(args: Partial<PlacerArgs> = {}) {
    const placer = new Placer('placer', { ...ARGS, ...args }, { transformations: [recordOptions] });
    await settle();
    return placer;
  }

  it('is a bundled function with its DLQ, async retries, S3 permission and the bucket notification', async () => {
    const placer = await build();
    expect(inventory()).to.deep.equal({
      'aws:sqs/queue:Queue': 1,
      'aws:cloudwatch/logGroup:LogGroup': 1,
      'aws:iam/role:Role': 1,
      'aws:iam/rolePolicy:RolePolicy': 1,
      'aws:lambda/function:Function': 1,
      'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig': 1,
      'aws:lambda/permission:Permission': 1,
      'aws:s3/bucketNotification:BucketNotification': 1,
    });
    expectComponentTree(placer, 'placer');
    expect(await promiseOf(placer.functionName)).to.equal('placer-fn-function-0a1b2c3');
    expect(one('aws:lambda/function:Function').inputs).to.deep.include({ timeout: 600, memorySize: 1024 });
    expect(one('aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig').inputs).to.deep.equal({
      functionName: 'placer-fn-function-0a1b2c3',
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 21600,
      destinationConfig: { onFailure: { destination: DLQ } },
    });
    expect(one('aws:lambda/permission:Permission').inputs).to.deep.equal({
      action: 'lambda:InvokeFunction',
      function: 'placer-fn-function-0a1b2c3',
      principal: 's3.amazonaws.com',
      sourceArn: BUCKET,
      sourceAccount: ACCOUNT,
    });
    expect(one('aws:s3/bucketNotification:BucketNotification').inputs).to.deep.equal({
      bucket: 'lake-bucket',
      lambdaFunctions: [
        { lambdaFunctionArn: FUNCTION, events: ['s3:ObjectCreated:*'], filterPrefix: 'late/' },
      ],
    });
    expect(dependsOnNames('placer-notification').sort()).to.deep.equal([
      'placer-fn-policy',
      'placer-s3-invoke',
    ]);
  });

  it('may read the fallback, write the data prefix, find markers and publish only its event', async () => {
    await build();
    const doc = parsePolicy(one('aws:iam/rolePolicy:RolePolicy').inputs.policy);
    expectNoWildcardActions(doc);
    expect(doc.Statement.filter((s) => s.Sid !== 'WriteOwnLogGroup')).to.deep.equal([
      {
        Sid: 'ReadFallbackObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: [`${BUCKET}/late/*`],
      },
      {
        Sid: 'WritePlacedObjects',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: [`${BUCKET}/data/dt=*/hr=*/placed-*`],
      },
      {
        Sid: 'FindHourCompleteMarkers',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [BUCKET],
        Condition: { StringLike: { 's3:prefix': ['data/dt=*/hr=*/_SUCCESS'] } },
      },
      {
        Sid: 'ObjectsThroughS3WithTheLakeKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [KEY],
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET, `${BUCKET}/*`] },
        },
      },
      {
        Sid: 'PublishHourAmended',
        Effect: 'Allow',
        Action: ['events:PutEvents'],
        Resource: [`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`],
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': ['firehose-rotation'],
            'events:detail-type': ['Hour Partition Amended'],
          },
        },
      },
      { Sid: 'FailedRunsToDeadLetterQueue', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [DLQ] },
    ]);
  });

  it('after a dataPrefix change, may also write and find markers under the former prefix until it expires', async () => {
    const former = {
      ...generationOf(RUNTIME_SETTINGS),
      dataPrefix: 'old-data',
      namesUntil: '2026112400',
      expires: '2026-11-24T08:20:00.000Z',
    };
    await build({ settings: { ...RUNTIME_SETTINGS, formerGenerations: [former] } });
    const doc = parsePolicy(one('aws:iam/rolePolicy:RolePolicy').inputs.policy);
    const sid = (id: string) => doc.Statement.find((x) => x.Sid === id)!;
    expect(sid('WritePlacedObjects').Resource).to.deep.equal([
      `${BUCKET}/data/dt=*/hr=*/placed-*`,
      `${BUCKET}/old-data/dt=*/hr=*/placed-*`,
    ]);
    expect(sid('FindHourCompleteMarkers').Condition).to.deep.equal({
      StringLike: { 's3:prefix': ['data/dt=*/hr=*/_SUCCESS', 'old-data/dt=*/hr=*/_SUCCESS'] },
    });
  });

  it('rejects a timeout or memory outside what a 128 MiB object needs, naming the field', () => {
    expect(() => new Placer('p', { ...ARGS, timeoutSeconds: 30 })).to.throw(
      'Placer: timeoutSeconds must be an integer from 60 to 900 seconds (got 30)',
    );
    expect(() => new Placer('p', { ...ARGS, memoryMiB: 128 })).to.throw(
      'Placer: memoryMiB must be an integer from 256 to 10240 MiB (got 128)',
    );
  });
});

describe('Pipeline and the placer', () => {
  useMocks();

  async function build(config: Record<string, unknown>) {
    const args: PipelineArgs = {
      ...PIPELINE_ARGS,
      config: parsePipelineConfig({ ...PIPELINE_CONFIG, ...config }),
    };
    const pipeline = new Pipeline('pipe', args, { transformations: [recordOptions] });
    await settle();
    return pipeline;
  }
  const placerParts = () => ({
    components: components.filter((c) => c.type === 'firehose-rotation:index:Placer').map((c) => c.name),
    notifications: ofType('aws:s3/bucketNotification:BucketNotification').length,
    alarms: ofType('aws:cloudwatch/metricAlarm:MetricAlarm')
      .map((a) => a.name)
      .filter((n) => n.includes('placer')),
  });

  it('has a placer by default, with its alarms and the lake as its bucket', async () => {
    const pipeline = await build({});
    expect(placerParts()).to.deep.equal({
      components: ['pipe-placer'],
      notifications: 1,
      alarms: ['pipe-alarms-placer-errors', 'pipe-alarms-placer-dead-letters'],
    });
    expect(one('aws:s3/bucketNotification:BucketNotification').inputs.bucket).to.equal(
      'pipe-lake-bucket-0a1b2c3',
    );
    expect(await promiseOf(pipeline.placerFunctionName!)).to.equal('pipe-placer-fn-function-0a1b2c3');
  });

  it('with placeLateRecords false, or a compression it cannot read, nothing of it exists', async () => {
    for (const config of [{ placeLateRecords: false }, { compression: 'Snappy' }]) {
      resources.length = 0;
      components.length = 0;
      const pipeline = await build(config);
      expect(placerParts(), JSON.stringify(config)).to.deep.equal({
        components: [],
        notifications: 0,
        alarms: [],
      });
      expect(pipeline.placerFunctionName).to.equal(undefined);
    }
  });
});

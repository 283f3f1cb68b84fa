import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { Pipeline, PipelineArgs } from '../../components/pipeline';
import { runtimeSettings } from '../../components/pipeline-args';
import { parsePipelineConfig, parseSettings } from '../../rotation/core/settings';
import { dependsOnNames, expectComponentTree } from './assertions';
import {
  PIPE_KEY as KEY,
  PIPE_LAKE as LAKE,
  PIPELINE_ARGS as ARGS,
  PIPELINE_CONFIG as CONFIG,
} from './fixtures/args';
import {
  ACCOUNT,
  BUNDLE_ROOT,
  inventory,
  ofType,
  one,
  options,
  promiseOf,
  recordOptions,
  REGION,
  resources,
  settle,
  useMocks,
} from './mocks';

type LambdaInputs = pulumi.Unwrap<aws.lambda.FunctionArgs>;
/** A function's code archive: the engine holds a promise of its path. */
type CodeInputs = { code: { path: Promise<string> } };

describe('Pipeline', () => {
  useMocks();

  async function build(args: Partial<PipelineArgs> = {}) {
    const pipeline = new Pipeline('pipe', { ...ARGS, ...args }, { transformations: [recordOptions] });
    await settle();
    return pipeline;
  }

  it('deploys exactly these 69 resources (the self StackReference included), all below the pipeline and named from it', async () => {
    const pipeline = await build();
    expect(inventory()).to.deep.equal({
      'aws:kms/key:Key': 2,
      'aws:s3/bucket:Bucket': 2,
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 2,
      'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 2,
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 2,
      'aws:s3/bucketVersioning:BucketVersioning': 2,
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 2,
      'aws:s3/bucketPolicy:BucketPolicy': 2,
      'aws:kinesis/stream:Stream': 1,
      'aws:cloudwatch/logGroup:LogGroup': 4,
      'aws:cloudwatch/logStream:LogStream': 2,
      'aws:iam/role:Role': 5,
      'aws:iam/rolePolicy:RolePolicy': 5,
      'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream': 1,
      'aws:lambda/function:Function': 3,
      'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig': 2,
      'aws:lambda/permission:Permission': 1,
      'aws:s3/bucketNotification:BucketNotification': 1,
      'aws:scheduler/schedule:Schedule': 1,
      // The rotation's lifecycle (rotation-lifecycle.ts): it took the aws.lambda.Invocation's place.
      'pulumi-nodejs:dynamic/firehose-rotation:RotationLifecycle': 1,
      'aws:sqs/queue:Queue': 2,
      'pulumi:pulumi:StackReference': 1,
      'aws:lambda/eventSourceMapping:EventSourceMapping': 1,
      'aws:sns/topic:Topic': 1,
      'aws:cloudwatch/metricAlarm:MetricAlarm': 17,
      'aws:cloudwatch/dashboard:Dashboard': 1,
      'aws:glue/catalogDatabase:CatalogDatabase': 1,
      'aws:glue/catalogTable:CatalogTable': 2,
    });
    expect(resources).to.have.length(69);
    expectComponentTree(pipeline, 'pipe');
  });

  // A changed URN (a child renamed, reparented or moved into another component) is a delete and a
  // create at the next `pulumi up`: a new rotation role, queue or lifecycle resource in place of
  // the deployed one. The list is what stacks run today (URNs as Pulumi's mocks make them: the
  // parent's type, not the whole chain); a change to it needs aliases.
  it('keeps the URN of every resource a deployed stack holds', async () => {
    await build();
    const urns = await Promise.all(options.map((o) => promiseOf(o.resource.urn)));
    const pinned = readFileSync(join(__dirname, 'fixtures', 'pipeline-urns.txt'), 'utf8');
    expect(urns.sort()).to.deep.equal(pinned.trim().split('\n'));
  });

  it('passes both functions the same settings: the validated tunables plus the deployed ARNs', async () => {
    const pipeline = await build();
    const expected = parseSettings({
      ...CONFIG,
      bucketArn: LAKE,
      deliveryRoleArn: `arn:aws:iam::${ACCOUNT}:role/pipe-delivery-role-0a1b2c3`,
      kmsKeyArn: KEY,
      logGroupName: 'pipe-delivery-logs-0a1b2c3',
    });
    const envs = ofType<LambdaInputs>('aws:lambda/function:Function').map(
      (f) => f.inputs.environment?.variables ?? {},
    );
    expect(envs).to.have.length(3); // router, rotation, placer
    for (const env of envs)
      expect(parseSettings(JSON.parse(env.FIREHOSE_ROTATION_SETTINGS))).to.deep.equal(expected);
    expect(await promiseOf(pipeline.settings)).to.deep.equal(expected);
    expect(expected.fallbackStreamName).to.equal(await promiseOf(pipeline.fallbackStreamName));
  });

  it('orders the lifecycle: teardown runs before what it needs is deleted; records flow after bootstrap', async () => {
    await build();
    expect(dependsOnNames('pipe-rotation-lifecycle')).to.deep.equal([
      'pipe-delivery-destinationdelivery',
      'pipe-delivery-fallbackdelivery',
      'pipe-delivery-policy',
      'pipe-delivery-role',
      'pipe-fallback-stream',
      'pipe-lake-bucket',
      'pipe-lake-encryption',
      'pipe-lake-key',
      'pipe-lake-lifecycle',
      'pipe-lake-ownership',
      'pipe-lake-policy',
      'pipe-lake-public-access',
      'pipe-lake-versioning',
      'pipe-rotation-fn-function',
      'pipe-rotation-fn-policy',
    ]);
    // Both functions after the delivery role's policy and the bucket: neither switches to new
    // settings (a new dataPrefix) before the role allows them.
    for (const fn of ['pipe-rotation-fn-function', 'pipe-router-fn-function'])
      expect(dependsOnNames(fn), fn).to.deep.equal([
        'pipe-delivery-policy',
        'pipe-lake-bucket',
        fn.replace('-function', '-policy'),
      ]);
    expect(dependsOnNames('pipe-router-mapping')).to.deep.equal([
      'pipe-failed-encryption',
      'pipe-failed-lifecycle',
      'pipe-failed-ownership',
      'pipe-failed-policy',
      'pipe-failed-public-access',
      'pipe-failed-versioning',
      'pipe-rotation-lifecycle',
      'pipe-router-fn-policy',
    ]);
    expect(one('aws:lambda/eventSourceMapping:EventSourceMapping').inputs.destinationConfig).to.deep.equal({
      onFailure: { destinationArn: 'arn:aws:s3:::pipe-failed-bucket-0a1b2c3' },
    });
  });

  it('exposes flat outputs', async () => {
    const p = await build();
    const outputs = {
      bucketName: await promiseOf(p.bucketName),
      bucketArn: await promiseOf(p.bucketArn),
      failedBatchesBucketName: await promiseOf(p.failedBatchesBucketName),
      dataPrefix: p.dataPrefix,
      fallbackPrefix: p.fallbackPrefix,
      hourlyStreamNamePattern: p.hourlyStreamNamePattern,
      fallbackStreamName: await promiseOf(p.fallbackStreamName),
      fallbackStreamArn: await promiseOf(p.fallbackStreamArn),
      kinesisStreamName: await promiseOf(p.kinesisStreamName),
      kinesisStreamArn: await promiseOf(p.kinesisStreamArn),
      routerFunctionName: await promiseOf(p.routerFunctionName),
      rotationFunctionName: await promiseOf(p.rotationFunctionName),
      kmsKeyArn: await promiseOf(p.kmsKeyArn),
      athenaDatabase: await promiseOf(p.athenaDatabase),
      athenaEventsTable: await promiseOf(p.athenaEventsTable),
      athenaFallbackTable: await promiseOf(p.athenaFallbackTable),
      alarmTopicArn: await promiseOf(p.alarmTopicArn),
    };
    expect(outputs).to.deep.equal({
      bucketName: 'pipe-lake-bucket-0a1b2c3',
      bucketArn: LAKE,
      failedBatchesBucketName: 'pipe-failed-bucket-0a1b2c3',
      dataPrefix: 'data',
      fallbackPrefix: 'late',
      hourlyStreamNamePattern: 'events-yyyyMMddHH',
      fallbackStreamName: 'events-fallback',
      fallbackStreamArn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/events-fallback`,
      kinesisStreamName: 'pipe-source-stream-0a1b2c3',
      kinesisStreamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/pipe-source-stream-0a1b2c3`,
      routerFunctionName: 'pipe-router-fn-function-0a1b2c3',
      rotationFunctionName: 'pipe-rotation-fn-function-0a1b2c3',
      kmsKeyArn: KEY,
      athenaDatabase: 'events',
      athenaEventsTable: 'events',
      athenaFallbackTable: 'fallback',
      alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:pipe-alarms-topic-0a1b2c3`,
    });
  });

  it('bundles the real router, rotation and placer handlers', async () => {
    await build({ router: {}, rotation: {}, placer: {} });
    const paths = await Promise.all(
      ofType<CodeInputs>('aws:lambda/function:Function').map((f) => f.inputs.code.path),
    );
    expect(paths.sort()).to.deep.equal([
      `${BUNDLE_ROOT}/pipe-placer-fn`,
      `${BUNDLE_ROOT}/pipe-rotation-fn`,
      `${BUNDLE_ROOT}/pipe-router-fn`,
    ]);
  });

  it('tomorrow-not-ready follows the settings: 3 runs with the defaults, 5 with latenessMinutes 180', async () => {
    await build({ config: parsePipelineConfig({ ...CONFIG, latenessMinutes: 180 }) });
    const alarm = one('aws:cloudwatch/metricAlarm:MetricAlarm', 'pipe-alarms-tomorrow-not-ready').inputs;
    expect(alarm.evaluationPeriods).to.equal(5);
  });

  it('rejects at preview a lookahead that can never fit the budget, naming the field', () => {
    // The stack config is parsed once, before the Pipeline exists (readStackConfig).
    expect(() => parsePipelineConfig({ ...CONFIG, streamBudget: 10 })).to.throw(
      'invalid settings:\n  - horizonDays: the lookahead never fits: at least 26 hourly streams are needed at every hour of the day, and 9 fit (budget 10, quota 50 minus reserveStreams 1, minus the fallback); set lookaheadHours to at most 6, or raise quota or streamBudget',
    );
  });

  it('rejects a bad name before creating anything', async () => {
    expect(() => new Pipeline('Pipe', ARGS)).to.throw('Pipeline: name must be 1-30 lowercase letters');
    await settle();
    expect(resources).to.deep.equal([]);
  });

  it('validates the deployed ARNs with the same schema inside the apply', () => {
    const config = parsePipelineConfig(CONFIG);
    const deployed = {
      bucketArn: 'arn:aws:s3:::Bad_Bucket',
      deliveryRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
      kmsKeyArn: KEY,
      logGroupName: 'g',
    };
    expect(() => runtimeSettings(config, deployed)).to.throw(
      'invalid settings:\n  - bucketArn: must be an S3 bucket ARN like arn:aws:s3:::my-bucket',
    );
  });
});

describe('Pipeline outputs', () => {
  useMocks();

  it('registers every public field as an output, with the value the field holds', async () => {
    const registered: Record<string, unknown>[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored onto the same prototype below
    const original = pulumi.ComponentResource.prototype['registerOutputs'];
    pulumi.ComponentResource.prototype['registerOutputs'] = function (outputs) {
      if (this instanceof Pipeline) registered.push(outputs as Record<string, unknown>);
      return original.call(this, outputs);
    };
    let pipeline: Pipeline;
    try {
      pipeline = new Pipeline('pipe', ARGS);
    } finally {
      pulumi.ComponentResource.prototype['registerOutputs'] = original;
    }
    await settle();
    const fields = Object.keys(pipeline).filter((k) => !k.startsWith('_') && k !== 'urn');
    expect(fields).to.have.length(21); // main's 19, generationState (settings changes), placerFunctionName
    expect(registered).to.have.length(1);
    expect(Object.keys(registered[0]).sort()).to.deep.equal([...fields].sort());
    expect([...fields].sort()).to.deep.equal([
      'alarmTopicArn',
      'athenaDatabase',
      'athenaEventsTable',
      'athenaFallbackTable',
      'bucketArn',
      'bucketName',
      'dashboardUrl',
      'dataPrefix',
      'failedBatchesBucketName',
      'fallbackPrefix',
      'fallbackStreamArn',
      'fallbackStreamName',
      'generationState',
      'hourlyStreamNamePattern',
      'kinesisStreamArn',
      'kinesisStreamName',
      'kmsKeyArn',
      'placerFunctionName',
      'rotationFunctionName',
      'routerFunctionName',
      'settings',
    ]);
    for (const key of fields)
      expect(registered[0][key], key).to.equal((pipeline as unknown as Record<string, unknown>)[key]);
  });
});

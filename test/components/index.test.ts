// The program itself (index.ts) under mocks: stack config in, flat string outputs out. It bundles
// the real handlers into .bundles/, exactly as `pulumi up` would.
import { expect } from 'chai';
import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { loadModule } from '../support/load-module';
import { ACCOUNT, ofType, PROJECT, promiseOf, REGION, resources, settle, useMocks } from './mocks';

const STACK_CONFIG = {
  [`${PROJECT}:streamPrefix`]: 'events',
  [`${PROJECT}:fallbackStreamName`]: 'events-fallback',
  [`${PROJECT}:bufferingSizeMiB`]: '2',
  [`${PROJECT}:bufferingIntervalSeconds`]: '60',
  [`${PROJECT}:extraTags`]: '{"environment":"test"}',
  'aws:region': REGION,
};
const INDEX = require.resolve('../../index');

function loadProgram(config: Record<string, string>): Record<string, pulumi.Output<string> | string> {
  pulumi.runtime.setAllConfig(config);
  return loadModule<Record<string, pulumi.Output<string> | string>>(INDEX, { fresh: true });
}

type LambdaInputs = pulumi.Unwrap<aws.lambda.FunctionArgs>;

describe('index.ts', () => {
  useMocks();
  after(() => pulumi.runtime.setAllConfig({}));

  it('exports flat strings for StackReference consumers', async () => {
    const program = loadProgram(STACK_CONFIG);
    await settle();
    const outputs: Record<string, string> = {};
    for (const [key, value] of Object.entries(program)) {
      outputs[key] = pulumi.Output.isInstance(value) ? await promiseOf(value) : value;
    }
    const fn = (n: string) => `firehose-rotation-${n}-fn-function-0a1b2c3`;
    expect(outputs).to.deep.equal({
      bucketName: 'firehose-rotation-lake-bucket-0a1b2c3',
      bucketArn: 'arn:aws:s3:::firehose-rotation-lake-bucket-0a1b2c3',
      dataPrefix: 'data',
      fallbackPrefix: 'late',
      hourlyStreamNamePattern: 'events-yyyyMMddHH',
      fallbackStreamName: 'events-fallback',
      fallbackStreamArn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/events-fallback`,
      kinesisStreamName: 'firehose-rotation-source-stream-0a1b2c3',
      kinesisStreamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/firehose-rotation-source-stream-0a1b2c3`,
      routerFunctionName: fn('router'),
      rotationFunctionName: fn('rotation'),
      placerFunctionName: fn('placer'),
      kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/firehose-rotation-lake-key-0000-1111`,
      failedBatchesBucketName: 'firehose-rotation-failed-bucket-0a1b2c3',
      athenaDatabase: 'events',
      athenaEventsTable: 'events',
      athenaFallbackTable: 'fallback',
      alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:firehose-rotation-alarms-topic-0a1b2c3`,
      dashboardUrl:
        `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}` +
        `#dashboards/dashboard/firehose-rotation-events-${REGION}`,
      // First deploy: no former configuration; the next `up` reads this back under exactly this key
      // (components/generation-state.ts): deployed stacks exported it so, never rename it.
      lifecycleState: JSON.stringify({
        current: {
          streamPrefix: 'events',
          deploymentId: 'firehose-rotation/test',
          dataPrefix: 'data',
          errorOutputPrefix: 'errors',
          fallbackPrefix: 'late',
          latenessMinutes: 60,
          bufferingIntervalSeconds: 60,
          safetyMarginMinutes: 15,
          horizonDays: 1,
          configDigest: '1a628ff60a18a510',
          streamsPerHour: 1,
          earlyMinutes: 15,
        },
        formers: [],
      }),
    });
    expect(resources).to.have.length(69);
  });

  it('defaults the deployment id to <project>/<stack> and passes the stack config to both functions', async () => {
    loadProgram(STACK_CONFIG);
    await settle();
    for (const f of ofType<LambdaInputs>('aws:lambda/function:Function')) {
      const settings = JSON.parse(f.inputs.environment!.variables!.FIREHOSE_ROTATION_SETTINGS) as unknown;
      expect(settings).to.deep.include({
        deploymentId: 'firehose-rotation/test',
        streamPrefix: 'events',
        bufferingSizeMiB: 2,
        bufferingIntervalSeconds: 60,
        extraTags: { environment: 'test' },
      });
    }
  });

  it('fails at preview, before any resource, on bad config naming the key', async () => {
    expect(() => loadProgram({ ...STACK_CONFIG, [`${PROJECT}:latenessMinutes`]: '1441' })).to.throw(
      'invalid stack config (fix with `pulumi config set <key> <value>`):\n' +
        '  - firehose-rotation:latenessMinutes: must be an integer from 0 to 1440 minutes',
    );
    await settle();
    expect(resources).to.deep.equal([]);
  });
});

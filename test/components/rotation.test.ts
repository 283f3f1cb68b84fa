import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { Rotation, RotationArgs } from '../../components/rotation';
import { SourceStream } from '../../components/source-stream';
import { dependsOnNames, expectComponentTree, expectNoWildcardActions, parsePolicy } from './assertions';
import { KEY, ROTATION_ARGS as ARGS, SETTINGS } from './fixtures/args';
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

const FN_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:rot-fn-function-0a1b2c3`;
const LIFECYCLE_TYPE = 'pulumi-nodejs:dynamic/firehose-rotation:RotationLifecycle';
const DLQ = `arn:aws:sqs:${REGION}:${ACCOUNT}:rot-dlq-0a1b2c3`;

describe('Rotation', () => {
  useMocks();

  async function build(args: Partial<RotationArgs> = {}) {
    const rotation = new Rotation('rot', { ...ARGS, ...args }, { transformations: [recordOptions] });
    await settle();
    return rotation;
  }

  it('is the function, its DLQ, async config, lifecycle resource, scheduler role and schedule', async () => {
    const rotation = await build();
    expect(inventory()).to.deep.equal({
      'aws:cloudwatch/logGroup:LogGroup': 1,
      'aws:iam/role:Role': 2,
      'aws:iam/rolePolicy:RolePolicy': 2,
      'aws:lambda/function:Function': 1,
      'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig': 1,
      'aws:scheduler/schedule:Schedule': 1,
      'pulumi-nodejs:dynamic/firehose-rotation:RotationLifecycle': 1,
      'aws:sqs/queue:Queue': 1,
    });
    expectComponentTree(rotation, 'rot');
    expect(await promiseOf(rotation.functionName)).to.equal('rot-fn-function-0a1b2c3');
    const fn = one('aws:lambda/function:Function').inputs;
    // No reserved concurrency: a new account's quota of 10 leaves none to reserve.
    expect(fn).to.not.have.property('reservedConcurrentExecutions');
    expect(fn).to.deep.include({
      timeout: 900,
      memorySize: 256,
      kmsKeyArn: KEY,
    });
    expect(one('aws:sqs/queue:Queue').inputs).to.deep.equal({
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600,
      tags: {},
    });
    expect(one('aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig').inputs).to.deep.equal({
      functionName: 'rot-fn-function-0a1b2c3',
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 3600,
      destinationConfig: { onFailure: { destination: DLQ } },
    });
  });

  it('runs hourly in UTC through a scheduler role that may only invoke it and dead-letter', async () => {
    await build();
    // Auto-named: nothing reads the schedule by name any more (destroy is said by the lifecycle resource).
    expect(one('aws:scheduler/schedule:Schedule').inputs).to.deep.equal({
      description: 'Hourly rotation of the Firehose streams (firehose-rotation)',
      scheduleExpression: 'rate(1 hour)',
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: FN_ARN,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/rot-scheduler-role-0a1b2c3`,
        input: '{"source":"schedule"}',
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 900 },
        deadLetterConfig: { arn: DLQ },
      },
    });
    const trust = parsePolicy(one('aws:iam/role:Role', 'rot-scheduler-role').inputs.assumeRolePolicy);
    expect(trust.Statement).to.deep.equal([
      {
        Sid: 'TrustService',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ]);
    const policy = parsePolicy(one('aws:iam/rolePolicy:RolePolicy', 'rot-scheduler-policy').inputs.policy);
    expectNoWildcardActions(policy);
    expect(policy.Statement).to.deep.equal([
      { Sid: 'InvokeRotation', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [FN_ARN] },
      { Sid: 'DeadLetter', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [DLQ] },
    ]);
  });

  it('deploys and destroys through the lifecycle resource, after its dependencies and before the schedule', async () => {
    const dep = new SourceStream('dep', { kmsKeyArn: KEY }, { transformations: [recordOptions] });
    const rotation = await build({ lifecycleDependsOn: [dep.stream] });
    const sha = createHash('sha256').update(SETTINGS).digest('hex');
    const { __provider, ...inputs } = one(LIFECYCLE_TYPE, 'rot-lifecycle').inputs;
    // Region from the provider (getRegion), no aws:profile in this stack's config; the outputs are
    // registered unknown so the engine fills them from the provider's create.
    expect(inputs).to.deep.equal({
      functionName: 'rot-fn-function-0a1b2c3',
      region: REGION,
      settingsSha256: sha,
    });
    // Type token, name, input names and the output `generation` (the lifecycle id) are wire names:
    // the state of deployed stacks holds them, so they are spelled out here.
    expect(await promiseOf(rotation.lifecycle.generation)).to.equal('rot-lifecycle-generation');
    // The provider is serialized into the state (that is what a later delete runs): it carries the
    // two functions, requires the SDK inside the invoker, and captures no module of this program.
    expect(__provider).to.be.a('string');
    const code = __provider as string;
    expect(code).to.match(/require\(["']@aws-sdk\/client-lambda["']\)/);
    expect(code).to.match(/action:\s*["']destroy["'],\s*generation:\s*props\.generation/);
    expect(code).to.not.match(/class |ComponentResource|__awaiter/);
    // One attempt on a 16-minute socket: above the function's 900 s maximum (a teardown waits).
    expect(code).to.match(/requestTimeout:\s*INVOKE_TIMEOUT_MS\b/);
    expect(code).to.match(/\bINVOKE_TIMEOUT_MS: 960000\b/);
    expect(code.length).to.be.below(8_000); // 3,826 characters under tsx, 2026-12-07
    // On destroy Pulumi deletes dependents first: the schedule goes, then the teardown runs, then
    // the resources the teardown needs.
    expect(dependsOnNames('rot-lifecycle')).to.deep.equal(['dep-stream', 'rot-fn-function', 'rot-fn-policy']);
    expect(dependsOnNames('rot-schedule')).to.deep.equal(['rot-lifecycle', 'rot-scheduler-policy']);
  });

  it('creates the function only after what functionDependsOn names', async () => {
    const dep = new SourceStream('dep', { kmsKeyArn: KEY }, { transformations: [recordOptions] });
    await build({ functionDependsOn: [dep.stream] });
    expect(dependsOnNames('rot-fn-function')).to.deep.equal(['dep-stream', 'rot-fn-policy']);
  });

  it('reserves concurrency only when asked', async () => {
    await build({ reservedConcurrency: 2 });
    expect(one('aws:lambda/function:Function').inputs.reservedConcurrentExecutions).to.equal(2);
  });

  const invalid: [string, Partial<RotationArgs>, string][] = [
    [
      'a timeout too short for a rotation',
      { timeoutSeconds: 30 },
      'Rotation: timeoutSeconds must be an integer from 60 to 900 seconds (got 30)',
    ],
    [
      'a bad schedule',
      { scheduleExpression: 'every hour' },
      'Rotation: scheduleExpression must be an EventBridge Scheduler rate(...) or cron(...) expression (got "every hour")',
    ],
    [
      'zero reserved concurrency',
      { reservedConcurrency: 0 },
      'Rotation: reservedConcurrency must be an integer from 1 to 1000 concurrent executions (got 0)',
    ],
  ];
  for (const [what, args, message] of invalid) {
    it(`rejects ${what}`, async () => {
      expect(() => new Rotation('rot', { ...ARGS, ...args })).to.throw(message);
      await settle();
      expect(resources).to.deep.equal([]);
    });
  }
});

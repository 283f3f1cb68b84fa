// The deployed pipeline as IAM sees it: the real Pipeline component run under the Pulumi mocks, and
// from its registered resources the exact policy documents each role gets, the resource policies
// (bucket policies; the lake key's default key policy), the runtime settings the functions receive
// and the service configurations (fallback stream, event source mapping, schedule, async
// destination) from which the requests AWS makes on the pipeline's behalf are derived.
import { Pipeline } from '../../components/pipeline';
import { parsePipelineConfig, RotationSettings } from '../../rotation/core/settings';
import { parsePolicy, PolicyDoc } from '../components/assertions';
import { PIPELINE_ARGS, PIPELINE_CONFIG } from '../components/fixtures/args';
import {
  ACCOUNT,
  components,
  invokes,
  one,
  ofType,
  options,
  promiseOf,
  Recorded,
  REGION,
  resources,
  settle,
} from '../components/mocks';
import { Principal } from '../support/request-ledger';

export { ACCOUNT, REGION } from '../components/mocks';

/** The role each principal of the ledger is, by the Pulumi name of its aws.iam.Role. */
const ROLE_OF: Record<Principal, string> = {
  rotation: 'pipe-rotation-fn-role',
  router: 'pipe-router-fn-role',
  delivery: 'pipe-delivery-role',
  scheduler: 'pipe-rotation-scheduler-role',
};

export interface PipelineUnderTest {
  settings: RotationSettings;
  roleArn: Record<Principal, string>;
  identityPolicies: Record<Principal, PolicyDoc[]>;
  /** Resource policies by the ARN prefix they govern (bucket ARN, key ARN). */
  resourcePolicies: { arn: string; policy: PolicyDoc }[];
  sourceStreamArn: string;
  sourceStreamName: string;
  fallback: Recorded['inputs'];
  mapping: Recorded['inputs'];
  schedule: Recorded['inputs'];
  asyncDestination: string;
  functionLogGroups: Record<'rotation' | 'router', string>;
}

/**
 * With no policy of its own a KMS key gets the default key policy, which delegates to IAM: the
 * account's identity policies decide. Stated here because Pulumi sends no document for it.
 */
export const defaultKeyPolicy = (account: string): PolicyDoc => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: ['kms:*'],
      Resource: '*',
    },
  ],
});

/**
 * Builds the pipeline (inside a describe with useMocks()) and reads everything IAM needs; `config`
 * changes the stack config of the fixture (e.g. streamsPerHour).
 */
export async function buildPipeline(config: Record<string, unknown> = {}): Promise<PipelineUnderTest> {
  // Called from a `before` hook, which runs ahead of useMocks' clearing `beforeEach`.
  for (const list of [resources, components, invokes, options]) list.length = 0;
  const args = Object.keys(config).length
    ? { ...PIPELINE_ARGS, config: parsePipelineConfig({ ...PIPELINE_CONFIG, ...config }) }
    : PIPELINE_ARGS;
  const pipeline = new Pipeline('pipe', args);
  const [settings, sourceStreamArn, sourceStreamName, keyArn] = await Promise.all([
    promiseOf(pipeline.settings),
    promiseOf(pipeline.kinesisStreamArn),
    promiseOf(pipeline.kinesisStreamName),
    promiseOf(pipeline.kmsKeyArn),
  ]);
  await settle();
  const roles = ofType('aws:iam/role:Role');
  const roleArn = {} as Record<Principal, string>;
  const identityPolicies = {} as Record<Principal, PolicyDoc[]>;
  for (const [principal, roleName] of Object.entries(ROLE_OF) as [Principal, string][]) {
    const physical = `${roleName}-0a1b2c3`;
    if (!roles.some((r) => r.name === roleName)) throw new Error(`no role ${roleName} in the pipeline`);
    roleArn[principal] = `arn:aws:iam::${ACCOUNT}:role/${physical}`;
    const policies = ofType('aws:iam/rolePolicy:RolePolicy').filter((p) => p.inputs.role === physical);
    if (policies.length === 0) throw new Error(`role ${roleName} has no policy`);
    identityPolicies[principal] = policies.map((p) => parsePolicy(p.inputs.policy));
  }
  const bucketPolicies = ofType('aws:s3/bucketPolicy:BucketPolicy').map((p) => ({
    arn: `arn:aws:s3:::${p.inputs.bucket}`,
    policy: parsePolicy(p.inputs.policy),
  }));
  const logGroup = (fn: string) =>
    `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${one('aws:lambda/function:Function', fn).inputs.loggingConfig.logGroup}`;
  return {
    settings,
    roleArn,
    identityPolicies,
    resourcePolicies: [...bucketPolicies, { arn: keyArn, policy: defaultKeyPolicy(ACCOUNT) }],
    sourceStreamArn,
    sourceStreamName,
    fallback: one('aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream').inputs,
    mapping: one('aws:lambda/eventSourceMapping:EventSourceMapping').inputs,
    schedule: one('aws:scheduler/schedule:Schedule').inputs,
    asyncDestination: one(
      'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
      'pipe-rotation-async',
    ).inputs.destinationConfig.onFailure.destination,
    functionLogGroups: {
      rotation: logGroup('pipe-rotation-fn-function'),
      router: logGroup('pipe-router-fn-function'),
    },
  };
}

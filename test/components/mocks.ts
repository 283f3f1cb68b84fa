// Pulumi mocks for the component tests. Every registered resource is recorded with its inputs;
// a resource type or provider function the tests do not know throws, so a new resource or invoke
// cannot slip into the program unasserted. Mocked state adds realistic ARNs and names, because
// the settings schema validates them inside the program.
//
// What mocks cannot prove: that IAM evaluates these policies as intended (test/iam simulates that
// from the documents recorded here), that AWS accepts every argument combination (the provider and the APIs are not running),
// and that the lifecycle resource's provider really runs in Pulumi's dynamic-provider host on
// up/destroy (its create/diff/update/delete are tested directly, test/components/rotation-lifecycle.test.ts). Those need a real
// `pulumi up` in an AWS account; the tests pin down exactly what such a run would send.
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { loadModule } from '../support/load-module';

export const ACCOUNT = '123456789012';
// Not us-east-1: a Region or account hard-coded anywhere in the program shows up as a mismatch.
export const REGION = 'eu-west-1';
export const PROJECT = 'firehose-rotation';
export const STACK = 'test';
/** The organization a DIY backend reports; the Pipeline's self StackReference is named with it. */
export const ORGANIZATION = 'organization';
/** A stand-in handler (bundled for real) and a bundle folder outside the repository's .bundles. */
export const FIXTURE_HANDLER = path.join(__dirname, 'fixtures', 'handler.ts');
export const BUNDLE_ROOT = path.join(os.tmpdir(), 'firehose-rotation-component-tests');

/**
 * Resource inputs as the engine resolved them. Pulumi's mock API hands them over untyped; a test
 * names the shape it reads with `one<T>` / `ofType<T>` (e.g. `pulumi.Unwrap<aws.glue.CatalogTableArgs>`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped by Pulumi's mock API (see above)
export type Inputs = Record<string, any>;

export interface Recorded<T = Inputs> {
  type: string;
  name: string;
  inputs: T;
}

export interface RecordedOptions {
  type: string;
  name: string;
  opts: pulumi.ResourceOptions;
  resource: pulumi.Resource;
}

/**
 * What getRegion and getPartition answer: REGION in the aws partition unless a test switches it
 * (useMocks puts it back before each test). Only these two answers change; recorded ARNs keep REGION.
 */
export const environment = { region: REGION, partition: 'aws', dnsSuffix: 'amazonaws.com' };
const DEFAULT_ENVIRONMENT = { ...environment };

export const resources: Recorded[] = [];
/** What a `pulumi.StackReference` reads in the consumer example's test. */
export const stackOutputs: Record<string, string> = {};
export const components: Recorded[] = [];
export const invokes: string[] = [];
export const options: RecordedOptions[] = [];

/** Pass as `{ transformations: [recordOptions] }`: children inherit it only through `parent`. */
export const recordOptions: pulumi.ResourceTransformation = ({ type, name, opts, resource }) => {
  options.push({ type, name, opts, resource });
  return undefined;
};

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
// Physical names as the provider's auto-naming would make them (mocks do not auto-name).
const physical = (name: string, inputs: Inputs) => (inputs.name as string | undefined) ?? `${name}-0a1b2c3`;

const STATE: Record<string, (name: string, inputs: Inputs) => Record<string, unknown>> = {
  'aws:kms/key:Key': (n) => ({ arn: arn('kms', `key/${n}-0000-1111`), keyId: `${n}-0000-1111` }),
  'aws:s3/bucket:Bucket': (n) => ({ bucket: `${n}-0a1b2c3`, arn: `arn:aws:s3:::${n}-0a1b2c3` }),
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': () => ({}),
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls': () => ({}),
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': () => ({}),
  'aws:s3/bucketVersioning:BucketVersioning': () => ({}),
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': () => ({}),
  'aws:s3/bucketPolicy:BucketPolicy': () => ({}),
  'aws:kinesis/stream:Stream': (n, i) => ({
    name: physical(n, i),
    arn: arn('kinesis', `stream/${physical(n, i)}`),
  }),
  'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream': (n, i) => ({
    name: physical(n, i),
    arn: arn('firehose', `deliverystream/${physical(n, i)}`),
  }),
  'aws:cloudwatch/logGroup:LogGroup': (n, i) => ({
    name: physical(n, i),
    arn: arn('logs', `log-group:${physical(n, i)}`),
  }),
  'aws:cloudwatch/logStream:LogStream': (n, i) => ({ name: physical(n, i) }),
  'aws:iam/role:Role': (n, i) => ({
    name: physical(n, i),
    arn: `arn:aws:iam::${ACCOUNT}:role/${physical(n, i)}`,
  }),
  'aws:iam/rolePolicy:RolePolicy': (n, i) => ({ name: physical(n, i) }),
  'aws:iam/policy:Policy': (n, i) => ({
    name: physical(n, i),
    arn: `arn:aws:iam::${ACCOUNT}:policy/${physical(n, i)}`,
  }),
  'aws:sns/topic:Topic': (n, i) => ({ name: physical(n, i), arn: arn('sns', physical(n, i)) }),
  'aws:sns/topicSubscription:TopicSubscription': (n) => ({ arn: arn('sns', `topic:${n}`) }),
  'aws:cloudwatch/metricAlarm:MetricAlarm': (n, i) => ({
    name: physical(n, i),
    arn: arn('cloudwatch', `alarm:${physical(n, i)}`),
  }),
  'aws:cloudwatch/dashboard:Dashboard': (_n, i) => ({
    dashboardName: i.dashboardName,
    dashboardArn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${i.dashboardName}`,
  }),
  'aws:glue/catalogDatabase:CatalogDatabase': (_n, i) => ({
    name: i.name,
    arn: arn('glue', `database/${i.name}`),
  }),
  'aws:glue/catalogTable:CatalogTable': (_n, i) => ({
    name: i.name,
    arn: arn('glue', `table/${i.databaseName}/${i.name}`),
  }),
  'pulumi:pulumi:StackReference': (n) => ({ name: n, outputs: { ...stackOutputs }, secretOutputNames: [] }),
  'aws:lambda/function:Function': (n, i) => ({
    name: physical(n, i),
    arn: arn('lambda', `function:${physical(n, i)}`),
  }),
  'aws:lambda/eventSourceMapping:EventSourceMapping': () => ({ uuid: '5f1e0c9a-uuid' }),
  'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig': () => ({}),
  // The dynamic resource's create answers its outputs; mocks never run the provider itself.
  'pulumi-nodejs:dynamic/firehose-rotation:RotationLifecycle': (n) => ({
    generation: `${n}-generation`,
    lastOutcome: 'rotation',
  }),
  'aws:lambda/permission:Permission': () => ({}),
  'aws:s3/bucketNotification:BucketNotification': () => ({}),
  'aws:sqs/queue:Queue': (n, i) => ({ name: physical(n, i), arn: arn('sqs', physical(n, i)) }),
  'aws:scheduler/schedule:Schedule': (n, i) => ({
    name: physical(n, i),
    arn: arn('scheduler', `schedule/default/${n}`),
  }),
};

export const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    if (!args.custom) {
      if (!args.type.startsWith('firehose-rotation:index:'))
        throw new Error(`unexpected component ${args.type}`);
      components.push({ type: args.type, name: args.name, inputs: args.inputs as Inputs });
      return { id: undefined, state: {} };
    }
    const state = STATE[args.type];
    if (!state) throw new Error(`unexpected resource type ${args.type} (${args.name})`);
    const inputs = args.inputs as Inputs;
    resources.push({ type: args.type, name: args.name, inputs });
    return { id: `${args.name}-id`, state: { ...inputs, ...state(args.name, inputs) } };
  },
  call(args) {
    invokes.push(args.token);
    switch (args.token) {
      case 'aws:index/getCallerIdentity:getCallerIdentity':
        return {
          accountId: ACCOUNT,
          arn: `arn:aws:iam::${ACCOUNT}:user/test`,
          id: ACCOUNT,
          userId: 'AIDTEST',
        };
      case 'aws:index/getRegion:getRegion': {
        const { region } = environment;
        return { id: region, name: region, region, description: 'Europe (Ireland)', endpoint: '' };
      }
      case 'aws:index/getPartition:getPartition': {
        const { partition, dnsSuffix } = environment;
        const reverseDnsPrefix = dnsSuffix.split('.').reverse().join('.');
        return { id: partition, partition, dnsSuffix, reverseDnsPrefix };
      }
      default:
        throw new Error(`unexpected provider function ${args.token}`);
    }
  },
};

/** Installs the mocks for a describe block and clears the records before each test. */
export function useMocks(): void {
  before(() => pulumi.runtime.setMocks(mocks, PROJECT, STACK, false, ORGANIZATION));
  beforeEach(() => {
    for (const list of [resources, components, invokes, options]) list.length = 0;
    Object.assign(environment, DEFAULT_ENVIRONMENT);
  });
}

// Not in the public typings: resolves once every outstanding resource registration has finished.
const runtimeSettings = loadModule<{ waitForRPCs(): Promise<void> }>('@pulumi/pulumi/runtime/settings');

/** Waits until every resource of the program so far is registered (and recorded). */
export async function settle(): Promise<void> {
  await runtimeSettings.waitForRPCs();
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

export function ofType<T = Inputs>(type: string): Recorded<T>[] {
  return resources.filter((r) => r.type === type) as Recorded<T>[];
}

/** The single recorded resource of `type` (named `name` when given); throws otherwise. */
export function one<T = Inputs>(type: string, name?: string): Recorded<T> {
  const found = ofType<T>(type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1)
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** Resource type → count, for exact inventory assertions. */
export function inventory(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

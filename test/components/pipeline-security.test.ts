// Security and wiring of the whole pipeline: every policy document, encryption at rest, alarms and
// Athena tables pointed at what was deployed.
import { expect } from 'chai';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { Pipeline, PipelineArgs } from '../../components/pipeline';
import { expectNoWildcardActions, expectWildcardResourcesOnly, parsePolicy } from './assertions';
import { PIPE_KEY as KEY, PIPELINE_ARGS as ARGS } from './fixtures/args';
import { ACCOUNT, ofType, one, recordOptions, REGION, settle, useMocks } from './mocks';

describe('Pipeline security and wiring', () => {
  useMocks();

  async function build(args: Partial<PipelineArgs> = {}) {
    const pipeline = new Pipeline('pipe', { ...ARGS, ...args }, { transformations: [recordOptions] });
    await settle();
    return pipeline;
  }

  it('keeps every policy free of wildcard actions; ListDeliveryStreams is the only "*" resource', async () => {
    await build();
    const documents = [
      ...ofType<pulumi.Unwrap<aws.iam.RolePolicyArgs>>('aws:iam/rolePolicy:RolePolicy').map(
        (r) => r.inputs.policy,
      ),
      ...ofType<pulumi.Unwrap<aws.iam.RoleArgs>>('aws:iam/role:Role').map((r) => r.inputs.assumeRolePolicy),
      ...ofType<pulumi.Unwrap<aws.s3.BucketPolicyArgs>>('aws:s3/bucketPolicy:BucketPolicy').map(
        (r) => r.inputs.policy,
      ),
    ].map(parsePolicy);
    expect(documents).to.have.length(12); // the placer's role and policy included
    for (const doc of documents) {
      expectNoWildcardActions(doc);
      expectWildcardResourcesOnly(doc, ['CountStreamsInAccount']);
    }
    const wildcards = documents.flatMap((d) => d.Statement).filter((s) => s.Resource === '*');
    expect(wildcards.map((s) => s.Action)).to.deep.equal([['firehose:ListDeliveryStreams']]);
    // Key policies are the exception by definition: their "*" resource means "this key".
    const keyPolicies = ofType('aws:kms/key:Key').filter((k) => k.inputs.policy !== undefined);
    expect(keyPolicies.map((k) => k.name)).to.deep.equal(['pipe-alarms-topic-key']);
    for (const doc of keyPolicies.map((k) => parsePolicy(k.inputs.policy))) expectNoWildcardActions(doc);
  });

  it('wires the alarms to the deployed names and the Athena tables to the data lake', async () => {
    await build({ alarms: { email: 'oncall@example.com' }, athena: { firstDay: '2026-11-01' } });
    const alarms = ofType('aws:cloudwatch/metricAlarm:MetricAlarm');
    const dims = Object.fromEntries(
      alarms.map((a) => [a.name.replace('pipe-alarms-', ''), a.inputs.dimensions]),
    );
    expect(dims['router-errors']).to.deep.equal({ FunctionName: 'pipe-router-fn-function-0a1b2c3' });
    expect(dims['rotation-errors']).to.deep.equal({ FunctionName: 'pipe-rotation-fn-function-0a1b2c3' });
    expect(dims['on-failure-deliveries']).to.deep.equal({ EventSourceMappingUUID: '5f1e0c9a-uuid' });
    expect(dims['fallback-freshness']).to.deep.equal({ DeliveryStreamName: 'events-fallback' });
    // Stacks sharing an account each watch their own rotation runs and router records (docs/sharing.md).
    for (const id of ['rotation-heartbeat', 'near-term-shortfall', 'tomorrow-not-ready', 'fallback-missing'])
      expect(dims[id], id).to.deep.equal({ service: 'rotation', deployment: 'firehose-rotation/test' });
    expect(dims['fallback-volume']).to.deep.equal({
      service: 'router',
      deployment: 'firehose-rotation/test',
    });
    expect(one('aws:sns/topicSubscription:TopicSubscription').inputs).to.include({
      protocol: 'email',
      endpoint: 'oncall@example.com',
    });
    const events = one<pulumi.Unwrap<aws.glue.CatalogTableArgs>>(
      'aws:glue/catalogTable:CatalogTable',
      'pipe-athena-events',
    ).inputs;
    expect(events.databaseName).to.equal('events');
    expect(events.storageDescriptor?.location).to.equal('s3://pipe-lake-bucket-0a1b2c3/data/');
    expect(events.parameters?.['projection.dt.range']).to.equal('2026-11-01,NOW+1DAYS');
    expect(events.parameters?.['storage.location.template']).to.equal(
      's3://pipe-lake-bucket-0a1b2c3/data/dt=${dt}/hr=${hr}/',
    );
  });

  it('encrypts every resource that holds data', async () => {
    await build();
    for (const sse of ofType(
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    )) {
      expect(sse.inputs.rules).to.deep.equal([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KEY },
          bucketKeyEnabled: true,
        },
      ]);
    }
    expect(one('aws:kinesis/stream:Stream').inputs).to.include({ encryptionType: 'KMS', kmsKeyId: KEY });
    const fallback = one<pulumi.Unwrap<aws.kinesis.FirehoseDeliveryStreamArgs>>(
      'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream',
    ).inputs;
    expect(fallback.serverSideEncryption).to.deep.equal({ enabled: true, keyType: 'AWS_OWNED_CMK' });
    expect(fallback.extendedS3Configuration?.kmsKeyArn).to.equal(KEY);
    for (const fn of ofType('aws:lambda/function:Function')) expect(fn.inputs.kmsKeyArn).to.equal(KEY);
    for (const q of ofType('aws:sqs/queue:Queue')) expect(q.inputs.sqsManagedSseEnabled).to.equal(true);
    expect(one('aws:kms/key:Key', 'pipe-lake-key').inputs.enableKeyRotation).to.equal(true);
    expect(one('aws:sns/topic:Topic').inputs.kmsMasterKeyId).to.equal(
      `arn:aws:kms:${REGION}:${ACCOUNT}:key/pipe-alarms-topic-key-0000-1111`,
    );
  });
});

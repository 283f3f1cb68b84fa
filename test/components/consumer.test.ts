// The consumer example (examples/consumer) against the pipeline's outputs as a StackReference
// would return them.
import { expect } from 'chai';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { loadModule } from '../support/load-module';
import { expectNoWildcardActions, parsePolicy } from './assertions';
import { ACCOUNT, one, PROJECT, promiseOf, REGION, resources, settle, stackOutputs, useMocks } from './mocks';

const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/k-1`;
const STREAM = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/source`;

describe('examples/consumer', () => {
  useMocks();
  after(() => pulumi.runtime.setAllConfig({}));

  it('reads the pipeline outputs and scopes producer and reader policies to them', async () => {
    Object.assign(stackOutputs, {
      bucketName: 'lake',
      bucketArn: 'arn:aws:s3:::lake',
      dataPrefix: 'data',
      kinesisStreamArn: STREAM,
      kmsKeyArn: KEY,
      hourlyStreamNamePattern: 'events-yyyyMMddHH',
    });
    pulumi.runtime.setAllConfig({ [`${PROJECT}:pipelineStack`]: 'my-org/firehose-rotation/dev' });
    const program = loadModule<Record<string, pulumi.Output<string>>>(
      path.join(__dirname, '..', '..', 'examples', 'consumer', 'index'),
    );
    await settle();

    expect(one('pulumi:pulumi:StackReference').name).to.equal('my-org/firehose-rotation/dev');
    const producer = parsePolicy(one('aws:iam/policy:Policy', 'pipeline-producer').inputs.policy);
    const reader = parsePolicy(one('aws:iam/policy:Policy', 'pipeline-reader').inputs.policy);
    expectNoWildcardActions(producer);
    expectNoWildcardActions(reader);
    expect(producer.Statement.map((s) => [s.Action, s.Resource])).to.deep.equal([
      [['kinesis:DescribeStreamSummary', 'kinesis:PutRecord', 'kinesis:PutRecords'], [STREAM]],
      [['kms:GenerateDataKey'], [KEY]],
    ]);
    expect(reader.Statement.map((s) => [s.Action, s.Resource, s.Condition])).to.deep.equal([
      [['s3:ListBucket'], ['arn:aws:s3:::lake'], { StringLike: { 's3:prefix': ['data/*'] } }],
      [['s3:GetObject'], ['arn:aws:s3:::lake/data/*'], undefined],
      [['kms:Decrypt'], [KEY], { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } }],
    ]);
    expect(await promiseOf(program.dataLocation)).to.equal('s3://lake/data/');
    expect(await promiseOf(program.hourlyStreamNamePattern)).to.equal('events-yyyyMMddHH');
    expect(await promiseOf(program.readerPolicyArn)).to.equal(
      `arn:aws:iam::${ACCOUNT}:policy/pipeline-reader-0a1b2c3`,
    );
    expect(resources.map((r) => r.type).sort()).to.deep.equal([
      'aws:iam/policy:Policy',
      'aws:iam/policy:Policy',
      'pulumi:pulumi:StackReference',
    ]);
  });
});

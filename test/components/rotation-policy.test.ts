// The rotation role's policy, from the exact JSON the Rotation component registers.
import { expect } from 'chai';
import { Rotation, RotationArgs } from '../../components/rotation';
import { generationOf } from '../../rotation/core/generations';
import { expectNoWildcardActions, expectWildcardResourcesOnly, parsePolicy, statement } from './assertions';
import {
  BUCKET,
  DELIVERY_ROLE,
  FALLBACK,
  HOURLY,
  KEY,
  ROTATION_ARGS as ARGS,
  RUNTIME_SETTINGS,
} from './fixtures/args';
import { ACCOUNT, one, recordOptions, REGION, resources, settle, useMocks } from './mocks';

const DLQ = `arn:aws:sqs:${REGION}:${ACCOUNT}:rot-dlq-0a1b2c3`;

const RECORD = '_firehose-rotation/lifecycle/generation.json';

describe('Rotation role policy', () => {
  useMocks();

  async function policyOf(args: Partial<RotationArgs> = {}) {
    new Rotation('rot', { ...ARGS, ...args }, { transformations: [recordOptions] });
    await settle();
    return parsePolicy(one('aws:iam/rolePolicy:RolePolicy', 'rot-fn-policy').inputs.policy);
  }

  it('scopes the rotation role to <prefix>-20????????, our tags, the delivery role and the DLQ', async () => {
    const policy = await policyOf();
    expectNoWildcardActions(policy);
    expectWildcardResourcesOnly(policy, ['CountStreamsInAccount']);
    const hourly = HOURLY;
    const tagConditions = {
      StringEquals: { 'aws:RequestTag/firehose-rotation:deployment': 'firehose-rotation/test' },
      'ForAllValues:StringEquals': {
        // Exactly the keys the rotation's request builder sets, its per-hour tag included.
        'aws:TagKeys': [
          'firehose-rotation:config',
          'firehose-rotation:deployment',
          'firehose-rotation:hour',
          'firehose-rotation:managed-by',
          'team',
        ],
      },
    };
    expect(policy.Statement.slice(1)).to.deep.equal([
      {
        Sid: 'CountStreamsInAccount',
        Effect: 'Allow',
        Action: ['firehose:ListDeliveryStreams'],
        Resource: '*',
      },
      {
        Sid: 'InspectOwnNamespace',
        Effect: 'Allow',
        Action: ['firehose:DescribeDeliveryStream', 'firehose:ListTagsForDeliveryStream'],
        Resource: [hourly],
      },
      {
        Sid: 'DescribeFallback',
        Effect: 'Allow',
        Action: ['firehose:DescribeDeliveryStream'],
        Resource: [FALLBACK],
      },
      {
        Sid: 'CreateWithOwnershipTags',
        Effect: 'Allow',
        Action: ['firehose:CreateDeliveryStream'],
        Resource: [hourly],
        Condition: tagConditions,
      },
      {
        // A stream being created has no owner tag yet; one carrying another owner's never matches.
        Sid: 'TagOnlyWhileCreating',
        Effect: 'Allow',
        Action: ['firehose:TagDeliveryStream'],
        Resource: [hourly],
        Condition: { ...tagConditions, Null: { 'aws:ResourceTag/firehose-rotation:deployment': 'true' } },
      },
      {
        Sid: 'DeleteOnlyOwned',
        Effect: 'Allow',
        Action: ['firehose:DeleteDeliveryStream'],
        Resource: [hourly],
        Condition: {
          StringEquals: { 'aws:ResourceTag/firehose-rotation:deployment': 'firehose-rotation/test' },
        },
      },
      {
        // Sharing: the tags of hourly-shaped names of any prefix and of other fallbacks (only tags).
        Sid: 'SeeOtherDeployments',
        Effect: 'Allow',
        Action: ['firehose:ListTagsForDeliveryStream'],
        Resource: ['*-20????????', '*-20????????-?', '*-20????????-??', '*-fallback'].map(
          (p) => `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${p}`,
        ),
      },
      {
        Sid: 'NeverDeleteFallback',
        Effect: 'Deny',
        Action: ['firehose:DeleteDeliveryStream'],
        Resource: [FALLBACK],
      },
      {
        Sid: 'PassDeliveryRoleToFirehose',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [DELIVERY_ROLE],
        Condition: { StringEquals: { 'iam:PassedToService': 'firehose.amazonaws.com' } },
      },
      {
        Sid: 'WriteHourCompleteMarkers',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: [`${BUCKET}/data/dt=*/hr=*/_SUCCESS`],
      },
      {
        Sid: 'EncryptMarkersThroughS3',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey'],
        Resource: [KEY],
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
          StringLike: {
            'kms:EncryptionContext:aws:s3:arn': [BUCKET, `${BUCKET}/data/*`, `${BUCKET}/${RECORD}`],
          },
        },
      },
      {
        Sid: 'DecryptLifecycleRecordThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: [KEY],
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET, `${BUCKET}/${RECORD}`] },
        },
      },
      {
        Sid: 'PublishHourComplete',
        Effect: 'Allow',
        Action: ['events:PutEvents'],
        Resource: [`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`],
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': ['firehose-rotation'],
            'events:detail-type': ['Hour Partition Complete'],
          },
        },
      },
      {
        // serviceQuotaCode defaults to Firehose's delivery-stream quota: read by default.
        Sid: 'ReadStreamQuota',
        Effect: 'Allow',
        Action: ['servicequotas:GetServiceQuota'],
        Resource: [`arn:aws:servicequotas:${REGION}:${ACCOUNT}:firehose/L-14BB0BE7`],
      },
      {
        // One fixed key under every settings version: no delete can fail for want of it.
        Sid: 'LifecycleRecord',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [`${BUCKET}/${RECORD}`],
      },
      { Sid: 'FailedRunsToDeadLetterQueue', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [DLQ] },
    ]);
    expect(statement(policy, 'WriteOwnLogGroup').Resource).to.equal(
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:rot-fn-logs-0a1b2c3:*`,
    );
  });

  it('reads and writes the lifecycle record under every settings version: a prefix change cannot deny it', async () => {
    const before = statement(await policyOf(), 'LifecycleRecord');
    resources.length = 0; // the second Rotation's policy alone
    const changed = {
      ...RUNTIME_SETTINGS,
      streamPrefix: 'orders',
      dataPrefix: 'data-v2',
      deploymentId: 'firehose-rotation/renamed',
    };
    const after = statement(await policyOf({ settings: changed }), 'LifecycleRecord');
    expect(after).to.deep.equal(before);
    expect(after.Resource).to.deep.equal([`${BUCKET}/${RECORD}`]);
  });

  it('with another serviceQuotaCode it reads that one quota, not the default one', async () => {
    const policy = await policyOf({
      settings: { ...RUNTIME_SETTINGS, serviceQuotaCode: 'L-0123ABCD' },
    });
    expectNoWildcardActions(policy);
    expectWildcardResourcesOnly(policy, ['CountStreamsInAccount']);
    expect(statement(policy, 'ReadStreamQuota')).to.deep.equal({
      Sid: 'ReadStreamQuota',
      Effect: 'Allow',
      Action: ['servicequotas:GetServiceQuota'],
      Resource: [`arn:aws:servicequotas:${REGION}:${ACCOUNT}:firehose/L-0123ABCD`],
    });
  });

  // streamsPerHour: the hourly statements cover the siblings an hour may have, and only those.
  const hourlyByN: [number, { streamsPerHour: number }[], string[]][] = [
    [1, [], [HOURLY]],
    [2, [], [HOURLY, `${HOURLY}-?`]],
    [10, [], [HOURLY, `${HOURLY}-?`]],
    [12, [], [HOURLY, `${HOURLY}-?`, `${HOURLY}-??`]],
    // Lowered from 4 to 1: the former configuration's siblings stay covered until it expires.
    [1, [{ streamsPerHour: 4 }], [HOURLY, `${HOURLY}-?`]],
  ];
  for (const [n, formers, patterns] of hourlyByN) {
    it(`streamsPerHour ${n}${formers.length ? ' after 4' : ''}: create, inspect and delete ${patterns.length} name pattern(s)`, async () => {
      const formerGenerations = formers.map((f) => ({
        ...generationOf(RUNTIME_SETTINGS),
        ...f,
        namesUntil: '2026112400',
        expires: '2026-11-24T08:20:00.000Z',
      }));
      const policy = await policyOf({
        settings: { ...RUNTIME_SETTINGS, streamsPerHour: n, formerGenerations },
      });
      for (const sid of [
        'InspectOwnNamespace',
        'CreateWithOwnershipTags',
        'TagOnlyWhileCreating',
        'DeleteOnlyOwned',
      ])
        expect(statement(policy, sid).Resource, sid).to.deep.equal(patterns);
    });
  }

  const buses: [string, string][] = [
    ['pipeline-events', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/pipeline-events`],
    [
      `arn:aws:events:${REGION}:999999999999:event-bus/central`,
      `arn:aws:events:${REGION}:999999999999:event-bus/central`,
    ],
  ];
  for (const [eventBusName, bus] of buses) {
    it(`publishes to the bus the settings name: ${eventBusName}`, async () => {
      const policy = await policyOf({ settings: { ...RUNTIME_SETTINGS, eventBusName } });
      expect(statement(policy, 'PublishHourComplete').Resource).to.deep.equal([bus]);
    });
  }
});

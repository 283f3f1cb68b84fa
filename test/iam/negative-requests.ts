// Requests the pipeline's roles must NOT be allowed, generated from the deployed settings and built
// with the same command→IAM table as the ledger (the SDK inputs are what code would send). Another
// stack whose prefix merely starts with ours (`<prefix>-dev`) is the case a `<prefix>-*` pattern
// gets wrong; the others cover ownership tags, the fallback, prefixes, buckets, keys and services.
import { DateTime } from 'luxon';
import { EVENT_SOURCE, HOUR_COMPLETE_DETAIL_TYPE } from '../../rotation/core/hour-complete';
import { hourlyStreamRequest } from '../../rotation/aws/stream-config';
import { OWNER_TAG } from '../../rotation/core/settings';
import { authorizationsFor, ObservedState, RequestScope } from '../support/iam-actions';
import { LedgerEntry, Principal } from '../support/request-ledger';
import { ACCOUNT, PipelineUnderTest, REGION } from './pipeline-under-test';
import { DELIVERY_INSTANT, deliveryRequests, hourlyDestination } from './service-requests';

export interface NegativeCase {
  name: string;
  entry: LedgerEntry;
  /** ExplicitlyDenied where a Deny statement must decide, ImplicitlyDenied where no Allow matches. */
  expected: 'ImplicitlyDenied' | 'ExplicitlyDenied';
}

const SCOPE: RequestScope = { partition: 'aws', region: REGION, account: ACCOUNT };
const HOUR = DateTime.fromISO('2026-11-22T05:00:00Z', { zone: 'utc' });

/** One authorization of an SDK command, as the ledger would record it for `principal`. */
export function request(
  principal: Principal,
  command: string,
  input: object,
  tags: Record<string, string> = {},
  pick = 0,
): LedgerEntry {
  const state: ObservedState = { streamTags: () => tags, iteratorStream: () => undefined };
  return {
    ...authorizationsFor(command, input, SCOPE, state)[pick],
    principal,
    source: command,
  };
}

const denied = (name: string, entry: LedgerEntry): NegativeCase => ({
  name,
  entry,
  expected: 'ImplicitlyDenied',
});

export function negativeCases(p: PipelineUnderTest): NegativeCase[] {
  const s = p.settings;
  const ours = { [OWNER_TAG]: s.deploymentId };
  const longer = `${s.streamPrefix}-dev`; // another stack's prefix that starts with ours
  const otherHourly = `${longer}-${HOUR.toFormat('yyyyMMddHH')}`;
  const otherFallback = `${longer}-fallback`;
  const lookalike = `${s.streamPrefix}-production`; // ten characters after the dash, like an hour key
  const create = hourlyStreamRequest(s, HOUR);
  const withTags = (tags: Record<string, string>) => ({
    ...create,
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  });
  const baseTags = Object.fromEntries(create.Tags!.map((t) => [t.Key!, t.Value!]));
  const withoutOwner = Object.fromEntries(Object.entries(baseTags).filter(([k]) => k !== OWNER_TAG));
  const marker = (key: string) => ({ Bucket: s.bucketArn.split(':::')[1], Key: key });
  const event = (Source: string, DetailType: string, EventBusName = s.eventBusName) => ({
    Source,
    DetailType,
    Detail: '{}',
    EventBusName,
  });
  const ours_ = event(EVENT_SOURCE, HOUR_COMPLETE_DETAIL_TYPE);
  const delivery = (d: Partial<ReturnType<typeof hourlyDestination>>, pickAction: string) =>
    deliveryRequests({ ...hourlyDestination(s), ...d }, DELIVERY_INSTANT).find(
      (e) => e.action === pickAction,
    )!;
  const otherKey = `arn:aws:kms:${REGION}:${ACCOUNT}:key/another-key`;
  // Sibling-shaped names (streamsPerHour): another prefix's always; ours beyond what N allows.
  const otherSibling = `${otherHourly}-1`;
  const n = s.streamsPerHour;
  const beyond = hourlyStreamRequest(s, HOUR, `${create.DeliveryStreamName}-${n === 1 ? 1 : 10 + n}`);
  const siblingCases =
    n > 10
      ? []
      : [
          denied(
            `router PutRecordBatch to ${beyond.DeliveryStreamName} (streamsPerHour ${n})`,
            request('router', 'PutRecordBatchCommand', { DeliveryStreamName: beyond.DeliveryStreamName }),
          ),
          denied(
            `rotation creates ${beyond.DeliveryStreamName} with our tags (streamsPerHour ${n})`,
            request('rotation', 'CreateDeliveryStreamCommand', beyond),
          ),
          denied(
            `rotation deletes ${beyond.DeliveryStreamName} tagged as ours (streamsPerHour ${n})`,
            request(
              'rotation',
              'DeleteDeliveryStreamCommand',
              { DeliveryStreamName: beyond.DeliveryStreamName },
              ours,
            ),
          ),
        ];
  return [
    ...siblingCases,
    denied(
      `router PutRecordBatch to ${otherSibling}`,
      request('router', 'PutRecordBatchCommand', { DeliveryStreamName: otherSibling }),
    ),
    denied(
      `rotation creates ${otherSibling} with our tags`,
      request('rotation', 'CreateDeliveryStreamCommand', { ...create, DeliveryStreamName: otherSibling }),
    ),
    // Another stack's streams under a longer prefix.
    denied(
      `router PutRecordBatch to ${otherHourly}`,
      request('router', 'PutRecordBatchCommand', { DeliveryStreamName: otherHourly }),
    ),
    denied(
      `router PutRecordBatch to ${otherFallback}`,
      request('router', 'PutRecordBatchCommand', { DeliveryStreamName: otherFallback }),
    ),
    denied(
      `rotation creates ${otherHourly} with our tags`,
      request('rotation', 'CreateDeliveryStreamCommand', { ...create, DeliveryStreamName: otherHourly }),
    ),
    denied(
      `rotation describes ${otherHourly}`,
      request('rotation', 'DescribeDeliveryStreamCommand', { DeliveryStreamName: otherHourly }),
    ),
    denied(
      `rotation deletes ${otherHourly} even tagged as ours`,
      request('rotation', 'DeleteDeliveryStreamCommand', { DeliveryStreamName: otherHourly }, ours),
    ),
    // Non-hourly names that ten `?` would match (IAM has no "digit"): the century `20` excludes them.
    denied(
      `router PutRecordBatch to ${lookalike}`,
      request('router', 'PutRecordBatchCommand', { DeliveryStreamName: lookalike }),
    ),
    denied(
      `rotation creates ${lookalike} with our tags`,
      request('rotation', 'CreateDeliveryStreamCommand', { ...create, DeliveryStreamName: lookalike }),
    ),
    denied(
      `rotation tags ${lookalike}, untagged`,
      request('rotation', 'TagDeliveryStreamCommand', { DeliveryStreamName: lookalike, Tags: create.Tags }),
    ),
    denied(
      `rotation deletes ${lookalike} even tagged as ours`,
      request('rotation', 'DeleteDeliveryStreamCommand', { DeliveryStreamName: lookalike }, ours),
    ),
    // Tagging only while creating or when already ours: another deployment's lookalike (our name,
    // its owner tag) can be neither tagged nor, through a tag, made deletable.
    denied(
      "rotation tags an hourly stream carrying another owner's tag with ours",
      request(
        'rotation',
        'TagDeliveryStreamCommand',
        { DeliveryStreamName: create.DeliveryStreamName, Tags: create.Tags },
        { [OWNER_TAG]: 'someone/else' },
      ),
    ),
    denied(
      'rotation re-tags its own stream with another owner',
      request(
        'rotation',
        'TagDeliveryStreamCommand',
        {
          DeliveryStreamName: create.DeliveryStreamName,
          Tags: withTags({ ...baseTags, [OWNER_TAG]: 'someone/else' }).Tags,
        },
        ours,
      ),
    ),
    // The lifecycle record: its one key, in this bucket.
    denied(
      'rotation reads another object of the lake',
      request('rotation', 'GetObjectCommand', marker(`${s.dataPrefix}/dt=2026-11-22/hr=05/part-0`)),
    ),
    denied(
      'rotation writes another key beside the lifecycle record',
      request('rotation', 'PutObjectCommand', marker('_firehose-rotation/lifecycle/other.json')),
    ),
    denied(
      "rotation reads another bucket's lifecycle record",
      request('rotation', 'GetObjectCommand', {
        Bucket: 'another-bucket',
        Key: '_firehose-rotation/lifecycle/generation.json',
      }),
    ),
    // The fallback and ownership.
    {
      name: 'rotation deletes the fallback, even tagged as ours',
      entry: request(
        'rotation',
        'DeleteDeliveryStreamCommand',
        { DeliveryStreamName: s.fallbackStreamName },
        ours,
      ),
      expected: 'ExplicitlyDenied',
    },
    denied(
      'rotation deletes an hourly stream without our tag',
      request(
        'rotation',
        'DeleteDeliveryStreamCommand',
        { DeliveryStreamName: create.DeliveryStreamName },
        {},
      ),
    ),
    denied(
      "rotation deletes an hourly stream with another owner's tag",
      request(
        'rotation',
        'DeleteDeliveryStreamCommand',
        { DeliveryStreamName: create.DeliveryStreamName },
        { [OWNER_TAG]: 'someone/else' },
      ),
    ),
    denied(
      'rotation creates without the ownership tag',
      request('rotation', 'CreateDeliveryStreamCommand', withTags(withoutOwner)),
    ),
    denied(
      "rotation creates with another owner's tag",
      request(
        'rotation',
        'CreateDeliveryStreamCommand',
        withTags({ ...baseTags, [OWNER_TAG]: 'someone/else' }),
      ),
    ),
    denied(
      'rotation creates with a tag key the code never sets',
      request('rotation', 'CreateDeliveryStreamCommand', withTags({ ...baseTags, extra: 'x' })),
    ),
    denied(
      "rotation tags a stream with another owner's tag",
      request(
        'rotation',
        'CreateDeliveryStreamCommand',
        withTags({ ...baseTags, [OWNER_TAG]: 'someone/else' }),
        {},
        1,
      ),
    ),
    denied('rotation passes the delivery role to Lambda', {
      ...request('rotation', 'CreateDeliveryStreamCommand', create, {}, 2),
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    }),
    denied(
      'rotation passes another role to Firehose',
      request(
        'rotation',
        'CreateDeliveryStreamCommand',
        { ...create, ExtendedS3DestinationConfiguration: { RoleARN: `arn:aws:iam::${ACCOUNT}:role/admin` } },
        {},
        2,
      ),
    ),
    // Objects outside our prefixes or in another bucket.
    denied(
      'rotation writes a marker under the fallback prefix',
      request('rotation', 'PutObjectCommand', marker(`${s.fallbackPrefix}/dt=2026-11-22/hr=05/_SUCCESS`)),
    ),
    denied(
      'rotation writes a data object, not a marker',
      request('rotation', 'PutObjectCommand', marker(`${s.dataPrefix}/dt=2026-11-22/hr=05/part-0`)),
    ),
    denied('delivery writes outside its prefixes', delivery({ prefix: 'other/' }, 's3:PutObject')),
    denied(
      'delivery writes to another bucket',
      delivery({ bucketArn: 'arn:aws:s3:::another-bucket' }, 's3:PutObject'),
    ),
    denied(
      'delivery reads another bucket',
      delivery({ bucketArn: 'arn:aws:s3:::another-bucket' }, 's3:GetObject'),
    ),
    denied(
      'router writes failed batches to another bucket',
      request('router', 'PutObjectCommand', { Bucket: 'another-bucket', Key: 'aws/lambda/x' }),
    ),
    // Another key, or the key outside S3 / for another bucket.
    denied('delivery uses another key', { ...delivery({}, 'kms:GenerateDataKey'), resource: otherKey }),
    denied('delivery uses the key for another bucket', {
      ...delivery({}, 'kms:GenerateDataKey'),
      context: {
        'kms:ViaService': `s3.${REGION}.amazonaws.com`,
        'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::another-bucket',
      },
    }),
    denied('delivery decrypts directly, not through S3', { ...delivery({}, 'kms:Decrypt'), context: {} }),
    denied('router decrypts with another key', {
      principal: 'router',
      source: 'kinesis',
      action: 'kms:Decrypt',
      resource: otherKey,
      context: { 'kms:ViaService': `kinesis.${REGION}.amazonaws.com` },
    }),
    // Events, streams, functions and queues that are not ours.
    denied(
      'rotation publishes another source',
      request('rotation', 'PutEventsCommand', { Entries: [event('aws.s3', HOUR_COMPLETE_DETAIL_TYPE)] }),
    ),
    denied(
      'rotation publishes another detail type',
      request('rotation', 'PutEventsCommand', { Entries: [event(EVENT_SOURCE, 'Object Created')] }),
    ),
    denied(
      'rotation publishes one foreign entry among ours',
      request('rotation', 'PutEventsCommand', { Entries: [ours_, event('aws.s3', 'Object Created')] }),
    ),
    denied(
      'rotation publishes to another bus',
      request('rotation', 'PutEventsCommand', {
        Entries: [event(EVENT_SOURCE, HOUR_COMPLETE_DETAIL_TYPE, 'other-bus')],
      }),
    ),
    denied(
      'router reads another Kinesis stream',
      request('router', 'GetShardIteratorCommand', { StreamName: 'another-stream' }),
    ),
    denied(
      'delivery logs to another log group',
      delivery({ logGroup: 'another-group' }, 'logs:PutLogEvents'),
    ),
    denied('scheduler invokes the router', {
      principal: 'scheduler',
      source: 'scheduler',
      action: 'lambda:InvokeFunction',
      resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:pipe-router-fn-function-0a1b2c3`,
      context: {},
    }),
    denied('scheduler sends to another queue', {
      principal: 'scheduler',
      source: 'scheduler',
      action: 'sqs:SendMessage',
      resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:another-queue`,
      context: {},
    }),
  ];
}

// What IAM authorizes for each SDK command the runtime code sends: the action, the resource ARN(s)
// and the request-side condition keys, as AWS's service authorization reference defines them. One
// table row per command; a command without a row fails loudly ("no IAM mapping for command X"), so
// a helper that adds an SDK call (Service Quotas GetServiceQuota, Lambda GetEventSourceMapping,
// S3 GetObject, …) shows at merge time which row and which permission it still needs.
import type { Tag } from '@aws-sdk/client-firehose';

/** Where a request is sent: ARNs are built from it. */
export interface RequestScope {
  partition: string;
  region: string;
  account: string;
}

export type ConditionValues = Record<string, string | string[]>;

/** One authorization IAM makes for a request (a command may need several, e.g. PassRole). */
export interface Authorization {
  action: string;
  resource: string;
  context: ConditionValues;
}

/**
 * Facts the request alone does not carry but IAM evaluates: the tags a stream already has
 * (aws:ResourceTag/*), and which Kinesis stream a shard iterator reads.
 */
export interface ObservedState {
  streamTags(streamArn: string): Record<string, string> | undefined;
  iteratorStream(iterator: string): string | undefined;
}

type Input = Record<string, any>;
type Mapping = (input: Input, scope: RequestScope, state: ObservedState) => Authorization[];

export const firehoseStreamArn = (s: RequestScope, name: string) =>
  `arn:${s.partition}:firehose:${s.region}:${s.account}:deliverystream/${name}`;
const kinesisStreamArn = (s: RequestScope, input: Input) =>
  input.StreamARN ?? `arn:${s.partition}:kinesis:${s.region}:${s.account}:stream/${input.StreamName}`;
const bucketArn = (s: RequestScope, bucket: string) => `arn:${s.partition}:s3:::${bucket}`;
const eventBusArn = (s: RequestScope, bus: string | undefined) =>
  bus?.startsWith('arn:')
    ? bus
    : `arn:${s.partition}:events:${s.region}:${s.account}:event-bus/${bus ?? 'default'}`;

/** aws:RequestTag/<key> for each tag and aws:TagKeys for the set. */
function requestTags(tags: Tag[] | undefined): ConditionValues {
  if (!tags?.length) return {};
  const context: ConditionValues = { 'aws:TagKeys': tags.map((t) => t.Key!) };
  for (const t of tags) context[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  return context;
}

function resourceTags(tags: Record<string, string> | undefined): ConditionValues {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

/** A stream action whose only condition keys are the stream's existing tags. */
const onStream =
  (action: string): Mapping =>
  (input, scope, state) => {
    const resource = firehoseStreamArn(scope, input.DeliveryStreamName);
    return [{ action, resource, context: resourceTags(state.streamTags(resource)) }];
  };

const onKinesisStream =
  (action: string): Mapping =>
  (input, scope) => [{ action, resource: kinesisStreamArn(scope, input), context: {} }];

export const IAM_ACTIONS: Record<string, Mapping> = {
  // Firehose control plane (rotation, CLI)
  ListDeliveryStreamsCommand: () => [{ action: 'firehose:ListDeliveryStreams', resource: '*', context: {} }],
  DescribeDeliveryStreamCommand: onStream('firehose:DescribeDeliveryStream'),
  ListTagsForDeliveryStreamCommand: onStream('firehose:ListTagsForDeliveryStream'),
  DeleteDeliveryStreamCommand: onStream('firehose:DeleteDeliveryStream'),
  CreateDeliveryStreamCommand: (input, scope) => {
    const resource = firehoseStreamArn(scope, input.DeliveryStreamName);
    const tags = requestTags(input.Tags);
    const roles = [
      input.ExtendedS3DestinationConfiguration?.RoleARN,
      input.S3DestinationConfiguration?.RoleARN,
    ];
    return [
      { action: 'firehose:CreateDeliveryStream', resource, context: tags },
      // Firehose authorizes TagDeliveryStream too when the create carries tags.
      ...(input.Tags?.length ? [{ action: 'firehose:TagDeliveryStream', resource, context: tags }] : []),
      // The caller passes the delivery role to Firehose.
      ...roles
        .filter((r): r is string => typeof r === 'string')
        .map((role) => ({
          action: 'iam:PassRole',
          resource: role,
          context: { 'iam:PassedToService': 'firehose.amazonaws.com' },
        })),
    ];
  },
  TagDeliveryStreamCommand: (input, scope, state) => {
    const resource = firehoseStreamArn(scope, input.DeliveryStreamName);
    const context = { ...resourceTags(state.streamTags(resource)), ...requestTags(input.Tags) };
    return [{ action: 'firehose:TagDeliveryStream', resource, context }];
  },
  // Firehose data plane (router)
  PutRecordBatchCommand: onStream('firehose:PutRecordBatch'),
  // Hour-complete signal (rotation, CLI)
  PutObjectCommand: (input, scope) => [
    { action: 's3:PutObject', resource: `${bucketArn(scope, input.Bucket)}/${input.Key}`, context: {} },
  ],
  // One authorization per bus; events:source and events:detail-type hold every entry's value.
  PutEventsCommand: (input, scope) => {
    const byBus = new Map<string, Input[]>();
    for (const e of input.Entries as Input[]) {
      const bus = eventBusArn(scope, e.EventBusName);
      byBus.set(bus, [...(byBus.get(bus) ?? []), e]);
    }
    return [...byBus].map(([resource, entries]) => ({
      action: 'events:PutEvents',
      resource,
      context: {
        'events:source': [...new Set(entries.map((e) => e.Source as string))],
        'events:detail-type': [...new Set(entries.map((e) => e.DetailType as string))],
      },
    }));
  },
  // The lifecycle record (rotation: a deploy writes it, a destroy reads it)
  GetObjectCommand: (input, scope) => [
    { action: 's3:GetObject', resource: `${bucketArn(scope, input.Bucket)}/${input.Key}`, context: {} },
  ],
  // The stream quota (rotation, CLI; only with serviceQuotaCode)
  GetServiceQuotaCommand: (input, scope) => [
    {
      action: 'servicequotas:GetServiceQuota',
      resource: `arn:${scope.partition}:servicequotas:${scope.region}:${scope.account}:${input.ServiceCode}/${input.QuotaCode}`,
      context: {},
    },
  ],
  // Kinesis reads (the event source mapping, as the local demo's reader does them)
  ListShardsCommand: onKinesisStream('kinesis:ListShards'),
  DescribeStreamSummaryCommand: onKinesisStream('kinesis:DescribeStreamSummary'),
  GetShardIteratorCommand: onKinesisStream('kinesis:GetShardIterator'),
  GetRecordsCommand: (input, _scope, state) => {
    const resource = input.StreamARN ?? state.iteratorStream(input.ShardIterator);
    if (!resource) throw new Error('GetRecords with a shard iterator the ledger did not see issued');
    return [{ action: 'kinesis:GetRecords', resource, context: {} }];
  },
};

export function authorizationsFor(
  commandName: string,
  input: Input,
  scope: RequestScope,
  state: ObservedState,
): Authorization[] {
  const mapping = IAM_ACTIONS[commandName];
  if (!mapping) {
    throw new Error(
      `no IAM mapping for command ${commandName}: add a row to IAM_ACTIONS in test/support/iam-actions.ts ` +
        'and the permission to the role that sends it',
    );
  }
  return mapping(input, scope, state);
}

// The rotation role's permissions, kept apart from the component because they are the part a
// security review reads. The rotation may only act on streams named `<prefix>-*`; it may create
// (and tag) them only with our ownership tag and an allow-list of tag keys, delete them only when
// they carry our ownership tag, and pass only the delivery role, only to Firehose. Listing the
// account's streams is the one action on "*": ListDeliveryStreams has no resource type.
import * as pulumi from '@pulumi/pulumi';
import { arn, AwsEnvironment, Statement, viaService } from './policy';

/** Source and detail type of the hour-complete events (rotation/aws/hour-complete.ts). */
export const HOUR_COMPLETE_SOURCE = 'firehose-rotation';
export const HOUR_COMPLETE_DETAIL_TYPE = 'Hour Partition Complete';

export interface RotationPolicyArgs {
  env: AwsEnvironment;
  streamPrefix: string;
  ownerTagKey: string;
  deploymentId: string;
  /** Every tag key a created stream may carry (ownership keys plus the user's extra tags). */
  tagKeys: string[];
  deliveryRoleArn: pulumi.Input<string>;
  fallbackStreamArn: pulumi.Input<string>;
  deadLetterQueueArn: pulumi.Input<string>;
  /** The data lake: a drained hour gets a `_SUCCESS` marker under its partition before its stream goes. */
  bucketArn: pulumi.Input<string>;
  dataPrefix: string;
  kmsKeyArn: pulumi.Input<string>;
  /** The bus the hour-complete events go to (settings.eventBusName, resolved to an ARN). */
  eventBusArn: pulumi.Input<string>;
}

export const ROTATION_FIREHOSE_ACTIONS = [
  'firehose:CreateDeliveryStream',
  'firehose:DeleteDeliveryStream',
  'firehose:DescribeDeliveryStream',
  'firehose:ListDeliveryStreams',
  'firehose:ListTagsForDeliveryStream',
  'firehose:TagDeliveryStream',
] as const;

/** The bus named by the settings the function runs with (a name or an ARN; "default" when unset). */
export function eventBusArn(env: AwsEnvironment, settings: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(settings).apply((json) => {
    const bus = (JSON.parse(json) as { eventBusName?: string }).eventBusName ?? 'default';
    return bus.startsWith('arn:') ? pulumi.output(bus) : arn(env, 'events', `event-bus/${bus}`);
  });
}

export function rotationStatements(a: RotationPolicyArgs): Statement[] {
  const hourly = arn(a.env, 'firehose', `deliverystream/${a.streamPrefix}-*`);
  // Firehose authorizes TagDeliveryStream as well when CreateDeliveryStream carries tags, so both
  // actions get the same request-tag conditions.
  const requestTags = {
    StringEquals: { [`aws:RequestTag/${a.ownerTagKey}`]: a.deploymentId },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [...new Set(a.tagKeys)].sort() },
  };
  return [
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
      Sid: 'CreateWithOwnershipTags',
      Effect: 'Allow',
      Action: ['firehose:CreateDeliveryStream', 'firehose:TagDeliveryStream'],
      Resource: [hourly],
      Condition: requestTags,
    },
    {
      Sid: 'DeleteOnlyOwned',
      Effect: 'Allow',
      Action: ['firehose:DeleteDeliveryStream'],
      Resource: [hourly],
      Condition: { StringEquals: { [`aws:ResourceTag/${a.ownerTagKey}`]: a.deploymentId } },
    },
    {
      // The fallback may match `<prefix>-*`; it carries no ownership tag, and this makes it explicit.
      Sid: 'NeverDeleteFallback',
      Effect: 'Deny',
      Action: ['firehose:DeleteDeliveryStream'],
      Resource: [a.fallbackStreamArn],
    },
    {
      Sid: 'PassDeliveryRoleToFirehose',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [a.deliveryRoleArn],
      Condition: { StringEquals: { 'iam:PassedToService': 'firehose.amazonaws.com' } },
    },
    {
      // Only the marker object, only under the event-time partitions (`<data>/dt=…/hr=…/_SUCCESS`).
      Sid: 'WriteHourCompleteMarkers',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: [pulumi.interpolate`${a.bucketArn}/${a.dataPrefix}/dt=*/hr=*/_SUCCESS`],
    },
    {
      Sid: 'EncryptMarkersThroughS3',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey'],
      Resource: [a.kmsKeyArn],
      Condition: {
        StringEquals: { 'kms:ViaService': viaService(a.env, 's3') },
        StringLike: {
          'kms:EncryptionContext:aws:s3:arn': [
            a.bucketArn,
            pulumi.interpolate`${a.bucketArn}/${a.dataPrefix}/*`,
          ],
        },
      },
    },
    {
      // Fine-grained PutEvents: this role can publish only our event type, so it cannot spoof others.
      Sid: 'PublishHourComplete',
      Effect: 'Allow',
      Action: ['events:PutEvents'],
      Resource: [a.eventBusArn],
      Condition: {
        StringEquals: {
          'events:source': HOUR_COMPLETE_SOURCE,
          'events:detail-type': HOUR_COMPLETE_DETAIL_TYPE,
        },
      },
    },
    {
      // Lambda delivers failed asynchronous runs to the on-failure destination with this role.
      Sid: 'FailedRunsToDeadLetterQueue',
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: [a.deadLetterQueueArn],
    },
  ];
}

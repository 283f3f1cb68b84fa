// The rotation role's permissions, kept apart from the component because they are the part a
// security review reads. Everything is derived from the runtime settings the function gets and
// from the handler's own request builders, so the role allows exactly the calls the code makes:
// create `<prefix>-<hour key>` (and `…-<i>` siblings when streamsPerHour > 1) only with our
// ownership tag and the tag keys the code sets, tag only a stream being created or already ours,
// delete only what carries our tag (never the fallback), pass only the settings' delivery role,
// only to Firehose, read and write only its own lifecycle record. Listing the account's streams is
// the one "*": ListDeliveryStreams has no resource type.
import * as pulumi from '@pulumi/pulumi';
import { DateTime } from 'luxon';
import { EVENT_SOURCE, HOUR_COMPLETE_DETAIL_TYPE, SUCCESS_MARKER } from '../rotation/core/hour-complete';
import { hourPrefix, MAX_STREAMS_PER_HOUR } from '../rotation/core/names';
import { LIFECYCLE_RECORD_KEY } from '../rotation/core/lifecycle-event';
import { FIREHOSE_SERVICE_CODE } from '../rotation/core/capacity';
import { hourlyStreamTags, OWNER_TAG, RotationSettings } from '../rotation/core/settings';
import { knownOwners, knownPrefixes, maxStreamsPerHour } from '../rotation/core/generations';
import { failedRunsStatement } from './failed-runs';
import { arn, AwsEnvironment, hourlyStreamArns, Statement, viaService } from './policy';

/** The tag keys CreateDeliveryStream carries, from the same function the rotation builds requests with. */
function rotationTagKeys(s: RotationSettings): string[] {
  const anyHour = DateTime.fromMillis(0, { zone: 'utc' });
  return [...new Set(hourlyStreamTags(s, anyHour).map((t) => t.Key))].sort();
}

/** `<dataPrefix>/dt=*\/hr=*\/_SUCCESS`: the partition layout of names.hourPrefix, any hour. */
function markerPattern(s: RotationSettings): string {
  const anyHour = DateTime.fromMillis(0, { zone: 'utc' });
  return `${hourPrefix(s.dataPrefix, anyHour).replace(/=[^/]+/g, '=*')}${SUCCESS_MARKER}`;
}

/** The bus the hour-complete events go to: settings.eventBusName, a name or an ARN. */
export function eventBusArn(env: AwsEnvironment, s: RotationSettings): pulumi.Input<string> {
  const bus = s.eventBusName ?? 'default';
  return bus.startsWith('arn:') ? bus : arn(env, 'events', `event-bus/${bus}`);
}

export function rotationStatements(
  env: AwsEnvironment,
  s: RotationSettings,
  deadLetterQueueArn: string,
): Statement[] {
  // Former prefixes and owners too: streams made under a former configuration are found
  // and deleted by this role until they are gone (rotation/core/generations.ts).
  const hourly = hourlyStreamArns(env, knownPrefixes(s), maxStreamsPerHour(s));
  const owners = knownOwners(s);
  const ownerCondition = { [`aws:ResourceTag/${OWNER_TAG}`]: owners.length === 1 ? owners[0] : owners };
  const fallback = arn(env, 'firehose', `deliverystream/${s.fallbackStreamName}`);
  // Hourly-shaped names of any prefix (sibling indexes up to 15) and fallbacks by their suffix:
  // what the census samples (rotation/core/region-census.ts). Only their tags are read: a stream
  // of ours under a prefix the settings no longer name is deleted only where this role covers
  // its prefix, and reported by name where it does not (test/iam keeps those deletes denied).
  const anyHourly = hourlyStreamArns(env, ['*'], MAX_STREAMS_PER_HOUR);
  const anyFallback = arn(env, 'firehose', 'deliverystream/*-fallback');
  // Firehose also authorizes TagDeliveryStream when CreateDeliveryStream carries tags, so both
  // actions get the same request-tag conditions.
  const requestTags = {
    StringEquals: { [`aws:RequestTag/${OWNER_TAG}`]: s.deploymentId },
    'ForAllValues:StringEquals': { 'aws:TagKeys': rotationTagKeys(s) },
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
      Resource: hourly,
    },
    {
      // `firehose-rotation status` reports the fallback's state: with this read the role's policy
      // covers every CLI command, so an operator can be given exactly these permissions.
      Sid: 'DescribeFallback',
      Effect: 'Allow',
      Action: ['firehose:DescribeDeliveryStream'],
      Resource: [fallback],
    },
    {
      Sid: 'CreateWithOwnershipTags',
      Effect: 'Allow',
      Action: ['firehose:CreateDeliveryStream'],
      Resource: hourly,
      Condition: requestTags,
    },
    {
      // Firehose authorizes TagDeliveryStream too when CreateDeliveryStream carries tags; the
      // stream has no tags yet then. A stream carrying another owner's tag can never be tagged (a
      // lookalike of another deployment); one with no owner tag at all looks to IAM like a create
      // (IAM cannot tell the two apart): the code never calls TagDeliveryStream on such a stream.
      Sid: 'TagOnlyWhileCreating',
      Effect: 'Allow',
      Action: ['firehose:TagDeliveryStream'],
      Resource: hourly,
      Condition: { ...requestTags, Null: { [`aws:ResourceTag/${OWNER_TAG}`]: 'true' } },
    },
    {
      Sid: 'DeleteOnlyOwned',
      Effect: 'Allow',
      Action: ['firehose:DeleteDeliveryStream'],
      Resource: hourly,
      Condition: { StringEquals: ownerCondition },
    },
    {
      // Sharing: one stream's tags per other hourly prefix and every other `*-fallback` show which
      // deployments share the quota (docs/sharing.md). Tags only; nothing else of theirs.
      Sid: 'SeeOtherDeployments',
      Effect: 'Allow',
      Action: ['firehose:ListTagsForDeliveryStream'],
      Resource: [...anyHourly, anyFallback],
    },
    {
      // A fallback named `<prefix>-` plus ten characters matches the hourly pattern; it carries no
      // ownership tag, and this makes the rule explicit whatever its name.
      Sid: 'NeverDeleteFallback',
      Effect: 'Deny',
      Action: ['firehose:DeleteDeliveryStream'],
      Resource: [fallback],
    },
    {
      Sid: 'PassDeliveryRoleToFirehose',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [s.deliveryRoleArn],
      Condition: { StringEquals: { 'iam:PassedToService': 'firehose.amazonaws.com' } },
    },
    {
      // Before a drained hour's stream is deleted its partition gets a `_SUCCESS` marker: only that key.
      Sid: 'WriteHourCompleteMarkers',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: [`${s.bucketArn}/${markerPattern(s)}`],
    },
    ...(s.kmsKeyArn
      ? [
          {
            Sid: 'EncryptMarkersThroughS3',
            Effect: 'Allow' as const,
            Action: ['kms:GenerateDataKey'],
            Resource: [s.kmsKeyArn],
            Condition: {
              StringEquals: { 'kms:ViaService': viaService(env, 's3') },
              StringLike: {
                'kms:EncryptionContext:aws:s3:arn': [
                  s.bucketArn,
                  `${s.bucketArn}/${s.dataPrefix}/*`,
                  `${s.bucketArn}/${LIFECYCLE_RECORD_KEY}`,
                ],
              },
            },
          },
          {
            // Reading the lifecycle record back (a destroy) decrypts it.
            Sid: 'DecryptLifecycleRecordThroughS3',
            Effect: 'Allow' as const,
            Action: ['kms:Decrypt'],
            Resource: [s.kmsKeyArn],
            Condition: {
              StringEquals: { 'kms:ViaService': viaService(env, 's3') },
              StringLike: {
                'kms:EncryptionContext:aws:s3:arn': [s.bucketArn, `${s.bucketArn}/${LIFECYCLE_RECORD_KEY}`],
              },
            },
          },
        ]
      : []),
    {
      // Fine-grained PutEvents: the role can publish only our event type, so it cannot spoof others.
      Sid: 'PublishHourComplete',
      Effect: 'Allow',
      Action: ['events:PutEvents'],
      Resource: [eventBusArn(env, s)],
      // events:source and events:detail-type are arrays (one value per entry of the call): a plain
      // StringEquals never matches them. ForAllValues requires every entry to be ours, as in AWS's
      // EventBridge example policies.
      Condition: {
        'ForAllValues:StringEquals': {
          'events:source': [EVENT_SOURCE],
          'events:detail-type': [HOUR_COMPLETE_DETAIL_TYPE],
        },
      },
    },
    ...(s.serviceQuotaCode
      ? [
          {
            // Each run reads Firehose's stream quota: this one quota's ARN only (the `quota`
            // resource type; without it the run logs and plans with the setting).
            Sid: 'ReadStreamQuota',
            Effect: 'Allow' as const,
            Action: ['servicequotas:GetServiceQuota'],
            Resource: [arn(env, 'servicequotas', `${FIREHOSE_SERVICE_CODE}/${s.serviceQuotaCode}`)],
          },
        ]
      : []),
    {
      // The lifecycle record (rotation/core/lifecycle-event.ts): a deploy writes it, a destroy
      // reads it. One fixed key, the same under every settings version.
      Sid: 'LifecycleRecord',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: [`${s.bucketArn}/${LIFECYCLE_RECORD_KEY}`],
    },
    failedRunsStatement(deadLetterQueueArn),
  ];
}

// The CreateDeliveryStream request of an hourly stream: DirectPut into S3 under the hour's
// partition prefix, with the settings' buffering, compression, encryption and logging, and the
// ownership tags that let rotation prove a stream is its own.
import type { CreateDeliveryStreamCommandInput } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { streamNameFor } from '../core/generations';
import { hourKey, hourPrefix } from '../core/names';
import { HOURLY_DELIVERY_LOG_STREAM, hourlyStreamTags, RotationSettings } from '../core/settings';

/**
 * `name`: one of the hour's streams (the planner's create); by default its first. Every stream of an
 * hour has the same destination and tags: only the name tells siblings apart, and Firehose puts
 * the stream name into each S3 object's name, so siblings never overwrite each other's objects.
 */
export function hourlyStreamRequest(
  s: RotationSettings,
  hour: DateTime,
  // A former prefix for the hours its configuration had already created (core/generations).
  name = streamNameFor(hour, s),
): CreateDeliveryStreamCommandInput {
  return {
    DeliveryStreamName: name,
    DeliveryStreamType: 'DirectPut',
    // Encrypts data at rest inside Firehose; the S3 objects are encrypted by the bucket's key.
    DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
    ExtendedS3DestinationConfiguration: {
      RoleARN: s.deliveryRoleArn,
      BucketARN: s.bucketArn,
      // A static prefix: Firehose appends the arrival time's yyyy/MM/dd/HH/ below the event-time
      // partition, so no `!{}` expression is needed and the error prefix may be static too.
      Prefix: hourPrefix(s.dataPrefix, hour),
      ErrorOutputPrefix: `${s.errorOutputPrefix}/${hourKey(hour)}/`,
      BufferingHints: { SizeInMBs: s.bufferingSizeMiB, IntervalInSeconds: s.bufferingIntervalSeconds },
      CompressionFormat: s.compression,
      EncryptionConfiguration: s.kmsKeyArn
        ? { KMSEncryptionConfig: { AWSKMSKeyARN: s.kmsKeyArn } }
        : { NoEncryptionConfig: 'NoEncryption' },
      CloudWatchLoggingOptions: s.logGroupName
        ? { Enabled: true, LogGroupName: s.logGroupName, LogStreamName: HOURLY_DELIVERY_LOG_STREAM }
        : { Enabled: false },
    },
    Tags: hourlyStreamTags(s, hour),
  };
}

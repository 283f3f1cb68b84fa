// Provisioning for router tests on moto: the bucket and the fallback stream (Pulumi's job in a
// deployment), then the hourly streams through the real rotation executor.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { rotate } from '../../rotation/aws/executor';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { RotationSettings } from '../../rotation/core/settings';
import { settings } from './fixtures';
import { clientConfig } from './moto';
import { recordRequests, RUN_LEDGER } from './request-ledger';

/** moto ignores compression; UNCOMPRESSED says so, and keeps S3 readable as written. */
export const MOTO_SETTINGS = settings({ compression: 'UNCOMPRESSED' });
export const BUCKET = 'demo-lake';

export async function provision(
  endpoint: string,
  s: RotationSettings,
  now: DateTime,
): Promise<FirehoseClient> {
  const control = controlPlaneClient({ ...clientConfig(endpoint), callsPerSecond: 1000 });
  await new S3Client(clientConfig(endpoint)).send(new CreateBucketCommand({ Bucket: BUCKET }));
  await control.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: s.fallbackStreamName,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        RoleARN: 'arn:aws:iam::123456789012:role/demo-delivery',
        BucketARN: s.bucketArn,
        Prefix: `${s.fallbackPrefix}/`,
      },
    }),
  );
  // From here on the client does what the rotation function does.
  recordRequests(control, RUN_LEDGER, 'rotation', 'integration ');
  const report = await rotate({ client: control, now: () => now }, s);
  expect(report.plan.shortfall).to.deep.equal([]);
  return control;
}

// What S3 would send the placer for each object the fallback stream wrote: one ObjectCreated event
// notification per object, in the shape Lambda receives (aws-lambda S3Event). Locally nothing sends
// them (moto's notifications cannot run a function), so `npm start`, the tests and verify build them
// here from a listing and hand them to the placer's own entry point, as esm.ts does for Kinesis.
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { TEST_REGION } from './moto';

export interface ListedObject {
  key: string;
  size: number;
  eTag: string;
  versionId?: string;
}

/** The notification S3 sends for one new object (keys URL-encoded with "+" for spaces, as S3 does). */
export function objectCreatedEvent(bucket: string, o: ListedObject, sequencer = '0'): S3Event {
  const record: S3EventRecord = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: TEST_REGION,
    eventTime: '1970-01-01T00:00:00.000Z',
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:firehose' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': sequencer, 'x-amz-id-2': sequencer },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'placer',
      bucket: { name: bucket, ownerIdentity: { principalId: 'owner' }, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: encodeURIComponent(o.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
        size: o.size,
        eTag: o.eTag,
        ...(o.versionId ? { versionId: o.versionId } : {}),
        sequencer,
      },
    },
  };
  return { Records: [record] };
}

/** Every current object under `prefix/`, with the version and ETag a notification would carry. */
export async function listFallbackObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: `${prefix}/`,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    for (const v of page.Versions ?? []) {
      if (!v.IsLatest) continue;
      // "null" is an unversioned bucket's version: S3 sends no versionId then.
      const versionId = v.VersionId && v.VersionId !== 'null' ? v.VersionId : undefined;
      objects.push({ key: v.Key!, size: v.Size ?? 0, eTag: (v.ETag ?? '').replace(/"/g, ''), versionId });
    }
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  } while (keyMarker || versionMarker);
  return objects;
}

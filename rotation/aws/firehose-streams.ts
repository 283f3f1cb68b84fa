// The Firehose stream readers every control-plane caller shares: all stream names in the account
// and Region (the quota counts them all), one stream's tags (ownership), its status and its S3
// destination as Firehose reports them, for the rotation, the teardown and the status command.
// Each reads absence (never made, or deleted since the list) as undefined; the caller decides what
// that means: the status command shows MISSING, the rotation treats a stream that vanished between
// List and Describe as DELETING, the teardown skips it.
import {
  DescribeDeliveryStreamCommand,
  ExtendedS3DestinationConfiguration,
  FirehoseClient,
  ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand,
} from '@aws-sdk/client-firehose';
import type { StreamStatus } from '../core/planner';
import { errorName } from './error-name';

/** The read's answer, or undefined when the stream does not exist (never made, or deleted since). */
async function unlessGone<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

export async function listStreamNames(client: FirehoseClient): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListDeliveryStreamsCommand({ Limit: 10000, ExclusiveStartDeliveryStreamName: start }),
    );
    names.push(...(page.DeliveryStreamNames ?? []));
    if (!page.HasMoreDeliveryStreams || !page.DeliveryStreamNames?.length) return names;
    start = names[names.length - 1];
  }
}

export async function readTags(
  client: FirehoseClient,
  name: string,
): Promise<Record<string, string> | undefined> {
  return unlessGone(async () => {
    const tags: Record<string, string> = {};
    let start: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListTagsForDeliveryStreamCommand({
          DeliveryStreamName: name,
          ExclusiveStartTagKey: start,
          Limit: 50,
        }),
      );
      for (const t of page.Tags ?? []) tags[t.Key!] = t.Value ?? '';
      if (!page.HasMoreTags || !page.Tags?.length) return tags;
      start = page.Tags[page.Tags.length - 1].Key;
    }
  });
}

/** The one status reader of the rotation, the teardown and the status command. */
export async function describeStatus(
  client: FirehoseClient,
  name: string,
): Promise<StreamStatus | undefined> {
  return unlessGone(async () => {
    const out = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name, Limit: 1 }));
    return out.DeliveryStreamDescription?.DeliveryStreamStatus ?? 'UNKNOWN';
  });
}

/**
 * The S3 destination of stream `name` as Firehose reports it (the fields hourlyStreamRequest sets),
 * or undefined when it is gone or DELETING (a stream on its way out shapes nothing).
 */
export async function describeDestination(
  client: FirehoseClient,
  name: string,
): Promise<ExtendedS3DestinationConfiguration | undefined> {
  const out = await unlessGone(() =>
    client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })),
  );
  const d = out?.DeliveryStreamDescription;
  const x = d?.Destinations?.[0]?.ExtendedS3DestinationDescription;
  if (!d || !x || d.DeliveryStreamStatus === 'DELETING') return undefined;
  return {
    RoleARN: x.RoleARN,
    BucketARN: x.BucketARN,
    Prefix: x.Prefix,
    ErrorOutputPrefix: x.ErrorOutputPrefix,
    BufferingHints: x.BufferingHints,
    CompressionFormat: x.CompressionFormat,
    EncryptionConfiguration: x.EncryptionConfiguration,
    CloudWatchLoggingOptions: x.CloudWatchLoggingOptions,
  };
}

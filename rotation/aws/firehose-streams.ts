// The two listings every control-plane reader needs: all stream names in the account and Region
// (the quota counts them all), and one stream's tags (ownership). Shared by the executor, the
// give-back and the teardown.
import {
  FirehoseClient,
  ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand,
} from '@aws-sdk/client-firehose';
import { errorName } from './error-name';

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
  const tags: Record<string, string> = {};
  let start: string | undefined;
  try {
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
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined; // deleted meanwhile
    throw err;
  }
}

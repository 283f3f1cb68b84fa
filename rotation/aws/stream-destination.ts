// I2 One hour, one destination: where an hour's data goes is read from the hour's own streams,
// never from the current settings. A sibling made after a settings change (N raised, a sibling
// missing after a shortfall) takes the destination of the hour's first existing stream, and the
// hour-complete marker goes under the prefix its stream delivered to.
import {
  CreateDeliveryStreamCommandInput,
  ExtendedS3DestinationConfiguration,
  FirehoseClient,
} from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { CONFIG_TAG, streamNamesFor } from '../core/generations';
import { RotationSettings } from '../core/settings';
import { hourlyStreamRequest } from './stream-config';
import { describeDestination, readTags } from './firehose-streams';

export interface StreamDestination {
  /** The stream it was read from. */
  stream: string;
  destination: ExtendedS3DestinationConfiguration;
  /** Its `firehose-rotation:config` tag: a sibling carries the same, so both are judged alike. */
  config?: string;
}

/**
 * The destination of hour H's first existing stream other than `except`, index order, among
 * `names` (a listing of the account); undefined when the hour has no other stream yet.
 */
export async function hourDestination(
  client: FirehoseClient,
  names: readonly string[],
  hour: DateTime,
  s: RotationSettings,
  except: string,
): Promise<StreamDestination | undefined> {
  const present = new Set(names);
  for (const stream of streamNamesFor(hour, s)) {
    if (stream === except || !present.has(stream)) continue;
    const destination = await describeDestination(client, stream);
    if (!destination) continue;
    const config = (await readTags(client, stream))?.[CONFIG_TAG];
    return { stream, destination, config };
  }
  return undefined;
}

/**
 * The create request of stream `name` of hour H: the current settings for an hour's first stream,
 * the hour's existing destination (and its config tag) for any later one.
 */
export function requestFor(
  s: RotationSettings,
  hour: DateTime,
  name: string,
  existing?: StreamDestination,
): CreateDeliveryStreamCommandInput {
  const request = hourlyStreamRequest(s, hour, name);
  if (!existing) return request;
  const tags = (request.Tags ?? []).map((t) =>
    t.Key === CONFIG_TAG && existing.config !== undefined ? { ...t, Value: existing.config } : t,
  );
  return { ...request, ExtendedS3DestinationConfiguration: existing.destination, Tags: tags };
}

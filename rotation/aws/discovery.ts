// Looks around the Region once per run, after `discover` has read what the planner needs about
// this deployment's own names: who else is here (region-census.ts decides from a few tags), which
// streams carry our owner tag under a prefix the settings do not name, and the tags of the
// far-ahead streams this deployment may have to give back (a delete needs its owner proven).
// Every call goes through the caller's paced client (≤ 5 control-plane calls/s, shared).
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import type { ExistingStream } from '../core/planner';
import { emptyAndRemakeable } from '../core/stream-deletion';
import { orphanReads, RegionCensus, sampleReads, takeCensus, Tags } from '../core/region-census';
import { RotationSettings } from '../core/settings';
import { ownFarAhead, shareFor } from '../core/sharing-plan';
import { readTags } from './firehose-streams';
import { errorName } from './error-name';

/**
 * The census of the Region; also fills in `existing` the tags of this deployment's far-ahead
 * streams over its share (farthest first), so the planner can give them back.
 */
export async function lookAround(
  client: FirehoseClient,
  now: DateTime,
  s: RotationSettings,
  existing: ExistingStream[],
  quota: number,
  /** false for read-only views (status): the give-back candidates' tags are not needed there. */
  proveGiveBacks = true,
): Promise<RegionCensus> {
  const names = existing.map((e) => e.name);
  const tags = new Map<string, Tags | undefined>();
  // A role without ListTags on another prefix (an older policy) sees those streams as foreign.
  const read = async (name: string) => {
    try {
      tags.set(name, await readTags(client, name));
    } catch (err) {
      if (errorName(err) !== 'AccessDeniedException') throw err;
      tags.set(name, undefined);
    }
  };
  for (const name of sampleReads(names, s)) await read(name);
  for (const name of orphanReads(names, tags, s)) await read(name);
  const census = takeCensus(now, names, tags, s);
  for (const orphan of census.orphans) {
    // Far-ahead orphans are empty (I1) and go as they are (sharing-plan.ts orphanDeletes asks the
    // same); an open or draining one waits for its own buffer, read from the stream.
    if (emptyAndRemakeable(orphan.hour, now, s)) continue;
    const own = await describeOrphan(client, orphan.name);
    Object.assign(orphan, own);
  }
  if (!proveGiveBacks) return census;
  const { share } = shareFor(now, existing, census, s, quota);
  const far = ownFarAhead(now, existing, s);
  const over = far.slice(0, Math.max(0, far.length - share));
  const byName = new Map(existing.map((e) => [e.name, e]));
  for (const name of over) {
    const stream = byName.get(name)!;
    if (stream.tags === undefined) stream.tags = await readTags(client, name);
  }
  return census;
}

async function describeOrphan(
  client: FirehoseClient,
  name: string,
): Promise<{ status: ExistingStream['status']; bufferingIntervalSeconds?: number }> {
  try {
    const out = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name, Limit: 1 }));
    const d = out.DeliveryStreamDescription;
    const s3 = d?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    return {
      status: d?.DeliveryStreamStatus ?? 'UNKNOWN',
      bufferingIntervalSeconds: s3?.BufferingHints?.IntervalInSeconds,
    };
  } catch (err) {
    // Gone since the list: as good as DELETING. Refused (a role without Describe on that prefix):
    // unknown, so it drains by Firehose's longest buffering interval.
    if (errorName(err) === 'ResourceNotFoundException') return { status: 'DELETING' };
    if (errorName(err) === 'AccessDeniedException') return { status: 'UNKNOWN' };
    throw err;
  }
}

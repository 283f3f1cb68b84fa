// Overlapping rotation runs (a scheduled run meeting the deploy-time one or a CLI run, or another
// deployment sharing the account's quota) plan against the same count, so together they can create
// more streams than the quota allows. Firehose has no conditional create to make "count, then
// create" atomic, so each run re-counts after its creates and gives back what it made beyond the
// quota, farthest hour first. Both runs of a race may give back: the count then ends below the
// quota and the next run refills it, the safe side.
import { DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { hourFromKey } from '../core/names';
import type { PlannedStream } from '../core/planner';
import { hourOf } from '../core/time-window';

/** A just-created stream is CREATING for up to about a minute, and Firehose refuses its delete. */
export const GIVE_BACK_POLL_MS = 5_000;
export const GIVE_BACK_ATTEMPTS = 13;

export interface GiveBackDeps {
  client: FirehoseClient;
  now: () => DateTime;
  sleep?: (ms: number) => Promise<void>;
  progress?: (line: string) => void;
}

interface Outcome {
  created: string[];
  notCreated: { name: string; reason: string }[];
  notDeleted: { name: string; reason: string }[];
}

const errorName = (err: unknown) => (err as { name?: string }).name ?? 'Error';
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Deletes a stream this run created once Firehose allows it; false if it stayed CREATING. */
async function deleteOnceCreated(deps: GiveBackDeps, name: string): Promise<boolean> {
  const sleep = deps.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
      return true;
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return true;
      if (errorName(err) !== 'ResourceInUseException' || attempt >= GIVE_BACK_ATTEMPTS) throw err;
      await sleep(GIVE_BACK_POLL_MS);
    }
  }
}

/**
 * Re-counts the account's streams after this run's creates; while the count is over the quota,
 * deletes streams this run made (never one it found existing), farthest hour first. The current
 * and next hour and the late hours are kept: the router writes on-time and late records there,
 * and a delete would drop its buffer. A far-ahead stream only ever gets records stamped that far
 * in the future, in the seconds between its create and this give-back.
 */
export async function giveBackOverQuota(
  deps: GiveBackDeps,
  quota: number,
  madeHere: PlannedStream[],
  result: Outcome,
  countStreams: () => Promise<number>,
): Promise<void> {
  let over = (await countStreams()) - quota;
  if (over <= 0) return;
  const next = hourOf(deps.now()).plus({ hours: 1 });
  const farthestFirst = [...madeHere].reverse().filter((c) => hourFromKey(c.hour)! > next);
  for (const c of farthestFirst) {
    if (over <= 0) break;
    let gone: boolean;
    try {
      gone = await deleteOnceCreated(deps, c.name);
    } catch (err) {
      if (errorName(err) !== 'ResourceInUseException') throw err;
      gone = false;
    }
    if (gone) {
      result.created.splice(result.created.indexOf(c.name), 1);
      result.notCreated.push({ name: c.name, reason: 'quota: given back, a concurrent run filled it' });
      deps.progress?.(`gave back ${c.name}: a concurrent run filled the quota`);
      over -= 1;
    } else {
      result.notDeleted.push({
        name: c.name,
        reason: 'over the quota after a concurrent run but still CREATING; kept until it drains',
      });
    }
  }
}

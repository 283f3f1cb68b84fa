// The destroy-time teardown. Pulumi has already stopped the router (its event source mapping is
// deleted before the lifecycle resource), so no new record reaches a stream; what is left is in
// Firehose's buffers, and DeleteDeliveryStream drops a buffer. So the teardown (I4, converges):
// - waits one buffering interval plus a margin before it deletes a stream that may hold records,
//   waits for CREATING streams (Firehose refuses to delete them) and deletes them once created;
// - does not return before the fallback's buffer has flushed too: Pulumi deletes the fallback
//   right after, even when no hourly stream needed a wait (quota full, rotation broken);
// - lists again once nothing is pending, until a list finds no owned stream left: a late scheduled
//   run (Lambda's async retries, events up to an hour old) may create streams during the wait;
// - throws with the names if anything is left at its deadline, so `pulumi destroy` fails visibly.
import { DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { hourFromKey } from '../core/names';
import { RotationSettings } from '../core/settings';
import { drainWindow, mayDelete } from '../core/stream-deletion';
import { findOwnedStreams, RotationDeps } from './executor';
import { describeStatus } from './firehose-streams';
import { errorName } from './error-name';

/**
 * After the router stops: an invocation already running may still write for up to its timeout
 * (60 s), then Firehose needs a moment to write the flushed buffer to S3.
 */
const FLUSH_MARGIN_SECONDS = 120;
/** How often CREATING streams are described again. */
const CREATING_POLL_MS = 10_000;

export interface TeardownOptions {
  /** Epoch ms by which the teardown must have finished (Lambda's remaining time minus a reserve). */
  deadlineMs: number;
  pollMs?: number;
}

export interface TeardownResult {
  deleted: string[];
  /** Seconds waited for buffers to flush: the fallback's always, an hourly stream's when one may hold records. */
  flushWaitSeconds: number;
  /** Owned streams a later list found (made by a late scheduled run while the teardown waited). */
  foundLate: string[];
  /** ListDeliveryStreams rounds, the first included; the last one found nothing owned left. */
  lists: number;
  /** Set when the flush wait did not fit before the deadline: exactly what may be lost. */
  gaveUp?: string;
}

class TeardownIncompleteError extends Error {
  constructor(readonly remaining: { name: string; reason: string }[]) {
    super(
      `teardown left ${remaining.length} hourly stream(s): ` +
        remaining.map((r) => `${r.name} (${r.reason})`).join(', ') +
        '; run `pulumi destroy` again once they are ACTIVE, or delete them by hand',
    );
    this.name = 'TeardownIncompleteError';
  }
}

type State = 'creating' | 'flushing' | 'now';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function destroyTeardown(
  deps: RotationDeps,
  s: RotationSettings,
  opts: TeardownOptions,
): Promise<TeardownResult> {
  const { client, progress = () => undefined } = deps;
  const sleep = deps.sleep ?? realSleep;
  const start = deps.now();
  const at = (seconds: number) => Math.min(start.toMillis() + seconds * 1000, opts.deadlineMs);
  // Streams made under a live former configuration drain by the longest of the windows.
  const longest = drainWindow(s);
  const hourlyNeeds = longest.bufferingIntervalSeconds + FLUSH_MARGIN_SECONDS;
  // The fallback is Pulumi's, made with the current settings; Pulumi deletes it once this returns.
  const fallbackNeeds = s.bufferingIntervalSeconds + FLUSH_MARGIN_SECONDS;
  const flushAt = at(hourlyNeeds);
  const returnAt = at(fallbackNeeds);
  let anyFlushing = false;

  const pending = new Map<string, State>();
  const deleted: string[] = [];
  const foundLate: string[] = [];
  const reasons = new Map<string, string>();
  let lists = 0;
  /** Lists the owned streams; those not gone or on their way become pending. Returns the new ones. */
  const survey = async (): Promise<string[]> => {
    lists += 1;
    const found: string[] = [];
    for (const stream of await findOwnedStreams(client, s)) {
      if (pending.has(stream.name)) continue;
      const status = await describeStatus(client, stream.name);
      if (status === undefined || status === 'DELETING') continue; // gone or on its way
      // A CREATING stream was not ACTIVE when the router stopped, so it never took a record; a
      // drained hour's buffer flushed long ago; a failed create never took one either.
      const drained = mayDelete(hourFromKey(stream.hour)!, start, longest);
      const state: State =
        status === 'CREATING' ? 'creating' : drained || status === 'CREATING_FAILED' ? 'now' : 'flushing';
      anyFlushing ||= state === 'flushing';
      pending.set(stream.name, state);
      found.push(stream.name);
    }
    return found;
  };

  await survey();
  for (;;) {
    const now = deps.now().toMillis();
    for (const [name, state] of [...pending]) {
      // No longer CREATING, or gone (the delete then finds nothing, which counts as deleted).
      if (state === 'creating' && (await describeStatus(client, name)) === 'CREATING') continue;
      if (state === 'flushing' && now < flushAt) continue;
      try {
        await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
      } catch (err) {
        if (errorName(err) === 'ResourceInUseException') {
          reasons.set(name, 'Firehose refused the delete: in use');
          continue;
        }
        if (errorName(err) !== 'ResourceNotFoundException') throw err;
      }
      deleted.push(name);
      pending.delete(name);
      progress(`deleted ${name}`);
    }
    if (pending.size === 0 && deps.now().toMillis() >= returnAt) {
      const late = await survey();
      if (late.length === 0) break;
      foundLate.push(...late);
      progress(`found ${late.length} stream(s) made while the teardown waited: ${late.join(', ')}`);
      continue;
    }
    if (deps.now().toMillis() >= opts.deadlineMs) break;
    // Until the next instant something can change: a flush, the fallback's wait, the deadline, or
    // the next look at a CREATING stream.
    const t = deps.now().toMillis();
    const flushing = [...pending.values()].includes('flushing');
    const wakes = [opts.deadlineMs, ...(flushing ? [flushAt] : []), returnAt].filter((w) => w > t);
    await sleep(Math.min(opts.pollMs ?? CREATING_POLL_MS, ...wakes.map((w) => w - t)));
  }
  if (pending.size > 0) {
    throw new TeardownIncompleteError(
      [...pending].map(([name, state]) => ({
        name,
        reason:
          reasons.get(name) ?? (state === 'creating' ? 'still CREATING at the deadline' : 'not deleted'),
      })),
    );
  }
  const needed = Math.max(fallbackNeeds, anyFlushing ? hourlyNeeds : 0);
  const flushWaitSeconds = Math.round((at(needed) - start.toMillis()) / 1000);
  const gaveUp =
    flushWaitSeconds < needed
      ? `buffers had ${flushWaitSeconds} s of the ${needed} s they need to flush (buffering interval ` +
        `${needed - FLUSH_MARGIN_SECONDS} s + ${FLUSH_MARGIN_SECONDS} s): records the router wrote in its last ` +
        `${needed - flushWaitSeconds} s may not reach S3`
      : undefined;
  if (gaveUp) progress(`teardown gave up: ${gaveUp}`);
  return { deleted, flushWaitSeconds, foundLate, lists, ...(gaveUp ? { gaveUp } : {}) };
}

/** The deadline a Lambda invocation leaves: its remaining time minus a reserve to report. */
export function lambdaDeadline(now: DateTime, remainingMs: number, reserveMs = 60_000): number {
  return now.toMillis() + remainingMs - reserveMs;
}

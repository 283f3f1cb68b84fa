// The destroy-time teardown. Pulumi has already stopped the router (its event source mapping is
// deleted before the lifecycle invocation), so no new record reaches an hourly stream; what is
// left is in Firehose's buffers, and DeleteDeliveryStream drops a buffer. So the teardown waits
// one buffering interval plus a margin before it deletes a stream that may hold records, waits for
// CREATING streams (Firehose refuses to delete them) and deletes them once created, and throws
// with the names if anything is left, so `pulumi destroy` fails visibly instead of leaking.
import { DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { drainWindow } from '../core/generations';
import { hourFromKey } from '../core/names';
import { RotationSettings } from '../core/settings';
import { mayDelete } from '../core/time-window';
import { findOwnedStreams, RotationDeps } from './executor';
import { describeStatus } from './stream-status';

/**
 * After the router stops: an invocation already running may still write for up to its timeout
 * (60 s), then Firehose needs a moment to write the flushed buffer to S3.
 */
export const FLUSH_MARGIN_SECONDS = 120;
/** How often CREATING streams are described again. */
export const CREATING_POLL_MS = 10_000;

export interface TeardownOptions {
  /** Epoch ms by which the teardown must have finished (Lambda's remaining time minus a reserve). */
  deadlineMs: number;
  pollMs?: number;
}

export interface TeardownResult {
  deleted: string[];
  /** Seconds waited for buffers to flush (0 when no stream could hold records). */
  flushWaitSeconds: number;
  /** Set when the flush wait did not fit before the deadline: exactly what may be lost. */
  gaveUp?: string;
}

export class TeardownIncompleteError extends Error {
  constructor(readonly remaining: { name: string; reason: string }[]) {
    super(
      `teardown left ${remaining.length} hourly stream(s): ` +
        remaining.map((r) => `${r.name} (${r.reason})`).join(', ') +
        '; run `pulumi destroy` again once they are ACTIVE, or delete them by hand',
    );
    this.name = 'TeardownIncompleteError';
  }
}

type Pending = { name: string; state: 'creating' | 'flushing' | 'now' };

const errorName = (err: unknown) => (err as { name?: string }).name ?? 'Error';
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function destroyTeardown(
  deps: RotationDeps,
  s: RotationSettings,
  opts: TeardownOptions,
): Promise<TeardownResult> {
  const { client, progress = () => undefined } = deps;
  const sleep = deps.sleep ?? realSleep;
  const start = deps.now();
  // Streams made under a live former configuration drain by the longest of the windows.
  const longest = drainWindow(s);
  const pending: Pending[] = [];
  for (const stream of await findOwnedStreams(client, s)) {
    const status = await describeStatus(client, stream.name);
    if (status === undefined || status === 'DELETING') continue; // gone or on its way: nothing to do
    // A CREATING stream was not ACTIVE when the router stopped, so it never took a record; a
    // drained hour's buffer flushed long ago; a failed create never took one either.
    const drained = mayDelete(hourFromKey(stream.hour)!, start, longest);
    const state =
      status === 'CREATING' ? 'creating' : drained || status === 'CREATING_FAILED' ? 'now' : 'flushing';
    pending.push({ name: stream.name, state });
  }

  const needed = pending.some((p) => p.state === 'flushing')
    ? longest.bufferingIntervalSeconds + FLUSH_MARGIN_SECONDS
    : 0;
  const flushAt = Math.min(start.toMillis() + needed * 1000, opts.deadlineMs);
  const flushWaitSeconds = Math.max(0, Math.round((flushAt - start.toMillis()) / 1000));
  const gaveUp =
    flushWaitSeconds < needed
      ? `buffers had ${flushWaitSeconds} s of the ${needed} s they need to flush (buffering interval ` +
        `${longest.bufferingIntervalSeconds} s + ${FLUSH_MARGIN_SECONDS} s): records the router wrote in its last ` +
        `${needed - flushWaitSeconds} s may not reach S3`
      : undefined;
  if (gaveUp) progress(`teardown gives up: ${gaveUp}`);

  const deleted: string[] = [];
  const reasons = new Map<string, string>();
  for (;;) {
    const now = deps.now().toMillis();
    for (const p of [...pending]) {
      // No longer CREATING, or gone (the delete then finds nothing, which counts as deleted).
      if (p.state === 'creating' && (await describeStatus(client, p.name)) !== 'CREATING') p.state = 'now';
      if (p.state === 'flushing' && now >= flushAt) p.state = 'now';
      if (p.state !== 'now') continue;
      try {
        await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: p.name }));
      } catch (err) {
        if (errorName(err) === 'ResourceInUseException') {
          reasons.set(p.name, 'Firehose refused the delete: in use');
          continue;
        }
        if (errorName(err) !== 'ResourceNotFoundException') throw err;
      }
      deleted.push(p.name);
      pending.splice(pending.indexOf(p), 1);
      progress(`deleted ${p.name}`);
    }
    if (pending.length === 0 || deps.now().toMillis() >= opts.deadlineMs) break;
    const untilFlush = pending.some((p) => p.state === 'flushing')
      ? flushAt - deps.now().toMillis()
      : Infinity;
    await sleep(
      Math.max(
        0,
        Math.min(opts.pollMs ?? CREATING_POLL_MS, untilFlush, opts.deadlineMs - deps.now().toMillis()),
      ),
    );
  }
  if (pending.length > 0) {
    throw new TeardownIncompleteError(
      pending.map((p) => ({
        name: p.name,
        reason:
          reasons.get(p.name) ?? (p.state === 'creating' ? 'still CREATING at the deadline' : 'not deleted'),
      })),
    );
  }
  return { deleted, flushWaitSeconds, ...(gaveUp ? { gaveUp } : {}) };
}

/** The deadline a Lambda invocation leaves: its remaining time minus a reserve to report. */
export function lambdaDeadline(now: DateTime, remainingMs: number, reserveMs = 60_000): number {
  return now.toMillis() + remainingMs - reserveMs;
}

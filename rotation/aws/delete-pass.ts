// The deletes of one rotation run, before its creates. The plan may be minutes old by the time a
// delete is sent, so each is judged again at its own instant (core/stream-deletion.ts says when a
// stream may go): a drained hour is signalled complete first and may keep its stream while the
// signal fails (signal-gate.ts); a far-ahead stream made again or no longer needed goes only while
// its hour is still empty and remakeable (I2); sharing's give-backs and orphans are judged again
// too (sharing-deletes.ts). A stream found gone counts as deleted; one Firehose refuses (CREATING,
// DELETING) is reported, and the next run plans it again.
import { DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { hourFromKey } from '../core/names';
import type { PlannedDelete } from '../core/planner';
import type { RotationOutcome } from '../core/rotation-summary';
import { RotationSettings } from '../core/settings';
import { emptyAndRemakeable } from '../core/stream-deletion';
import type { SignalGate } from './signal-gate';
import { refusedDelete } from './sharing-deletes';
import { errorName } from './error-name';

export interface DeletePassDeps {
  client: FirehoseClient;
  now: () => DateTime;
  progress?: (line: string) => void;
}

type Outcome = Pick<RotationOutcome, 'deleted' | 'notDeleted'>;

/**
 * Sends the planned deletes in order and records each in `result`. `gate`, when the run signals
 * hours complete, is asked before each drained delete.
 */
export async function applyDeletes(
  deps: DeletePassDeps,
  deletes: readonly PlannedDelete[],
  s: RotationSettings,
  result: Outcome,
  gate?: SignalGate,
): Promise<void> {
  const { client, progress = () => undefined } = deps;
  for (const d of deletes) {
    // A signal never throws here: the creates after the deletes must not depend on it.
    if (gate && d.reason === 'drained' && !(await gate.beforeDelete(d))) {
      result.notDeleted.push({ name: d.name, reason: 'hour-complete signal failed; held for a retry' });
      progress(`kept ${d.name}: its hour-complete signal failed; a later run retries`);
      continue;
    }
    // I2: a far-ahead stream is made again only while still far-ahead, judged at this delete's own
    // instant, not at plan time nor at an earlier sibling's delete (a plan made at 10:59:50 may
    // reach this delete after 11:00, when hour 12 became the next). A sibling kept this way keeps
    // the hour at one destination: the create pass remakes the hour's deleted streams with the
    // destination of the stream it still has (stream-destination.ts hourDestination).
    const early = d.reason === 'reconfigure' || d.reason === 'unneeded';
    if (early && !emptyAndRemakeable(hourFromKey(d.hour)!, deps.now(), s)) {
      result.notDeleted.push({ name: d.name, reason: 'no longer far-ahead: keeps its configuration (I2)' });
      continue;
    }
    // Sharing's deletes (over-share, orphan) are judged again at the delete too (sharing-deletes.ts).
    const refused = refusedDelete(d, deps.now(), s);
    if (refused) {
      result.notDeleted.push({ name: d.name, reason: refused });
      continue;
    }
    try {
      await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: d.name }));
      result.deleted.push(d.name);
      progress(`deleted ${d.name} (${d.reason})`);
    } catch (err) {
      const denied = refusedDelete(d, deps.now(), s, err);
      if (denied) {
        result.notDeleted.push({ name: d.name, reason: denied });
        progress(`kept ${d.name}: ${denied}`);
      } else if (errorName(err) === 'ResourceNotFoundException') {
        result.deleted.push(d.name); // already gone: the goal is reached
      } else if (errorName(err) === 'ResourceInUseException') {
        result.notDeleted.push({ name: d.name, reason: 'in use (CREATING or DELETING); next run retries' });
      } else throw err;
    }
  }
}

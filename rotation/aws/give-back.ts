// Giving back far-ahead streams. Overlapping rotation runs (a scheduled run meeting the deploy-time
// one or a CLI run, or another deployment sharing the account's quota) plan against the same
// count, so together they can create more streams than the quota allows: Firehose has no
// conditional create to make "count, then create" atomic. The way out is a stream that can go at
// any time without losing a record: by I1 (design §11) a far-ahead hour's streams are empty, so
// this module deletes only those, farthest hour first, whoever made them, judged far-ahead at the
// instant of each delete (time-window isFarAhead), never at plan time. A CREATING stream is skipped
// (Firehose refuses its delete; no waiting), and a stream a pre-I1 router may have written to is
// never a candidate (stream-deletion emptyUntilNear). Both runs of a race may give back: the count then
// ends below the quota and the next run refills it, the safe side.
import { DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { countLimit, QuotaLimits } from '../core/capacity';
import { parseKnownHourlyName } from '../core/generations';
import { emptyAndRemakeable } from '../core/stream-deletion';
import { asOwned } from '../core/planner';
import { RotationSettings } from '../core/settings';
import { describeStatus, listStreamNames, readTags } from './firehose-streams';
import { errorName } from './error-name';

export interface GiveBackDeps {
  client: FirehoseClient;
  now: () => DateTime;
  progress?: (line: string) => void;
}

interface Outcome {
  created: string[];
  deleted: string[];
  notCreated: { name: string; reason: string }[];
}

/** Our-pattern names of hours whose streams may be given back (emptyAndRemakeable) at `now`, farthest hour first (last sibling first). */
function farAheadCandidates(names: readonly string[], now: DateTime, s: RotationSettings): string[] {
  return names
    .map((name) => ({ name, parsed: parseKnownHourlyName(name, s) }))
    .filter((c) => c.parsed && emptyAndRemakeable(c.parsed.hour, now, s))
    .sort(
      (a, b) =>
        b.parsed!.hour.toMillis() - a.parsed!.hour.toMillis() ||
        b.parsed!.index - a.parsed!.index ||
        b.name.localeCompare(a.name),
    )
    .map((c) => c.name);
}

/**
 * One give-back session: the candidates of one listing, each tried at most once. `next` deletes the
 * farthest owned, ACTIVE (or CREATING_FAILED) far-ahead stream and returns its name, or undefined
 * when none is left. Ownership (the tag) and status are read right before the delete, and
 * far-ahead is judged again with the clock right before it too.
 */
export class GiveBack {
  private readonly tried = new Set<string>();

  constructor(
    private readonly deps: GiveBackDeps,
    private readonly s: RotationSettings,
    private candidates: string[] = [],
  ) {}

  /** Re-reads the candidates from a listing (the executor's re-count) at the clock's instant. */
  refresh(names: readonly string[]): void {
    this.candidates = farAheadCandidates(names, this.deps.now(), this.s);
  }

  async next(): Promise<string | undefined> {
    const { client } = this.deps;
    for (const name of this.candidates) {
      if (this.tried.has(name)) continue;
      this.tried.add(name);
      const hour = parseKnownHourlyName(name, this.s)!.hour;
      if (!emptyAndRemakeable(hour, this.deps.now(), this.s)) continue;
      const status = await describeStatus(client, name);
      // CREATING: Firehose refuses the delete; DELETING or gone: not a slot this delete frees.
      if (status !== 'ACTIVE' && status !== 'CREATING_FAILED') continue;
      const tags = await readTags(client, name);
      if (!tags || !asOwned({ name, status, tags }, this.s)) continue;
      if (!emptyAndRemakeable(hour, this.deps.now(), this.s)) continue;
      try {
        await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
        return name;
      } catch (err) {
        // Deleted or started CREATING meanwhile (a concurrent run): try the next one.
        if (errorName(err) === 'ResourceNotFoundException' || errorName(err) === 'ResourceInUseException')
          continue;
        throw err;
      }
    }
    return undefined;
  }
}

/** Records a given-back stream in a run's outcome: un-created if this run made it, else deleted. */
export function recordGiveBack(result: Outcome, name: string, why: string): void {
  const made = result.created.indexOf(name);
  if (made >= 0) {
    result.created.splice(made, 1);
    result.notCreated.push({ name, reason: `quota: given back, ${why}` });
  } else result.deleted.push(name);
}

/**
 * Re-counts the account's streams after this run's creates; while the count is over the limit
 * far-ahead streams keep to (capacity.ts countLimit: the quota minus the reserve), gives back
 * far-ahead streams, farthest first. Near-term hours are never candidates.
 */
export async function giveBackOverQuota(
  deps: GiveBackDeps,
  s: RotationSettings,
  limits: QuotaLimits,
  result: Outcome,
  /** Why the count is over, for the report; by default a concurrent run. */
  why = 'a concurrent run filled it',
): Promise<void> {
  const names = await listStreamNames(deps.client);
  let over = names.length - countLimit(limits, false);
  if (over <= 0) return;
  const giveBack = new GiveBack(deps, s);
  giveBack.refresh(names);
  for (; over > 0; over--) {
    const name = await giveBack.next();
    if (!name) return;
    recordGiveBack(result, name, why);
    deps.progress?.(`gave back ${name} (far-ahead, empty): ${why}`);
  }
}

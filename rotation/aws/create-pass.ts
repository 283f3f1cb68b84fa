// The creates of one rotation run, after its deletes: each planned stream in the plan's order
// (near-term hours first), re-counted against the quota right before it, because a concurrent run
// (a CLI run, another deployment sharing the account) may have taken the slot the plan counted on.
// Near-term hours are what the router needs now: when the quota is full, one far-ahead stream
// (empty by I1) is given back to make room rather than leave the current hour without a stream.
import {
  CreateDeliveryStreamCommand,
  CreateDeliveryStreamCommandInput,
  FirehoseClient,
} from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { isNearTerm, QuotaLimits, roomForOne } from '../core/capacity';
import { hourFromKey, MAX_STREAM_NAME_LENGTH } from '../core/names';
import type { PlannedStream, RotationPlan } from '../core/planner';
import type { RotationOutcome } from '../core/rotation-summary';
import { RotationSettings } from '../core/settings';
import { GiveBack, giveBackOverQuota, recordGiveBack } from './give-back';
import { streamNamesFor } from '../core/generations';
import { hourDestination, requestFor, StreamDestination } from './stream-destination';
import { listStreamNames } from './firehose-streams';
import { errorName } from './error-name';

export interface CreatePassDeps {
  client: FirehoseClient;
  now: () => DateTime;
  progress?: (line: string) => void;
}

export type CreatePlan = Pick<RotationPlan, 'deletes' | 'creates'> &
  Partial<Pick<RotationPlan, 'quota' | 'countBefore' | 'reserve'>>;

type Outcome = Pick<RotationOutcome, 'created' | 'deleted' | 'notCreated'>;

/**
 * Firehose answers CreateDeliveryStream with LimitExceededException for the stream quota ("You
 * have already consumed your firehose quota of 50 hoses…") but also for other limits (tags, for
 * one). Only the quota is a planning fact; any other limit is a bug to show, not a shortfall.
 */
function isStreamQuota(err: unknown): boolean {
  const message = (err as { message?: string }).message ?? '';
  return errorName(err) === 'LimitExceededException' && /\b(quota|hoses)\b/i.test(message);
}

export class CreatePass {
  /** The quota as learned: a quota LimitExceeded below the planned quota shows the real one. */
  private quota: number | undefined;
  private giveBackReason: string | undefined;
  /** Per hour key, where this run's first created stream of it took its destination from. */
  private readonly madeFrom = new Map<string, StreamDestination | 'current'>();
  private readonly pending = new Map<string, StreamDestination | 'current'>();
  /** A create was sent: only then can this run have pushed the count over a limit. */
  private sent = false;
  private readonly giveBack: GiveBack;
  private readonly progress: (line: string) => void;

  constructor(
    private readonly deps: CreatePassDeps,
    private readonly plan: CreatePlan,
    private readonly s: RotationSettings,
    private readonly result: Outcome,
  ) {
    this.quota = plan.quota;
    this.giveBack = new GiveBack(deps, s);
    this.progress = deps.progress ?? (() => undefined);
  }

  /** Near-term (capacity.ts isNearTerm, judged now): may take any free slot. */
  private nearTerm(c: PlannedStream): boolean {
    return isNearTerm(hourFromKey(c.hour)!, this.deps.now());
  }

  /** The quota as learned and the plan's reserve (capacity.ts countLimit). */
  private limits(quota: number): QuotaLimits {
    return { quota, reserve: this.plan.reserve ?? 0 };
  }

  /**
   * The plan counted on its deletes; a refused delete keeps its slot, so the creates must fit what
   * was actually freed (given-back streams count as freed), or the count would pass the quota. The
   * quota itself, the near-term limit: the re-count before each create holds far-ahead ones to the
   * reserve as well.
   */
  private roomByPlan(): boolean {
    const { quota, countBefore } = this.plan;
    if (quota === undefined || countBefore === undefined) return true;
    const count = countBefore - this.result.deleted.length + this.result.created.length;
    return roomForOne(count, this.limits(quota), true);
  }

  /** Gives back one far-ahead stream for near-term create `c`; false when none is left. */
  private async makeRoom(c: PlannedStream, names: readonly string[]): Promise<boolean> {
    this.giveBack.refresh(names);
    const gone = await this.giveBack.next();
    if (!gone) return false;
    recordGiveBack(this.result, gone, `room for near-term ${c.name}`);
    this.progress(`gave back ${gone} (far-ahead, empty) to make room for ${c.name}`);
    return true;
  }

  private stop(from: number, reason: string): void {
    for (const rest of this.plan.creates.slice(from))
      this.result.notCreated.push({ name: rest.name, reason });
    this.progress(`${reason}; ${this.plan.creates.length - from} stream(s) left for the next run`);
  }

  async run(): Promise<void> {
    const { plan, result } = this;
    const failed = new Set(plan.deletes.filter((d) => d.reason === 'creating-failed').map((d) => d.name));
    const reconfigured = new Set(plan.deletes.filter((d) => d.reason === 'reconfigure').map((d) => d.name));
    for (let i = 0; i < plan.creates.length; i++) {
      const c = plan.creates[i];
      // A former streamPrefix with a larger streamsPerHour can make a name Firehose refuses: report
      // it (the settings check names the combination at preview), never fail the whole run on it.
      if (c.name.length > MAX_STREAM_NAME_LENGTH) {
        result.notCreated.push({
          name: c.name,
          reason: `name longer than Firehose's ${MAX_STREAM_NAME_LENGTH} characters`,
        });
        continue;
      }
      // Not deleted (no longer far-ahead at the delete): the stream is there, as it was made.
      if (reconfigured.has(c.name) && !result.deleted.includes(c.name)) continue;
      if (failed.has(c.name) && !result.deleted.includes(c.name)) {
        result.notCreated.push({ name: c.name, reason: 'failed stream could not be deleted yet' });
        continue;
      }
      if (!this.roomByPlan() && !this.nearTerm(c)) {
        result.notCreated.push({ name: c.name, reason: 'quota: a planned delete did not happen' });
        continue;
      }
      const outcome = await this.createOne(c);
      if (outcome === 'stop') break;
    }
    if (this.quota !== undefined && this.sent) {
      // The count may be over the far-ahead limit (a concurrent run, a near-term create that took
      // the reserve): far-ahead streams go back until it is not.
      await giveBackOverQuota(this.deps, this.s, this.limits(this.quota), result, this.giveBackReason);
    }
  }

  /**
   * I2: a stream of an hour that already has one takes that stream's destination; only an hour's
   * first stream takes the current settings. One stream per hour: nothing to read.
   */
  private async request(c: PlannedStream, listed?: string[]): Promise<CreateDeliveryStreamCommandInput> {
    const hour = hourFromKey(c.hour)!;
    if (streamNamesFor(hour, this.s).length < 2) return requestFor(this.s, hour, c.name);
    // An hour this run already made a stream of: the same answer, without reading it again.
    const made = this.madeFrom.get(c.hour);
    if (made) return requestFor(this.s, hour, c.name, made === 'current' ? undefined : made);
    const names = listed ?? (await listStreamNames(this.deps.client));
    const existing = await hourDestination(this.deps.client, names, hour, this.s, c.name);
    if (existing)
      this.progress(`${c.name} takes the destination of ${existing.stream} (one hour, one destination)`);
    this.pending.set(c.name, existing ?? 'current');
    return requestFor(this.s, hour, c.name, existing);
  }

  private async createOne(c: PlannedStream): Promise<'done' | 'stop'> {
    const { client } = this.deps;
    const index = this.plan.creates.indexOf(c);
    // Re-counted before every create. Two runs can still both pass this check at once: the
    // give-back after the creates brings the count back under the limit.
    let listed: string[] | undefined;
    if (this.quota !== undefined) {
      const names = (listed = await listStreamNames(client));
      const room = roomForOne(names.length, this.limits(this.quota), this.nearTerm(c));
      if (!room && !(this.nearTerm(c) && (await this.makeRoom(c, names)))) {
        this.stop(index, 'quota: filled since the plan');
        return 'stop';
      }
    }
    const request = await this.request(c, listed);
    for (let attempt = 1; ; attempt++) {
      try {
        this.sent = true;
        await client.send(new CreateDeliveryStreamCommand(request));
        this.result.created.push(c.name);
        const from = this.pending.get(c.name);
        if (from && !this.madeFrom.has(c.hour)) this.madeFrom.set(c.hour, from);
        this.progress(`created ${c.name}`);
        return 'done';
      } catch (err) {
        const name = errorName(err);
        if (name === 'LimitExceededException' && !isStreamQuota(err)) {
          throw new Error(
            `CreateDeliveryStream ${c.name}: LimitExceededException that is not the stream quota: ${(err as Error).message}`,
            { cause: err },
          );
        }
        if (name === 'LimitExceededException') {
          // A near-term stream gets one retry after giving back a far-ahead one (another
          // deployment's near-term create may have taken the last slot at the same moment).
          const names = await listStreamNames(client);
          if (attempt === 1 && this.nearTerm(c) && (await this.makeRoom(c, names))) continue;
          // The quota is full: the rest of the plan is farther away than this hour, so it cannot
          // fit either. Report, do not fail. The real quota is this count, whatever was planned.
          this.stop(index, 'quota reached');
          if (this.quota !== undefined && names.length < this.quota) {
            this.quota = names.length;
            this.giveBackReason = 'the real stream quota is below the planned one';
          }
          return 'stop';
        }
        const deleted = this.plan.deletes.find((d) => d.name === c.name);
        if (name === 'ResourceInUseException' && deleted) {
          // Firehose keeps a deleted stream DELETING for minutes; the next run makes it again.
          const reason =
            deleted.reason === 'reconfigure'
              ? 'stream being made again still deleting; next run creates it'
              : 'failed stream still deleting; next run recreates';
          this.result.notCreated.push({ name: c.name, reason });
        } else if (name === 'ResourceInUseException') {
          this.result.created.push(c.name); // exists already, e.g. made by a concurrent run: goal reached
        } else throw err;
        return 'done';
      }
    }
  }
}

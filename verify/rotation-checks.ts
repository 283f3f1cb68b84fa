// The rotation invariants, checked while the simulation runs: at the wire (every Delete is judged
// at the simulated instant it is sent, every successful Create is followed by a fresh count) and
// after every run (foreign streams and the fallback intact, needed hours present when they fit).
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListTagsForDeliveryStreamCommand,
} from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { hourStreamNames, parseHourlyName, streamName } from '../rotation/core/names';
import { asOwned } from '../rotation/core/planner';
import { RotationSettings } from '../rotation/core/settings';
import { hourOf, hoursToEnsure } from '../rotation/core/time-window';
import { deletableAt, mayDelete } from '../rotation/core/stream-deletion';
import { listStreamNames } from '../rotation/aws/firehose-streams';
import { Rng, SimClock, Violations } from './sim-support';
import { WireHooks } from './wire-faults';

const READS = new Set(['ListDeliveryStreams', 'DescribeDeliveryStream', 'ListTagsForDeliveryStream']);

export class RotationChecker implements WireHooks {
  readonly violations = new Violations();
  /** Foreign streams alive now, with what they looked like when they were made. */
  readonly foreign = new Map<string, string>();
  /** Most streams seen right after one of our creates (bounded by the quota), and at any count. */
  maxAfterCreate = 0;
  maxCount = 0;
  created = 0;
  deleted = 0;
  limitExceeded = 0;

  constructor(
    private readonly s: RotationSettings,
    private readonly clock: SimClock,
    private readonly observer: FirehoseClient,
  ) {}

  private at = () => this.clock.now().toISO();

  before(command: string, input: Record<string, unknown>): void {
    const name = typeof input.DeliveryStreamName === 'string' ? input.DeliveryStreamName : '';
    if (READS.has(command)) return;
    if (command !== 'CreateDeliveryStream' && command !== 'DeleteDeliveryStream') {
      return this.violations.add(`${this.at()}: unexpected control-plane call ${command} on ${name}`);
    }
    if (this.foreign.has(name) || name === this.s.fallbackStreamName) {
      return this.violations.add(`${this.at()}: ${command} on ${name}, which is not ours`);
    }
    // Any index below streamsPerHour is one of an hour's streams; a higher one is not ours.
    const parsed = parseHourlyName(this.s.streamPrefix, name);
    if (!parsed || parsed.index >= this.s.streamsPerHour)
      return this.violations.add(`${this.at()}: ${command} on ${name}, not an hourly name`);
    const { hour } = parsed;
    if (command === 'DeleteDeliveryStream' && !mayDelete(hour, this.clock.now(), this.s)) {
      this.violations.add(
        `${this.at()}: deleted ${name} before its drain instant ${deletableAt(hour, this.s).toISO()}`,
      );
    }
  }

  async after(command: string, _input: unknown, status: number, errorType?: string): Promise<void> {
    if (errorType === 'LimitExceededException') {
      this.limitExceeded++;
      this.violations.add(`${this.at()}: LimitExceededException: the plan overshot the account's real limit`);
    }
    if (status !== 200) return;
    if (command === 'DeleteDeliveryStream') this.deleted++;
    if (command !== 'CreateDeliveryStream') return;
    this.created++;
    await this.count('after a create', true);
  }

  /** Counts every stream in the Region; a create must never take the count above the quota. */
  async count(when: string, strict: boolean): Promise<string[]> {
    const names = await listStreamNames(this.observer);
    this.maxCount = Math.max(this.maxCount, names.length);
    if (strict) this.maxAfterCreate = Math.max(this.maxAfterCreate, names.length);
    if (strict && names.length > this.s.quota) {
      this.violations.add(`${this.at()}: ${names.length} streams ${when}, quota ${this.s.quota}`);
    }
    return names;
  }

  /** Creates a stream as another team would (or the fallback, with `track` false). */
  async createForeign(name: string, tags: Record<string, string>, track = true): Promise<boolean> {
    try {
      await this.observer.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          ExtendedS3DestinationConfiguration: {
            RoleARN: this.s.deliveryRoleArn,
            BucketARN: this.s.bucketArn,
            Prefix: 'other/',
          },
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'LimitExceededException') return false; // the Region is full
      throw err;
    }
    if (track) this.foreign.set(name, await this.snapshot(name));
    return true;
  }

  private async snapshot(name: string): Promise<string> {
    const d = await this.observer.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    const t = await this.observer.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name }));
    const { CreateTimestamp, LastUpdateTimestamp, ...rest } = d.DeliveryStreamDescription!;
    void CreateTimestamp;
    void LastUpdateTimestamp;
    return JSON.stringify([rest, t.Tags]);
  }

  private foreignSerial = 0;

  /**
   * Other teams create and delete streams between runs: plain ones, and lookalikes that carry our
   * name pattern (for long-drained hours) with someone else's tags.
   */
  async foreignChurn(rng: Rng, max: number): Promise<'appeared' | 'removed' | undefined> {
    if (this.foreign.size < max && rng.chance(0.15)) {
      const serial = this.foreignSerial++;
      const name = rng.chance(0.3)
        ? streamName(
            this.s.streamPrefix,
            DateTime.fromISO('2020-01-01T00:00Z', { zone: 'utc' }).plus({ hours: serial }),
          )
        : `other-team-${serial}`;
      const tags: Record<string, string> = rng.chance(0.5)
        ? { owner: 'other-team' }
        : { 'firehose-rotation:deployment': 'other/stack' };
      return (await this.createForeign(name, tags)) ? 'appeared' : undefined;
    }
    if (this.foreign.size > 0 && rng.chance(0.1)) {
      const name = rng.pick([...this.foreign.keys()]);
      this.foreign.delete(name);
      await this.observer.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
      return 'removed';
    }
    return undefined;
  }

  async foreignUnchanged(): Promise<void> {
    for (const [name, before] of this.foreign) {
      if ((await this.snapshot(name)) !== before)
        this.violations.add(`${this.at()}: foreign ${name} was changed`);
    }
  }

  /**
   * After a run: the fallback and every foreign stream exist; after a run that completed, nothing
   * drained of ours is left, and a needed hour may be missing only when the quota is full — for a
   * far-ahead hour, when fewer than reserveStreams slots are free (nearest hours first, so never
   * the current hour while a later hour of ours exists).
   */
  async afterRun(planNow: DateTime | undefined, completed: boolean): Promise<void> {
    const names = await this.count('after a run', false);
    const present = new Set(names);
    for (const name of [this.s.fallbackStreamName, ...this.foreign.keys()]) {
      if (!present.has(name)) this.violations.add(`${this.at()}: ${name} disappeared`);
    }
    if (!completed || !planNow) return;
    const owned = names
      .map((name) =>
        asOwned(
          { name, status: 'ACTIVE', tags: { 'firehose-rotation:deployment': this.s.deploymentId } },
          this.s,
        ),
      )
      .filter((o) => o !== undefined && !this.foreign.has(o.name));
    for (const o of owned) {
      if (mayDelete(o!.hour, planNow, this.s))
        this.violations.add(`${this.at()}: drained ${o!.name} was kept`);
    }
    const next = hourOf(planNow).plus({ hours: 1 });
    // Every one of an hour's N streams is needed; each takes a slot of its own.
    const missingStreams = hoursToEnsure(planNow, this.s).flatMap((h) =>
      hourStreamNames(this.s.streamPrefix, h, this.s.streamsPerHour)
        .filter((name) => !present.has(name))
        .map((name) => ({ h, name })),
    );
    const missing = missingStreams.map((m) => m.name);
    const room = (near: boolean) => names.length < this.s.quota - (near ? 0 : this.s.reserveStreams);
    if (missingStreams.some((m) => room(m.h <= next))) {
      this.violations.add(
        `${this.at()}: ${missing.length} needed ${this.s.streamsPerHour > 1 ? 'streams' : 'hours'} missing with ${names.length}/${this.s.quota}`,
      );
    }
    const current = hourOf(planNow);
    const currentName = streamName(this.s.streamPrefix, current);
    if (missing.includes(currentName) && owned.some((o) => o!.hour > current)) {
      this.violations.add(`${this.at()}: current hour ${currentName} missing while later hours exist`);
    }
  }
}

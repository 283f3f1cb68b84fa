// The lifecycle resource's events in the simulation (I3, I4): each `up` is the worst case for
// destroy-by-inference, a settings change together with a replaced lifecycle resource (`up
// --replace`, or a renamed rotation component): the successor deploys a new lifecycle id, then the
// old resource's delete reaches the function still holding the previous settings. The destroy at
// the end runs the function's own destroy path, while a late scheduled run (Lambda's async retry of
// an hour-old event) creates streams during its flush wait. Counted: destroys taken for
// replacements, replacements taken for destroys, late runs held, streams found late (made by a run
// that was past its hold check), and what the teardown leaves.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { rotate } from '../rotation/aws/executor';
import { heldByDestroy, LifecycleDeps, onDestroy, recordDeploy } from '../rotation/aws/lifecycle';
import { destroyTeardown } from '../rotation/aws/teardown';
import { RotationSettings } from '../rotation/core/settings';
import { SimClock } from './sim-support';

/** Deterministic lifecycle ids of crypto.randomUUID's shape (the function checks the shape). */
const lifecycleId = (k: number) => `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
/** The teardown's deadline: a 900 s invocation less the 60 s reserve (rotation/aws/teardown.ts). */
const DEADLINE_MS = 840_000;
/** When the late scheduled run lands, counted from the destroy: inside the default 420 s wait. */
const LATE_RUN_AFTER_MS = 240_000;

export class SimLifecycle {
  destroysForReplacements = 0;
  replacementsForDestroys = 0;
  lateStreamsFound = 0;
  lateRunsHeld = 0;
  private k = 1;

  constructor(
    private readonly clock: SimClock,
    private readonly control: FirehoseClient,
    private readonly s3: S3Client,
    /** A program that still infers: every delete of the lifecycle resource tears down. */
    private readonly deleteIsDestroy = false,
  ) {}

  private deps(sleep = this.clock.sleep): LifecycleDeps {
    return { client: this.control, s3: this.s3, now: this.clock.now, sleep };
  }

  /** The create of a lifecycle resource: record its lifecycle id (the bootstrap run follows). */
  async deployed(s: RotationSettings): Promise<void> {
    await recordDeploy(this.deps(), s, lifecycleId(this.k));
  }

  /** A replacement: the successor's deploy, then the old resource's delete with the old settings. */
  async replaced(previous: RotationSettings, current: RotationSettings, rotateNow: () => Promise<void>) {
    const old = lifecycleId(this.k);
    this.k += 1;
    await this.deployed(current);
    await rotateNow();
    const deadlineMs = this.clock.ms + DEADLINE_MS;
    if (this.deleteIsDestroy) {
      await destroyTeardown(this.deps(), previous, { deadlineMs });
      this.destroysForReplacements += 1;
      return;
    }
    const outcome = await onDestroy(this.deps(), previous, old, { deadlineMs });
    if (outcome.action === 'teardown') this.destroysForReplacements += 1;
  }

  /** `pulumi destroy`: the current resource's delete, a late scheduled run landing during the wait. */
  async destroyed(s: RotationSettings): Promise<void> {
    const lateAt = this.clock.ms + LATE_RUN_AFTER_MS;
    let late = true;
    const sleep = async (ms: number) => {
      await this.clock.sleep(ms);
      if (late && this.clock.ms >= lateAt) {
        late = false;
        // As the handler runs a scheduled event: the hold first (rotation/handlers/rotate.ts).
        if (await heldByDestroy(this.s3, s, new Date(this.clock.ms))) this.lateRunsHeld += 1;
        else await rotate({ client: this.control, now: this.clock.now }, s);
      }
    };
    const outcome = await onDestroy(this.deps(sleep), s, lifecycleId(this.k), {
      deadlineMs: this.clock.ms + DEADLINE_MS,
    });
    if (outcome.action === 'superseded') this.replacementsForDestroys += 1;
    else this.lateStreamsFound += outcome.foundLate.length;
  }
}

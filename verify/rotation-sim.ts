// Part 1: weeks of hourly rotations on moto, on a simulated clock, with control-plane faults at the
// HTTP layer, runs that crash between their deletes and creates, and foreign streams that come and
// go. The code under test is `rotate` exactly as the Lambda runs it; only its clock, pacer clock
// and retry waits are simulated.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { rotate } from '../rotation/aws/executor';
import { controlPlaneClient, Pacer } from '../rotation/aws/firehose-clients';
import { parseSettings } from '../rotation/core/settings';
import { clientConfig } from '../rotation/local/moto';
import { RotationChecker } from './rotation-checks';
import { INSTANT_BACKOFF, Rng, SimClock } from './sim-support';
import { FaultKind, WireFaults } from './wire-faults';

export interface RotationSimOptions {
  endpoint: string;
  days: number;
  seed: number;
  /** Share of control-plane attempts answered with a fault. */
  faultRate: number;
  /** Share of runs that die at one of their first creates. */
  crashRate: number;
  /** The quota setting; moto's own limit (50) stays the hard wall behind it. */
  quota: number;
  maxForeign: number;
  start?: string;
  /** Other settings to simulate with (timing, horizon); the defaults otherwise. */
  settings?: Record<string, unknown>;
}

export interface RotationFigures {
  days: number;
  rotations: number;
  completed: number;
  crashed: number;
  failed: number;
  /** Why runs failed (error name and message), with counts. */
  failedReasons: Record<string, number>;
  controlPlaneCalls: number;
  faultsInjected: number;
  faultsByKind: Record<FaultKind, number>;
  created: number;
  deleted: number;
  /** After any of our creates; foreign streams appearing between runs may push the other higher. */
  maxAfterCreate: number;
  maxStreamCount: number;
  quota: number;
  maxCallsPerSecond: number;
  /** Streams left to a later run (shortfall entries are streams; hours when streamsPerHour is 1). */
  shortfallHours: number;
  streamsPerHour: number;
  limitExceeded: number;
  foreignAppeared: number;
  foreignRemoved: number;
  convergence: { firstRun: string; secondRunNoOp: boolean };
  violations: string[];
  violationCount: number;
}

class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
  readonly $metadata = {};
}

export async function runRotationSim(o: RotationSimOptions): Promise<RotationFigures> {
  const s = parseSettings({
    deploymentId: 'verify/sim',
    streamPrefix: 'events',
    fallbackStreamName: 'events-fallback',
    bucketArn: 'arn:aws:s3:::verify-lake',
    deliveryRoleArn: 'arn:aws:iam::123456789012:role/verify-delivery',
    quota: o.quota,
    ...o.settings,
  });
  const rng = new Rng(o.seed);
  const clock = SimClock.at(o.start ?? '2026-11-20T00:00:00Z');
  const observer = new FirehoseClient(clientConfig(o.endpoint));
  const checker = new RotationChecker(s, clock, observer);
  let faultRate = o.faultRate;
  // A crash-marked run dies at its n-th create attempt (n = 1: right between its deletes and its
  // creates) or right after its first delete took effect.
  let crash: { at: 'create' | 'delete'; n: number } | undefined;
  let createAttempts = 0;
  const wire = new WireFaults({
    clock,
    rng,
    rate: () => faultRate,
    mix: { throttle: 40, unavailable: 20, internal: 15, timeout: 10, 'lost-response': 15 },
    hooks: {
      before: (command, input) => {
        checker.before(command, input);
        if (command === 'CreateDeliveryStream' && crash?.at === 'create' && ++createAttempts === crash.n) {
          throw new SimulatedCrash('injected crash between the deletes and the creates');
        }
      },
      after: async (command, input, status, type) => {
        await checker.after(command, input, status, type);
        if (command === 'DeleteDeliveryStream' && status === 200 && crash?.at === 'delete') {
          throw new SimulatedCrash('injected crash right after a delete');
        }
      },
    },
  });
  // The Lambda keeps one client per container; so does the simulation (retry quota included).
  const client = controlPlaneClient({
    ...clientConfig(o.endpoint),
    pacer: new Pacer(5, () => clock.ms, clock.sleep),
    backoff: INSTANT_BACKOFF,
  });
  wire.install(client);
  await checker.createForeign(s.fallbackStreamName, {}, false); // checked by name, not as foreign

  const figures = {
    rotations: 0,
    completed: 0,
    crashed: 0,
    failed: 0,
    shortfallHours: 0,
    appeared: 0,
    removed: 0,
  };
  const failedReasons: Record<string, number> = {};
  const run = async () => {
    figures.rotations++;
    createAttempts = 0;
    try {
      const report = await rotate({ client, now: clock.now }, s);
      figures.completed++;
      figures.shortfallHours += report.plan.shortfall.length + report.result.notCreated.length;
      await checker.afterRun(DateTime.fromISO(report.plan.now, { zone: 'utc' }), true);
      return report;
    } catch (err) {
      if (err instanceof SimulatedCrash) figures.crashed++;
      else {
        figures.failed++; // retries exhausted: the next run must heal it
        const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts;
        const why = `${(err as Error).name} after ${attempts ?? '?'} attempt(s)`;
        failedReasons[why] = (failedReasons[why] ?? 0) + 1;
      }
      await checker.afterRun(undefined, false);
      return undefined;
    }
  };

  const start = clock.now();
  for (let i = 0; i < o.days * 24; i++) {
    const churn = await checker.foreignChurn(rng, o.maxForeign);
    if (churn === 'appeared') figures.appeared++;
    if (churn === 'removed') figures.removed++;
    clock.advanceTo(start.plus({ hours: i, minutes: rng.int(0, 59), seconds: rng.int(0, 59) }));
    crash = !rng.chance(o.crashRate)
      ? undefined
      : rng.chance(0.3)
        ? { at: 'delete', n: 1 }
        : { at: 'create', n: rng.chance(0.7) ? 1 : rng.int(2, 5) };
    await run();
    if (i % 24 === 23) await checker.foreignUnchanged();
  }

  // Faults stop: one run must converge and the next must have nothing to do.
  faultRate = 0;
  crash = undefined;
  clock.advanceTo(clock.now().plus({ hours: 1 }).startOf('hour').plus({ minutes: 30 }));
  const first = await run();
  const second = await run();
  const r = second?.result;
  const noOp = !!r && r.created.length + r.deleted.length + r.notCreated.length + r.notDeleted.length === 0;
  if (!noOp) checker.violations.add(`not converged: the second fault-free run did ${JSON.stringify(r)}`);
  await checker.foreignUnchanged();

  return {
    days: o.days,
    rotations: figures.rotations,
    completed: figures.completed,
    crashed: figures.crashed,
    failed: figures.failed,
    failedReasons,
    controlPlaneCalls: wire.attempts,
    faultsInjected: wire.faults,
    faultsByKind: { ...wire.injected },
    created: checker.created,
    deleted: checker.deleted,
    maxAfterCreate: checker.maxAfterCreate,
    maxStreamCount: checker.maxCount,
    quota: s.quota,
    maxCallsPerSecond: wire.maxPerSecond(),
    shortfallHours: figures.shortfallHours,
    streamsPerHour: s.streamsPerHour,
    limitExceeded: checker.limitExceeded,
    foreignAppeared: figures.appeared,
    foreignRemoved: figures.removed,
    convergence: {
      firstRun: first
        ? `created ${first.result.created.length}, deleted ${first.result.deleted.length}`
        : 'failed',
      secondRunNoOp: noOp,
    },
    violations: checker.violations.list,
    violationCount: checker.violations.count,
  };
}

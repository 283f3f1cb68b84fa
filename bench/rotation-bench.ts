// Rotation cost on moto behind a 5 calls/s throttling proxy, with the real control-plane client
// (its pacer at the default 5 calls/s). The starting state is written straight to moto with a fast
// client, so only the measured run goes through the proxy.
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { performance } from 'node:perf_hooks';
import { rotate } from '../rotation/aws/executor';
import { CONTROL_PLANE_CALLS_PER_SECOND, controlPlaneClient, Pacer } from '../rotation/aws/firehose-clients';
import { hourlyStreamRequest } from '../rotation/aws/stream-config';
import { clientConfig, MotoServer } from '../rotation/local/moto';
import { acceptedCalls, startThrottleProxy, ThrottleStats, throttledCalls } from './throttle-proxy';
import { BENCH_SETTINGS } from './workload';

export interface RotationScenario {
  label: string;
  /** Name in the results table. */
  short: string;
  /** When the measured run happens. */
  now: string;
  /** Hours (ISO, UTC) whose streams exist before the run, besides the fallback. */
  existingHours: string[];
}

export interface RotationResult {
  label: string;
  wallSeconds: number;
  /** Every control-plane attempt that reached the server: accepted plus throttled. */
  calls: number;
  /** List pages + creates + deletes: the calls a rotation cannot do without. */
  floorCalls: number;
  listPages: number;
  created: number;
  deleted: number;
  throttled: number;
  /** Errors that reached the caller: a thrown run, or planned work not done. */
  errors: string[];
  byOperation: Record<string, number>;
  maxInWindow: number;
}

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

/** Every hour of a UTC day, as ISO strings. */
function hoursOfDay(day: string): string[] {
  return Array.from({ length: 24 }, (_, h) => at(day).plus({ hours: h }).toISO());
}

export const SCENARIOS: RotationScenario[] = [
  {
    // A run after a day without rotation (or a daily schedule): all of D-1 has drained, D exists.
    label: 'catch-up at D 01:30: 24 deletes + 24 creates',
    short: 'catch-up 24+24',
    now: '2026-11-22T01:30:00Z',
    existingHours: [...hoursOfDay('2026-11-21'), ...hoursOfDay('2026-11-22')],
  },
  {
    // The common case: an hourly run with tomorrow already created; one drained stream goes.
    label: 'hourly at D 05:30: 1 delete',
    short: 'hourly 1 delete',
    now: '2026-11-22T05:30:00Z',
    existingHours: [...hoursOfDay('2026-11-22').slice(3), ...hoursOfDay('2026-11-23')],
  },
  {
    label: 'from empty at D 00:30: 49 creates',
    short: 'from empty 49',
    now: '2026-11-22T00:30:00Z',
    existingHours: [],
  },
];

async function seed(moto: MotoServer, scenario: RotationScenario): Promise<void> {
  await moto.reset();
  const fast = controlPlaneClient({ ...clientConfig(moto.endpoint), callsPerSecond: 1000 });
  const s = BENCH_SETTINGS;
  await fast.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: s.fallbackStreamName,
      ExtendedS3DestinationConfiguration: {
        RoleARN: s.deliveryRoleArn,
        BucketARN: s.bucketArn,
        Prefix: 'late/',
      },
    }),
  );
  for (const hour of scenario.existingHours) {
    await fast.send(new CreateDeliveryStreamCommand(hourlyStreamRequest(s, at(hour))));
  }
  fast.destroy();
}

const count = (stats: ThrottleStats, op: string) => (stats.accepted[op] ?? 0) + (stats.throttled[op] ?? 0);

/**
 * Seeds the scenario, then times one rotation through the throttling proxy. `pacerRate` is an
 * experiment seam (the headline figures use the client's default pacer at 5 calls/s).
 */
export async function measureRotation(
  moto: MotoServer,
  scenario: RotationScenario,
  pacerRate?: number,
): Promise<RotationResult> {
  await seed(moto, scenario);
  const proxy = await startThrottleProxy({
    upstream: moto.endpoint,
    callsPerWindow: CONTROL_PLANE_CALLS_PER_SECOND,
  });
  const pacer = pacerRate === undefined ? undefined : new Pacer(pacerRate);
  const client: FirehoseClient = controlPlaneClient({ ...clientConfig(proxy.endpoint), pacer });
  const errors: string[] = [];
  let created = 0;
  let deleted = 0;
  const start = performance.now();
  try {
    const { result } = await rotate({ client, now: () => at(scenario.now) }, BENCH_SETTINGS);
    created = result.created.length;
    deleted = result.deleted.length;
    errors.push(...result.notCreated.map((n) => `not created ${n.name}: ${n.reason}`));
    errors.push(...result.notDeleted.map((n) => `not deleted ${n.name}: ${n.reason}`));
  } catch (err) {
    errors.push(`rotation failed: ${(err as Error).name}: ${(err as Error).message}`);
  }
  const wallSeconds = (performance.now() - start) / 1000;
  const stats = proxy.stats();
  client.destroy();
  await proxy.close();
  const listPages = count(stats, 'ListDeliveryStreams');
  const byOperation: Record<string, number> = {};
  for (const op of new Set([...Object.keys(stats.accepted), ...Object.keys(stats.throttled)])) {
    byOperation[op] = count(stats, op);
  }
  return {
    label: scenario.label,
    wallSeconds,
    calls: acceptedCalls(stats) + throttledCalls(stats),
    floorCalls: listPages + created + deleted,
    listPages,
    created,
    deleted,
    throttled: throttledCalls(stats),
    errors,
    byOperation,
    maxInWindow: stats.maxInWindow,
  };
}

/** The wall-time floor: every call the run made, back to back at the rate limit. */
export const wallFloorSeconds = (r: RotationResult) => r.calls / CONTROL_PLANE_CALLS_PER_SECOND;

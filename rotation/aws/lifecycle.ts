// What the rotation function does with a lifecycle event from Pulumi's aws.lambda.Invocation (CRUD
// scope). The provider sends tf.action = "delete" both on `pulumi destroy` and when it replaces the
// invocation (a new function, `--replace`, a changed qualifier): it creates the new invocation,
// then deletes the old one. Only the destroy may tear down. On destroy Pulumi deletes the schedule
// first (it depends on the invocation), so a schedule that still exists means a replacement.
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { rotationScheduleName } from '../core/names';
import { RotationSettings } from '../core/settings';
import { RotationDeps } from './executor';
import { destroyTeardown, TeardownOptions, TeardownResult } from './teardown';

/** The schedule group the rotation's schedule lives in (components/rotation.ts). */
export const SCHEDULE_GROUP = 'default';

export async function scheduleExists(scheduler: SchedulerClient, s: RotationSettings): Promise<boolean> {
  try {
    await scheduler.send(
      new GetScheduleCommand({ Name: rotationScheduleName(s.streamPrefix), GroupName: SCHEDULE_GROUP }),
    );
    return true;
  } catch (err) {
    // Anything else (AccessDenied, throttling) fails the invocation: guessing "destroy" would
    // delete live streams, guessing "replacement" would leak them silently.
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return false;
    throw err;
  }
}

export type LifecycleDeleteOutcome =
  { action: 'replaced'; deleted: []; schedule: string } | ({ action: 'teardown' } & TeardownResult);

/** A lifecycle delete: a no-op while the schedule exists, the full teardown once it is gone. */
export async function onLifecycleDelete(
  deps: RotationDeps & { scheduler: SchedulerClient },
  s: RotationSettings,
  opts: TeardownOptions,
): Promise<LifecycleDeleteOutcome> {
  if (await scheduleExists(deps.scheduler, s)) {
    return { action: 'replaced', deleted: [], schedule: rotationScheduleName(s.streamPrefix) };
  }
  return { action: 'teardown', ...(await destroyTeardown(deps, s, opts)) };
}

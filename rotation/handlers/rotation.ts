// Rotation Lambda: scheduled hourly, invoked at deploy time (bootstrap) and at destroy time
// (teardown, via aws.lambda.Invocation's CRUD lifecycle, which sends `tf.action = "delete"`).
import { DateTime } from 'luxon';
import { parseSettings, SETTINGS_ENV } from '../core/settings';
import { controlPlaneClient } from '../aws/firehose-clients';
import { rotate, teardown } from '../aws/executor';

const settings = parseSettings(JSON.parse(process.env[SETTINGS_ENV] ?? '{}'));
const client = controlPlaneClient();

export interface RotationEvent {
  action?: 'rotate' | 'teardown';
  tf?: { action?: 'create' | 'update' | 'delete' };
}

export const handler = async (event: RotationEvent = {}) => {
  const deps = { client, now: () => DateTime.utc() };
  if (event.action === 'teardown' || event.tf?.action === 'delete') {
    const result = await teardown(deps, settings);
    console.log(JSON.stringify({ message: 'teardown', ...result }));
    return { action: 'teardown', deleted: result.deleted, notDeleted: result.notDeleted };
  }
  const { plan, result } = await rotate(deps, settings);
  const summary = {
    action: 'rotate',
    created: result.created,
    deleted: result.deleted,
    kept: plan.keeps.length,
    // Hour keys of hours left without a stream, nearest first.
    shortfall: [...result.notCreated.map((n) => n.name.slice(settings.streamPrefix.length + 1)), ...plan.shortfall],
    conflicts: plan.conflicts,
    quota: plan.quota,
    streamsAfter: plan.countBefore - result.deleted.length + result.created.length,
  };
  console.log(JSON.stringify({ message: 'rotation', ...summary, notDeleted: result.notDeleted }));
  return summary;
};

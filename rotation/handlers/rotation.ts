// Rotation Lambda: scheduled hourly, invoked at deploy time (bootstrap) and at destroy time
// (teardown, via aws.lambda.Invocation's CRUD lifecycle, which sends `tf.action = "delete"`).
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DateTime } from 'luxon';
import { parseSettings, SETTINGS_ENV } from '../core/settings';
import { summarize } from '../core/rotation-summary';
import { controlPlaneClient } from '../aws/firehose-clients';
import { rotate, teardown } from '../aws/executor';
import { METRIC_NAMESPACE, ROTATION_METRICS as M, SERVICE } from '../core/metric-contract';

const settings = parseSettings(JSON.parse(process.env[SETTINGS_ENV] ?? '{}'));
const client = controlPlaneClient();
const signals = { s3: new S3Client({}), events: new EventBridgeClient({}) };
const logger = new Logger({ serviceName: 'firehose-rotation' });
const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE.rotation });

export interface RotationEvent {
  action?: 'rotate' | 'teardown';
  tf?: { action?: 'create' | 'update' | 'delete' };
}

export const handler = async (event: RotationEvent = {}) => {
  const deps = { client, signals, now: () => DateTime.utc() };
  if (event.action === 'teardown' || event.tf?.action === 'delete') {
    const result = await teardown(deps, settings);
    logger.info('teardown', { deleted: result.deleted, notDeleted: result.notDeleted });
    return { action: 'teardown', deleted: result.deleted, notDeleted: result.notDeleted };
  }
  const { plan, result } = await rotate(deps, settings);
  const summary = summarize(plan, result, settings.streamPrefix);
  logger.info('rotation', { ...summary });
  metrics.addMetric(M.streamsCreated, MetricUnit.Count, summary.created.length);
  metrics.addMetric(M.streamsDeleted, MetricUnit.Count, summary.deleted.length);
  metrics.addMetric(M.hoursCompleted, MetricUnit.Count, summary.completed.length);
  metrics.addMetric(M.shortfall, MetricUnit.Count, summary.shortfall.length);
  metrics.addMetric(M.tomorrowMissing, MetricUnit.Count, summary.tomorrowMissing);
  metrics.addMetric(M.quotaHeadroom, MetricUnit.Count, summary.quotaHeadroom);
  metrics.addMetric(M.ownershipConflicts, MetricUnit.Count, summary.conflicts.length);
  metrics.addMetric(M.hourSignalsFailed, MetricUnit.Count, summary.signalFailures.length);
  metrics.addMetric(M.succeeded, MetricUnit.Count, 1); // the heartbeat
  metrics.publishStoredMetrics();
  return summary;
};

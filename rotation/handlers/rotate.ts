// Rotation Lambda: scheduled hourly, and invoked by the lifecycle resource with `deploy` (record its
// lifecycle id, then rotate: the bootstrap) and `destroy` (tear down unless superseded); see
// aws/lifecycle.ts. A legacy aws.lambda.Invocation's `tf.action = "delete"` is logged and ignored.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DateTime } from 'luxon';
import { settingsFromEnvironment } from '../core/settings';
import { summarize } from '../core/rotation-summary';
import { controlPlaneClient } from '../aws/firehose-clients';
import { rotate, teardown } from '../aws/executor';
import { lifecycleStep, RotationEvent } from '../aws/lifecycle';
import { metricsOptions, ROTATION_METRICS as M, SERVICE } from '../core/metric-contract';

const settings = settingsFromEnvironment(process.env);
const client = controlPlaneClient();
const signals = { s3: new S3Client({}), events: new EventBridgeClient({}) };
const quotas = new ServiceQuotasClient({});
const logger = new Logger({ serviceName: 'firehose-rotation' });
const metrics = new Metrics(metricsOptions(SERVICE.rotation, settings.deploymentId));

export type { RotationEvent };

export const handler = async (
  event: RotationEvent = {},
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
) => {
  const log = (line: string) => logger.warn(line);
  const deps = { client, signals, quotas, log, now: () => DateTime.utc() };
  const remainingMs = context?.getRemainingTimeInMillis() ?? 900_000;
  const answer = await lifecycleStep(
    {
      ...deps,
      s3: signals.s3,
      info: (line: string, extra?: object) => logger.info(line, { ...extra }),
      error: (line: string) => logger.error(line),
    },
    settings,
    event,
    remainingMs,
  );
  if (answer) return answer;
  if (event.action === 'teardown') {
    const result = await teardown(deps, settings);
    logger.info('teardown', { deleted: result.deleted, notDeleted: result.notDeleted });
    return { action: 'teardown', deleted: result.deleted, notDeleted: result.notDeleted };
  }
  const { plan, result } = await rotate(deps, settings);
  const summary = summarize(plan, result);
  logger.info('rotation', { ...summary });
  if (summary.fallbackMissing) logger.error(`fallback stream ${settings.fallbackStreamName} does not exist`);
  metrics.addMetric(M.streamsCreated, MetricUnit.Count, summary.created.length);
  metrics.addMetric(M.streamsDeleted, MetricUnit.Count, summary.deleted.length);
  metrics.addMetric(M.hoursCompleted, MetricUnit.Count, summary.completed.length);
  metrics.addMetric(M.shortfall, MetricUnit.Count, summary.shortfall.length);
  metrics.addMetric(M.tomorrowMissing, MetricUnit.Count, summary.tomorrowMissing);
  metrics.addMetric(M.quotaHeadroom, MetricUnit.Count, summary.quotaHeadroom);
  metrics.addMetric(M.streamsInRegion, MetricUnit.Count, summary.streamsAfter);
  metrics.addMetric(M.ownershipConflicts, MetricUnit.Count, summary.conflicts.length);
  metrics.addMetric(M.nearTermShortfall, MetricUnit.Count, summary.nearTermShortfall);
  metrics.addMetric(M.fallbackMissing, MetricUnit.Count, summary.fallbackMissing ? 1 : 0);
  metrics.addMetric(M.hourSignalsFailed, MetricUnit.Count, summary.signalFailures.length);
  metrics.addMetric(M.deploymentsInRegion, MetricUnit.Count, summary.sharing.deployments);
  metrics.addMetric(M.liveWindowsOverQuota, MetricUnit.Count, summary.sharing.needsFit ? 0 : 1);
  metrics.addMetric(M.orphansRefused, MetricUnit.Count, summary.orphans.refused.length);
  metrics.addMetric(M.succeeded, MetricUnit.Count, 1); // the heartbeat
  metrics.publishStoredMetrics();
  return summary;
};

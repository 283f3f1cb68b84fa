// Router Lambda: Kinesis batch in, each record to the Firehose stream of its event hour (or the
// fallback), failures back to Kinesis as batchItemFailures. The work is routeBatch's; this file
// only wires the real clock, client, logger and settings.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { DateTime } from 'luxon';
import '../core/luxon-strict'; // the delivery deadline is luxon arithmetic: throws, never NaN
import { settingsFromEnvironment } from '../core/settings';
import { publishRouterMetrics } from '../aws/router-metrics';
import { routeBatch } from './route-batch';
import { metricsOptions, SERVICE } from '../core/metric-contract';

export { routeBatch } from './route-batch';
export type { RouteBatchResult, RouterDeps, RouterLog } from './route-batch';

/** Time kept back from the Lambda timeout for the summary log and the response. */
export const SAFETY_MARGIN_MS = 3_000;

// Module scope: parsed and built once per container, so a bad setting fails the first invocation.
const settings = settingsFromEnvironment(process.env);
const client = new FirehoseClient({});
const logger = new Logger({ serviceName: 'firehose-rotation-router' });
const metrics = new Metrics(metricsOptions(SERVICE.router, settings.deploymentId));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const handler = async (
  event: KinesisStreamEvent,
  context: Context,
): Promise<KinesisStreamBatchResponse> => {
  const now = () => DateTime.utc();
  const deadline = now().plus({ milliseconds: context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS });
  const { response, counts } = await routeBatch(
    event,
    { client, now, sleep, deadline, log: logger },
    settings,
  );
  publishRouterMetrics(metrics, counts);
  return response;
};

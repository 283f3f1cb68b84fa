// Placer Lambda: an S3 notification for a new fallback object in, its late and early records
// written into their event-time partitions (aws/placer.ts). This file only wires the clock,
// clients, logger, metrics and settings. A failure throws: Lambda retries the event, then the DLQ.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { DateTime } from 'luxon';
import { metricsOptions, SERVICE } from '../core/metric-contract';
import { settingsFromEnvironment } from '../core/settings';
import { placeS3Event } from '../aws/placer-event';
import { publishPlacerError, publishPlacerMetrics } from '../aws/placer-metrics';

const settings = settingsFromEnvironment(process.env);
const clients = { s3: new S3Client({}), events: new EventBridgeClient({}) };
const logger = new Logger({ serviceName: 'firehose-rotation-placer' });
const metrics = new Metrics(metricsOptions(SERVICE.placer, settings.deploymentId));

export const handler = async (event: S3Event) => {
  try {
    const totals = await placeS3Event({ clients, now: () => DateTime.utc() }, settings, event);
    logger.info('placed', { ...totals });
    publishPlacerMetrics(metrics, totals);
    return totals;
  } catch (err) {
    logger.error('placer failed; Lambda retries the event', err as Error);
    publishPlacerError(metrics);
    throw err;
  }
};

// The placer's alarms, added to the Alarms component's topic when the placer exists: invocations
// that keep failing (Lambda retries each one twice), and S3 events that gave up in the dead-letter
// queue (their objects' late records are not placed until someone replays them: docs/operations.md).
import * as pulumi from '@pulumi/pulumi';
import { METRIC_NAMESPACE, PLACER_METRICS } from '../rotation/core/metric-contract';
import type { AlarmSpec } from './alarms';

export function placerAlarmSpecs(
  placer: { functionName: pulumi.Input<string>; deadLetterQueueName: pulumi.Input<string> },
  dimensions: Record<string, pulumi.Input<string>>,
): Record<string, AlarmSpec> {
  return {
    'placer-errors': {
      alarmDescription:
        'The placer failed in two 5-minute periods in a row (Lambda retries each event twice, then the ' +
        "DLQ): read the placer's logs; late and early records stay in the fallback until placed.",
      namespace: METRIC_NAMESPACE,
      metricName: PLACER_METRICS.errors,
      dimensions,
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 2,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    },
    'placer-dead-letters': {
      alarmDescription:
        'S3 events the placer gave up on are in its dead-letter queue: fix the cause, then replay them ' +
        '(docs/operations.md, "Placer dead letters").',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: placer.deadLetterQueueName },
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    },
  };
}

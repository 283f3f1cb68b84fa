// The router's CloudWatch metrics (Embedded Metric Format through Powertools): what the alarms
// and the runbook read. Per-reason fallback counts carry a `reason` dimension; destinations are
// reported as hourly vs fallback rather than per stream, to keep metric cardinality fixed. The
// `service` and `deployment` dimensions are the Metrics' defaults (metricsOptions), which Powertools
// copies into each singleMetric too.
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryCounts } from './delivery';
import { REASON_DIMENSION, ROUTER_METRICS as M } from '../core/metric-contract';

type MetricSink = Pick<Metrics, 'addMetric' | 'publishStoredMetrics'> & {
  singleMetric(): Pick<Metrics, 'addMetric' | 'addDimension'>;
};

export function publishRouterMetrics(metrics: MetricSink, counts: DeliveryCounts): void {
  const hourly = counts.perReason.hourly ?? 0;
  const fallback = counts.delivered - hourly;
  metrics.addMetric(M.recordsIn, MetricUnit.Count, counts.records);
  metrics.addMetric(M.recordsToHourly, MetricUnit.Count, hourly);
  metrics.addMetric(M.fallbackRecords, MetricUnit.Count, fallback);
  metrics.addMetric(M.failedAfterRetries, MetricUnit.Count, counts.failed);
  metrics.addMetric(M.putRecordBatchCalls, MetricUnit.Count, counts.calls);
  metrics.publishStoredMetrics();
  for (const [reason, n] of Object.entries(counts.perReason)) {
    if (reason === 'hourly') continue;
    const single = metrics.singleMetric();
    single.addDimension(REASON_DIMENSION, reason);
    single.addMetric(M.fallbackByReason, MetricUnit.Count, n);
  }
  for (const [reason, n] of Object.entries(counts.perFailure)) {
    const single = metrics.singleMetric();
    single.addDimension(REASON_DIMENSION, reason);
    single.addMetric(M.failedByReason, MetricUnit.Count, n);
  }
}

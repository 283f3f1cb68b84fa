// The placer's CloudWatch metrics (Embedded Metric Format through Powertools): records placed and
// kept, objects written, hours amended, errors. Kept lines carry a `reason` dimension, as the
// router's fallback counts do; the `service` and `deployment` dimensions are the Metrics' defaults.
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { PLACER_METRICS as M, REASON_DIMENSION } from '../core/metric-contract';
import type { PlacerTotals } from './placer-event';

type MetricSink = Pick<Metrics, 'addMetric' | 'publishStoredMetrics'> & {
  singleMetric(): Pick<Metrics, 'addMetric' | 'addDimension'>;
};

export function publishPlacerMetrics(metrics: MetricSink, t: PlacerTotals): void {
  metrics.addMetric(M.recordsPlaced, MetricUnit.Count, t.placed);
  metrics.addMetric(M.recordsKept, MetricUnit.Count, t.kept);
  metrics.addMetric(M.objectsWritten, MetricUnit.Count, t.objectsWritten);
  metrics.addMetric(M.hoursAmended, MetricUnit.Count, t.hoursAmended);
  metrics.addMetric(M.errors, MetricUnit.Count, 0);
  metrics.publishStoredMetrics();
  for (const [reason, n] of Object.entries(t.keptByReason)) {
    const single = metrics.singleMetric();
    single.addDimension(REASON_DIMENSION, reason);
    single.addMetric(M.keptByReason, MetricUnit.Count, n);
  }
}

/** A failed invocation: 1 error, so the alarm sees failures even before Lambda's own metric. */
export function publishPlacerError(metrics: MetricSink): void {
  metrics.addMetric(M.errors, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

// The pieces of the dashboard body: metric rows in CloudWatch's array format, the SEARCH expressions
// for metrics whose dimension values are open (reasons, hourly stream names), and the widget shape.
// Our metrics are named only through the metric contract, which the handlers and alarms share.
// Format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
import {
  METRIC_NAMESPACE as NS,
  REASON_DIMENSION,
  SERVICE,
  SERVICE_DIMENSION,
  DEPLOYMENT_DIMENSION,
} from '../rotation/core/metric-contract';

/** What the body points at, all resolved: names of deployed resources and alarm ARNs by alarm id. */
export interface DashboardTargets {
  region: string;
  streamPrefix: string;
  deploymentId: string;
  routerFunctionName: string;
  rotationFunctionName: string;
  eventSourceMappingUuid: string;
  fallbackStreamName: string;
  alarmArns: Record<string, string>;
}

/** The alarm each graph draws (CloudWatch allows one alarm annotation per metric widget). */
export const DASHBOARD_ALARMS = [
  'quota-headroom',
  'tomorrow-not-ready',
  'fallback-volume',
  'router-errors',
  'on-failure-deliveries',
  'router-iterator-age',
  'router-throttled',
  'fallback-freshness',
  'rotation-heartbeat',
  'rotation-errors',
  'ownership-conflict',
  'near-term-shortfall',
  'fallback-missing',
  'hour-signal-failed',
  'orphan-streams',
] as const;
export type DashboardAlarm = (typeof DASHBOARD_ALARMS)[number];

export type MetricOptions = {
  id?: string;
  stat?: string;
  label?: string;
  visible?: boolean;
  yAxis?: 'right';
};
/** A metric row: namespace, name, dimension pairs, options; or an expression with its options. */
export type MetricRow = (string | MetricOptions)[] | [{ expression: string } & MetricOptions];

export interface Widget {
  type: 'metric' | 'text' | 'alarm';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** namespace, name, dimension pairs, then the options only when there are some. */
export function metric(
  namespace: string,
  name: string,
  dimensions: string[],
  options: MetricOptions = {},
): MetricRow {
  return [namespace, name, ...dimensions, ...(Object.keys(options).length > 0 ? [options] : [])];
}
/** Our metrics carry the service and the deployment (stacks sharing an account publish apart). */
const ours = (service: string, deploymentId: string) => (name: string, options?: MetricOptions) =>
  metric(NS, name, [SERVICE_DIMENSION, service, DEPLOYMENT_DIMENSION, deploymentId], options);
export const rotationOf = (deploymentId: string) => ours(SERVICE.rotation, deploymentId);
export const routerOf = (deploymentId: string) => ours(SERVICE.router, deploymentId);
export const expression = (expr: string, options: MetricOptions): MetricRow => [
  { expression: expr, ...options },
];

/**
 * One line per value of `reason`: new reasons appear on the graph without a change here. The
 * deployment is pinned exactly (deploymentIds hold no quote), so another stack's reasons stay off.
 */
export function byReason(name: string, deploymentId: string, period: number): string {
  const schema = `{${NS},${DEPLOYMENT_DIMENSION},${REASON_DIMENSION},${SERVICE_DIMENSION}}`;
  const terms = `MetricName="${name}" ${SERVICE_DIMENSION}="${SERVICE.router}" ${DEPLOYMENT_DIMENSION}="${deploymentId}"`;
  return `SEARCH('${schema} ${terms}', 'Sum', ${period})`;
}

/**
 * Throttled records summed over the hourly streams, whose names change every hour. An unquoted
 * search term matches name tokens (split at "-"), so the prefix finds `<prefix>-yyyyMMddHH` (and any
 * other stream whose name has that token, e.g. another stack's `<prefix>-dev-…`: this graph is an
 * upper bound). The fallback is excluded by its exact name and graphed on its own.
 */
export function hourlyThrottles(streamPrefix: string, fallbackStreamName: string, period: number): string {
  const terms = `MetricName="ThrottledRecords" DeliveryStreamName=${streamPrefix} NOT DeliveryStreamName="${fallbackStreamName}"`;
  return `SUM(SEARCH('{AWS/Firehose,DeliveryStreamName} ${terms}', 'Sum', ${period}))`;
}

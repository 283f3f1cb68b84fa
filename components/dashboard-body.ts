// The CloudWatch dashboard body as data: which metrics each widget graphs and where it sits. Pure
// (no Pulumi): the Dashboard component resolves names and ARNs, then serializes this. Every metric of
// ours is named through the metric contract, the same constants the handlers emit and the alarms
// read; AWS's own metrics are those the alarms watch plus Firehose's ThrottledRecords.
// Body format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
import {
  METRIC_NAMESPACE as NS,
  REASON_DIMENSION,
  ROTATION_METRICS as ROT,
  ROUTER_METRICS as RTR,
  SERVICE,
  SERVICE_DIMENSION,
} from '../rotation/core/metric-contract';

/** What the body points at, all resolved: names of deployed resources and alarm ARNs by alarm id. */
export interface DashboardTargets {
  region: string;
  streamPrefix: string;
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
  'fallback-freshness',
  'rotation-heartbeat',
  'rotation-errors',
  'ownership-conflict',
] as const;
export type DashboardAlarm = (typeof DASHBOARD_ALARMS)[number];

type MetricOptions = { id?: string; stat?: string; label?: string; visible?: boolean; yAxis?: 'right' };
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

const HOUR = 3600;
const FIVE_MINUTES = 300;

/** namespace, name, dimension pairs, then the options only when there are some. */
function metric(
  namespace: string,
  name: string,
  dimensions: [string, string],
  options: MetricOptions = {},
): MetricRow {
  return [namespace, name, ...dimensions, ...(Object.keys(options).length > 0 ? [options] : [])];
}
const ours = (service: string, name: string, options?: MetricOptions) =>
  metric(NS, name, [SERVICE_DIMENSION, service], options);
const rotation = (name: string, options?: MetricOptions) => ours(SERVICE.rotation, name, options);
const router = (name: string, options?: MetricOptions) => ours(SERVICE.router, name, options);
const expression = (expr: string, options: MetricOptions): MetricRow => [{ expression: expr, ...options }];

/** One line per value of `reason`: new reasons appear on the graph without a change here. */
export function byReason(metric: string, period: number): string {
  const schema = `{${NS},${REASON_DIMENSION},${SERVICE_DIMENSION}}`;
  return `SEARCH('${schema} MetricName="${metric}" ${SERVICE_DIMENSION}="${SERVICE.router}"', 'Sum', ${period})`;
}

/**
 * Throttled records summed over the hourly streams, whose names change every hour. An unquoted
 * search term matches name tokens (split at "-"), so the prefix finds `<prefix>-yyyyMMddHH`; the
 * fallback, which may share the prefix token, is excluded by its exact name and graphed on its own.
 */
export function hourlyThrottles(streamPrefix: string, fallbackStreamName: string, period: number): string {
  const terms = `MetricName="ThrottledRecords" DeliveryStreamName=${streamPrefix} NOT DeliveryStreamName="${fallbackStreamName}"`;
  return `SUM(SEARCH('{AWS/Firehose,DeliveryStreamName} ${terms}', 'Sum', ${period}))`;
}

export function dashboardBody(t: DashboardTargets): { widgets: Widget[] } {
  const alarm = (id: DashboardAlarm) => {
    const arn = t.alarmArns[id];
    if (!arn) throw new Error(`Dashboard: no ARN for alarm ${id}`);
    return arn;
  };
  const lambda = (fn: string, name: string, options?: MetricOptions) =>
    metric('AWS/Lambda', name, ['FunctionName', fn], options);
  const firehose = (name: string, options?: MetricOptions) =>
    metric('AWS/Firehose', name, ['DeliveryStreamName', t.fallbackStreamName], options);
  const graph = (
    title: string,
    period: number,
    stat: string,
    metrics: MetricRow[],
    alarmId?: DashboardAlarm,
  ): Record<string, unknown> => ({
    title,
    view: 'timeSeries',
    stacked: false,
    region: t.region,
    period,
    stat,
    metrics,
    ...(alarmId ? { annotations: { alarms: [alarm(alarmId)] } } : {}),
  });

  // Rows of graphs, each row filling the 24-column grid with equal widths.
  const rows: Record<string, unknown>[][] = [
    [
      graph('Streams in the Region vs the quota', HOUR, 'Maximum', [
        rotation(ROT.streamsInRegion, { id: 'streams', label: 'streams in the Region' }),
        rotation(ROT.quotaHeadroom, { id: 'headroom', stat: 'Minimum', visible: false }),
        expression('streams + headroom', { id: 'quota', label: 'quota' }),
      ]),
      graph('Quota headroom', HOUR, 'Minimum', [rotation(ROT.quotaHeadroom)], 'quota-headroom'),
      graph(
        "Tomorrow's missing streams",
        HOUR,
        'Maximum',
        [rotation(ROT.tomorrowMissing), rotation(ROT.shortfall, { label: 'shortfall (all hours)' })],
        'tomorrow-not-ready',
      ),
    ],
    [
      graph(
        'Router records: hourly vs fallback',
        FIVE_MINUTES,
        'Sum',
        [router(RTR.recordsIn), router(RTR.recordsToHourly), router(RTR.fallbackRecords)],
        'fallback-volume',
      ),
      graph('Fallback records by reason', FIVE_MINUTES, 'Sum', [
        expression(byReason(RTR.fallbackByReason, FIVE_MINUTES), { id: 'reasons', label: '' }),
      ]),
      graph(
        'Router failures',
        FIVE_MINUTES,
        'Sum',
        [
          router(RTR.failedAfterRetries),
          expression(byReason(RTR.failedByReason, FIVE_MINUTES), { id: 'failures', label: '' }),
          lambda(t.routerFunctionName, 'Errors', { label: 'invocation errors' }),
        ],
        'router-errors',
      ),
      graph(
        'Records sent to the on-failure destination',
        FIVE_MINUTES,
        'Sum',
        [
          metric('AWS/Lambda', 'OnFailureDestinationDeliveredEventCount', [
            'EventSourceMappingUUID',
            t.eventSourceMappingUuid,
          ]),
        ],
        'on-failure-deliveries',
      ),
    ],
    [
      graph(
        'Router iterator age (ms)',
        FIVE_MINUTES,
        'Maximum',
        [lambda(t.routerFunctionName, 'IteratorAge')],
        'router-iterator-age',
      ),
      graph('PutRecordBatch throttling', FIVE_MINUTES, 'Sum', [
        expression(hourlyThrottles(t.streamPrefix, t.fallbackStreamName, FIVE_MINUTES), {
          id: 'hourly',
          label: 'throttled records, hourly streams',
        }),
        firehose('ThrottledRecords', { label: 'throttled records, fallback' }),
        router(RTR.putRecordBatchCalls, { yAxis: 'right', label: 'PutRecordBatch calls' }),
      ]),
      graph(
        'Fallback stream DataFreshness (s)',
        FIVE_MINUTES,
        'Maximum',
        [firehose('DeliveryToS3.DataFreshness')],
        'fallback-freshness',
      ),
    ],
    [
      graph('Rotation heartbeat', HOUR, 'Sum', [rotation(ROT.succeeded)], 'rotation-heartbeat'),
      graph('Rotation errors', HOUR, 'Sum', [lambda(t.rotationFunctionName, 'Errors')], 'rotation-errors'),
      graph('Ownership conflicts', HOUR, 'Maximum', [rotation(ROT.ownershipConflicts)], 'ownership-conflict'),
      graph('Hours completed', HOUR, 'Sum', [
        rotation(ROT.hoursCompleted),
        rotation(ROT.streamsCreated),
        rotation(ROT.streamsDeleted),
      ]),
    ],
  ];

  const widgets: Widget[] = [
    {
      type: 'text',
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: {
        markdown:
          `## firehose-rotation: \`${t.streamPrefix}-yyyyMMddHH\` in ${t.region}\n` +
          'Managed by Pulumi (edits here are overwritten). Runbook: docs/operations.md; ' +
          'the hours at a glance: `firehose-rotation status --timeline`.',
      },
    },
    {
      type: 'alarm',
      x: 0,
      y: 2,
      width: 24,
      height: 3,
      properties: { title: 'Alarms', alarms: DASHBOARD_ALARMS.map(alarm) },
    },
  ];
  const GRAPH_HEIGHT = 6;
  rows.forEach((row, r) => {
    const width = 24 / row.length;
    row.forEach((properties, i) =>
      widgets.push({
        type: 'metric',
        x: i * width,
        y: 5 + r * GRAPH_HEIGHT,
        width,
        height: GRAPH_HEIGHT,
        properties,
      }),
    );
  });
  return { widgets };
}

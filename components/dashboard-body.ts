// The CloudWatch dashboard body as data: which metrics each widget graphs and where it sits. Pure
// (no Pulumi): the Dashboard component resolves names and ARNs, then serializes this. AWS's own
// metrics are those the alarms watch plus Firehose's ThrottledRecords.
import { ROTATION_METRICS as ROT, ROUTER_METRICS as RTR } from '../rotation/core/metric-contract';
import {
  byReason,
  DASHBOARD_ALARMS,
  DashboardAlarm,
  DashboardTargets,
  expression,
  hourlyThrottles,
  metric,
  MetricOptions,
  MetricRow,
  rotationOf,
  routerOf,
  Widget,
} from './dashboard-widgets';

export { DASHBOARD_ALARMS } from './dashboard-widgets';
export type { DashboardTargets, Widget } from './dashboard-widgets';

const HOUR = 3600;
const FIVE_MINUTES = 300;

export function dashboardBody(t: DashboardTargets): { widgets: Widget[] } {
  const rotation = rotationOf(t.deploymentId);
  const router = routerOf(t.deploymentId);
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
        expression(byReason(RTR.fallbackByReason, t.deploymentId, FIVE_MINUTES), {
          id: 'reasons',
          label: '',
        }),
      ]),
      graph(
        'Router failures',
        FIVE_MINUTES,
        'Sum',
        [
          router(RTR.failedAfterRetries),
          expression(byReason(RTR.failedByReason, t.deploymentId, FIVE_MINUTES), {
            id: 'failures',
            label: '',
          }),
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
        'Router throttled share (%)',
        FIVE_MINUTES,
        'Sum',
        [
          router(RTR.recordsThrottled, { id: 'throttled', visible: false }),
          router(RTR.recordsIn, { id: 'records', visible: false }),
          expression('100 * throttled / records', { id: 'share', label: 'throttled share (%)' }),
        ],
        'router-throttled',
      ),
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
      // Sharing the quota (docs/sharing.md): who is here, whether all live windows fit, and
      // streams of ours by tag that the role could not delete.
      graph(
        'Sharing the Region',
        HOUR,
        'Maximum',
        [rotation(ROT.deploymentsInRegion), rotation(ROT.liveWindowsOverQuota), rotation(ROT.orphansRefused)],
        'orphan-streams',
      ),
    ],
    [
      graph(
        'Current/next hours without a stream',
        HOUR,
        'Maximum',
        [rotation(ROT.nearTermShortfall)],
        'near-term-shortfall',
      ),
      graph('Fallback stream missing', HOUR, 'Maximum', [rotation(ROT.fallbackMissing)], 'fallback-missing'),
      graph('Hour signals failed', HOUR, 'Sum', [rotation(ROT.hourSignalsFailed)], 'hour-signal-failed'),
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

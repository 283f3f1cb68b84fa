// The CloudWatch dashboard body as data: which metrics each widget graphs and where it sits. Pure
// (no Pulumi calls): the Dashboard component resolves names and ARNs, then serializes this. AWS's
// own metrics are those the alarms watch plus Firehose's ThrottledRecords.
// Two kinds of graph, as AWS's Dashboard Body Structure reference describes the metric widget:
// a `metrics` graph ("metrics (without alarms)"), and an alarm graph, `annotations.alarms` with one
// alarm and no `metrics`, on which CloudWatch draws what the alarm watches and its threshold.
// test/components/dashboard-schema.ts holds the body to that reference.
import {
  PLACER_METRICS as PLC,
  ROTATION_METRICS as ROT,
  ROUTER_METRICS as RTR,
} from '../rotation/core/metric-contract';
import { ALARM_IDS, AlarmId, PLACER_ALARM_IDS } from './alarms';
import {
  byReason,
  DashboardTargets,
  expression,
  hourlyThrottles,
  metric,
  MetricOptions,
  MetricRow,
  placerOf,
  rotationOf,
  routerOf,
  Widget,
} from './dashboard-widgets';

export type { DashboardTargets, Widget } from './dashboard-widgets';

const HOUR = 3600;
const FIVE_MINUTES = 300;

export function dashboardBody(t: DashboardTargets): { widgets: Widget[] } {
  const rotation = rotationOf(t.deploymentId);
  const router = routerOf(t.deploymentId);
  const alarm = (id: AlarmId) => {
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
  ): Record<string, unknown> => ({
    title,
    view: 'timeSeries',
    stacked: false,
    region: t.region,
    period,
    stat,
    metrics,
  });
  const graphed = new Set<AlarmId>();
  const alarmGraph = (title: string, id: AlarmId): Record<string, unknown> => {
    graphed.add(id);
    return {
      title,
      view: 'timeSeries',
      stacked: false,
      region: t.region,
      annotations: { alarms: [alarm(id)] },
    };
  };

  const placer = placerOf(t.deploymentId);
  const placerRow = (p: NonNullable<DashboardTargets['placer']>) => [
    graph('Placer: late and early records placed vs kept', FIVE_MINUTES, 'Sum', [
      placer(PLC.recordsPlaced),
      placer(PLC.recordsKept),
      placer(PLC.hoursAmended, { yAxis: 'right', label: 'complete hours amended' }),
    ]),
    graph('Placer errors and invocation errors', FIVE_MINUTES, 'Sum', [
      placer(PLC.errors),
      lambda(p.functionName, 'Errors', { label: 'invocation errors' }),
    ]),
    alarmGraph('Placer errors', 'placer-errors'),
    alarmGraph('Placer dead letters', 'placer-dead-letters'),
  ];

  // Rows of graphs, each row filling the 24-column grid with equal widths; a context graph sits
  // beside the alarm graph it explains.
  const rows: Record<string, unknown>[][] = [
    [
      graph('Streams in the Region vs the quota', HOUR, 'Maximum', [
        rotation(ROT.streamsInRegion, { id: 'streams', label: 'streams in the Region' }),
        rotation(ROT.quotaHeadroom, { id: 'headroom', stat: 'Minimum', visible: false }),
        expression('streams + headroom', { id: 'quota', label: 'quota' }),
      ]),
      alarmGraph('Quota headroom', 'quota-headroom'),
      graph('Streams missing: tomorrow and all hours', HOUR, 'Maximum', [
        rotation(ROT.tomorrowMissing),
        rotation(ROT.shortfall, { label: 'shortfall (all hours)' }),
      ]),
      alarmGraph("Tomorrow's missing streams", 'tomorrow-not-ready'),
    ],
    [
      graph('Router records: hourly vs fallback', FIVE_MINUTES, 'Sum', [
        router(RTR.recordsIn),
        router(RTR.recordsToHourly),
        router(RTR.fallbackRecords),
      ]),
      alarmGraph('Fallback records', 'fallback-volume'),
      graph('Fallback records by reason', FIVE_MINUTES, 'Sum', [
        expression(byReason(RTR.fallbackByReason, t.deploymentId, FIVE_MINUTES), {
          id: 'reasons',
          label: '',
        }),
      ]),
      alarmGraph('Records sent to the on-failure destination', 'on-failure-deliveries'),
    ],
    [
      graph('Router failures', FIVE_MINUTES, 'Sum', [
        router(RTR.failedAfterRetries),
        expression(byReason(RTR.failedByReason, t.deploymentId, FIVE_MINUTES), {
          id: 'failures',
          label: '',
        }),
        lambda(t.routerFunctionName, 'Errors', { label: 'invocation errors' }),
      ]),
      alarmGraph('Router invocation errors', 'router-errors'),
      alarmGraph('Router iterator age (ms)', 'router-iterator-age'),
      alarmGraph('Fallback stream DataFreshness (s)', 'fallback-freshness'),
    ],
    [
      graph('PutRecordBatch throttling', FIVE_MINUTES, 'Sum', [
        expression(hourlyThrottles(t.streamPrefix, t.fallbackStreamName, FIVE_MINUTES), {
          id: 'hourly',
          label: 'throttled records, hourly streams',
        }),
        firehose('ThrottledRecords', { label: 'throttled records, fallback' }),
        router(RTR.putRecordBatchCalls, { yAxis: 'right', label: 'PutRecordBatch calls' }),
      ]),
      alarmGraph('Router throttled share (%)', 'router-throttled'),
      graph('Hours completed', HOUR, 'Sum', [
        rotation(ROT.hoursCompleted),
        rotation(ROT.streamsCreated),
        rotation(ROT.streamsDeleted),
      ]),
    ],
    [
      alarmGraph('Rotation heartbeat', 'rotation-heartbeat'),
      alarmGraph('Rotation errors', 'rotation-errors'),
      alarmGraph('Ownership conflicts', 'ownership-conflict'),
    ],
    [
      // Sharing the quota (docs/sharing.md): who is here and whether all live windows fit, beside
      // the alarm on streams of ours by tag that the role could not delete.
      graph('Sharing the Region', HOUR, 'Maximum', [
        rotation(ROT.deploymentsInRegion),
        rotation(ROT.liveWindowsOverQuota),
        rotation(ROT.orphansRefused),
      ]),
      alarmGraph('Orphan streams not deleted', 'orphan-streams'),
    ],
    [
      alarmGraph('Current/next hours without a stream', 'near-term-shortfall'),
      alarmGraph('Fallback stream missing', 'fallback-missing'),
      alarmGraph('Hour signals failed', 'hour-signal-failed'),
    ],
    ...(t.placer ? [placerRow(t.placer)] : []),
  ];
  const drawn: readonly AlarmId[] = t.placer ? [...ALARM_IDS, ...PLACER_ALARM_IDS] : ALARM_IDS;
  const ungraphed = drawn.filter((id) => !graphed.has(id));
  if (ungraphed.length > 0) throw new Error(`Dashboard: no graph for alarm ${ungraphed.join(', ')}`);

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
      properties: { title: 'Alarms', alarms: drawn.map(alarm) },
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

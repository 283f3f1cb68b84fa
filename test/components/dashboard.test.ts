// The CloudWatch dashboard under mocks: the exact body (every widget, metric and alarm), CloudWatch's
// limits, the alarm ids agreeing with the Alarms component, and the pipeline's on/off switch.
// test/integration/dashboard-metrics.moto.test.ts holds every graphed metric of ours against what
// the real handlers emit.
import { expect } from 'chai';
import { Alarms } from '../../components/alarms';
import { Dashboard, dashboardName, dashboardUrl } from '../../components/dashboard';
import { DASHBOARD_ALARMS, Widget } from '../../components/dashboard-body';
import { Pipeline } from '../../components/pipeline';
import { ROTATION_METRICS, ROUTER_METRICS } from '../../rotation/core/metric-contract';
import { expectComponentTree } from './assertions';
import { graphedMetrics } from './dashboard-metrics';
import { PIPELINE_ARGS } from './fixtures/args';
import { ACCOUNT, ofType, one, promiseOf, recordOptions, REGION, settle, useMocks } from './mocks';

const arnOf = (id: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:ops-${id}`;
const ARGS = {
  streamPrefix: 'events',
  deploymentId: 'demo/dev',
  routerFunctionName: 'router-fn',
  rotationFunctionName: 'rotation-fn',
  eventSourceMappingUuid: 'esm-uuid',
  fallbackStreamName: 'events-fallback',
  alarmArns: Object.fromEntries(DASHBOARD_ALARMS.map((id) => [id, arnOf(id)])),
};

function body(): Promise<{ widgets: Widget[] }> {
  const dashboard = one<{ dashboardBody: string }>('aws:cloudwatch/dashboard:Dashboard');
  return Promise.resolve(JSON.parse(dashboard.inputs.dashboardBody) as { widgets: Widget[] });
}

describe('Dashboard', () => {
  useMocks();

  it('lays out the header, the alarm states and 19 graphs, each alarm drawn on its graph', async () => {
    const dashboard = new Dashboard('ops', ARGS, { transformations: [recordOptions] });
    await settle();
    const { widgets } = await body();
    const alarmId = (p: Record<string, unknown>) =>
      (p.annotations as { alarms: string[] } | undefined)?.alarms
        .map((a) => a.split(':alarm:ops-')[1])
        .join();
    const table = widgets
      .filter((w) => w.type === 'metric')
      .map((w) => {
        const p = w.properties;
        return [
          `${w.x},${w.y} ${w.width}x${w.height} ${String(p.title)} (${String(p.stat)}/${String(p.period)}s) alarm=${alarmId(p) ?? '-'}`,
          ...(p.metrics as unknown[]).map((m) => `  ${JSON.stringify(m)}`),
        ].join('\n');
      });
    expect(table.join('\n')).to.equal(
      [
        '0,5 8x6 Streams in the Region vs the quota (Maximum/3600s) alarm=-',
        '  ["FirehoseRotation","StreamsInRegion","service","rotation","deployment","demo/dev",{"id":"streams","label":"streams in the Region"}]',
        '  ["FirehoseRotation","QuotaHeadroom","service","rotation","deployment","demo/dev",{"id":"headroom","stat":"Minimum","visible":false}]',
        '  [{"expression":"streams + headroom","id":"quota","label":"quota"}]',
        '8,5 8x6 Quota headroom (Minimum/3600s) alarm=quota-headroom',
        '  ["FirehoseRotation","QuotaHeadroom","service","rotation","deployment","demo/dev"]',
        "16,5 8x6 Tomorrow's missing streams (Maximum/3600s) alarm=tomorrow-not-ready",
        '  ["FirehoseRotation","TomorrowStreamsMissing","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","Shortfall","service","rotation","deployment","demo/dev",{"label":"shortfall (all hours)"}]',
        '0,11 6x6 Router records: hourly vs fallback (Sum/300s) alarm=fallback-volume',
        '  ["FirehoseRotation","RecordsIn","service","router","deployment","demo/dev"]',
        '  ["FirehoseRotation","RecordsToHourly","service","router","deployment","demo/dev"]',
        '  ["FirehoseRotation","FallbackRecords","service","router","deployment","demo/dev"]',
        '6,11 6x6 Fallback records by reason (Sum/300s) alarm=-',
        '  [{"expression":"SEARCH(\'{FirehoseRotation,deployment,reason,service} MetricName=\\"FallbackRecordsByReason\\" service=\\"router\\" deployment=\\"demo/dev\\"\', \'Sum\', 300)","id":"reasons","label":""}]',
        '12,11 6x6 Router failures (Sum/300s) alarm=router-errors',
        '  ["FirehoseRotation","FailedAfterRetries","service","router","deployment","demo/dev"]',
        '  [{"expression":"SEARCH(\'{FirehoseRotation,deployment,reason,service} MetricName=\\"FailedRecordsByReason\\" service=\\"router\\" deployment=\\"demo/dev\\"\', \'Sum\', 300)","id":"failures","label":""}]',
        '  ["AWS/Lambda","Errors","FunctionName","router-fn",{"label":"invocation errors"}]',
        '18,11 6x6 Records sent to the on-failure destination (Sum/300s) alarm=on-failure-deliveries',
        '  ["AWS/Lambda","OnFailureDestinationDeliveredEventCount","EventSourceMappingUUID","esm-uuid"]',
        '0,17 6x6 Router iterator age (ms) (Maximum/300s) alarm=router-iterator-age',
        '  ["AWS/Lambda","IteratorAge","FunctionName","router-fn"]',
        '6,17 6x6 PutRecordBatch throttling (Sum/300s) alarm=-',
        '  [{"expression":"SUM(SEARCH(\'{AWS/Firehose,DeliveryStreamName} MetricName=\\"ThrottledRecords\\" DeliveryStreamName=events NOT DeliveryStreamName=\\"events-fallback\\"\', \'Sum\', 300))","id":"hourly","label":"throttled records, hourly streams"}]',
        '  ["AWS/Firehose","ThrottledRecords","DeliveryStreamName","events-fallback",{"label":"throttled records, fallback"}]',
        '  ["FirehoseRotation","PutRecordBatchCalls","service","router","deployment","demo/dev",{"yAxis":"right","label":"PutRecordBatch calls"}]',
        '12,17 6x6 Router throttled share (%) (Sum/300s) alarm=router-throttled',
        '  ["FirehoseRotation","RecordsThrottled","service","router","deployment","demo/dev",{"id":"throttled","visible":false}]',
        '  ["FirehoseRotation","RecordsIn","service","router","deployment","demo/dev",{"id":"records","visible":false}]',
        '  [{"expression":"100 * throttled / records","id":"share","label":"throttled share (%)"}]',
        '18,17 6x6 Fallback stream DataFreshness (s) (Maximum/300s) alarm=fallback-freshness',
        '  ["AWS/Firehose","DeliveryToS3.DataFreshness","DeliveryStreamName","events-fallback"]',
        '0,23 6x6 Rotation heartbeat (Sum/3600s) alarm=rotation-heartbeat',
        '  ["FirehoseRotation","RotationSucceeded","service","rotation","deployment","demo/dev"]',
        '6,23 6x6 Rotation errors (Sum/3600s) alarm=rotation-errors',
        '  ["AWS/Lambda","Errors","FunctionName","rotation-fn"]',
        '12,23 6x6 Ownership conflicts (Maximum/3600s) alarm=ownership-conflict',
        '  ["FirehoseRotation","OwnershipConflicts","service","rotation","deployment","demo/dev"]',
        '18,23 6x6 Sharing the Region (Maximum/3600s) alarm=orphan-streams',
        '  ["FirehoseRotation","DeploymentsInRegion","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","LiveWindowsOverQuota","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","OrphanStreamsRefused","service","rotation","deployment","demo/dev"]',
        '0,29 6x6 Current/next hours without a stream (Maximum/3600s) alarm=near-term-shortfall',
        '  ["FirehoseRotation","NearTermShortfall","service","rotation","deployment","demo/dev"]',
        '6,29 6x6 Fallback stream missing (Maximum/3600s) alarm=fallback-missing',
        '  ["FirehoseRotation","FallbackMissing","service","rotation","deployment","demo/dev"]',
        '12,29 6x6 Hour signals failed (Sum/3600s) alarm=hour-signal-failed',
        '  ["FirehoseRotation","HourSignalsFailed","service","rotation","deployment","demo/dev"]',
        '18,29 6x6 Hours completed (Sum/3600s) alarm=-',
        '  ["FirehoseRotation","HoursCompleted","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","StreamsCreated","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","StreamsDeleted","service","rotation","deployment","demo/dev"]',
      ].join('\n'),
    );
    // The two fixed widgets and one graph in full: every property CloudWatch receives.
    expect(widgets.slice(0, 3)).to.deep.equal([
      {
        type: 'text',
        x: 0,
        y: 0,
        width: 24,
        height: 2,
        properties: {
          markdown:
            `## firehose-rotation: \`events-yyyyMMddHH\` in ${REGION}\n` +
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
        properties: { title: 'Alarms', alarms: DASHBOARD_ALARMS.map(arnOf) },
      },
      {
        type: 'metric',
        x: 0,
        y: 5,
        width: 8,
        height: 6,
        properties: {
          title: 'Streams in the Region vs the quota',
          view: 'timeSeries',
          stacked: false,
          region: REGION,
          period: 3600,
          stat: 'Maximum',
          metrics: [
            [
              'FirehoseRotation',
              'StreamsInRegion',
              'service',
              'rotation',
              'deployment',
              'demo/dev',
              { id: 'streams', label: 'streams in the Region' },
            ],
            [
              'FirehoseRotation',
              'QuotaHeadroom',
              'service',
              'rotation',
              'deployment',
              'demo/dev',
              { id: 'headroom', stat: 'Minimum', visible: false },
            ],
            [{ expression: 'streams + headroom', id: 'quota', label: 'quota' }],
          ],
        },
      },
    ]);
    const dashName = `firehose-rotation-events-${REGION}`;
    expect(one('aws:cloudwatch/dashboard:Dashboard').inputs.dashboardName).to.equal(dashName);
    expect(await promiseOf(dashboard.url)).to.equal(
      `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/${dashName}`,
    );
    expectComponentTree(dashboard, 'ops');
  });

  it('stays inside CloudWatch limits: grid, widgets, metrics per widget and dashboard, body size', async () => {
    new Dashboard('ops', ARGS);
    await settle();
    const json = one('aws:cloudwatch/dashboard:Dashboard').inputs.dashboardBody as string;
    const { widgets } = JSON.parse(json) as { widgets: Widget[] };
    // Dashboard Body Structure: 0-500 widgets; a 24-column grid; width 1-24, height 1-1000.
    expect(widgets).to.have.length(21);
    const cells = new Set<string>();
    for (const w of widgets) {
      expect(w.x + w.width, `${w.type} at ${w.x},${w.y}`).to.be.at.most(24);
      expect(w.height).to.be.within(1, 1000);
      for (let x = w.x; x < w.x + w.width; x++)
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`), `overlap at ${x},${y}`).to.equal(false);
          cells.add(`${x},${y}`);
        }
    }
    expect(cells.size, 'rows fully covered').to.equal(24 * 35);
    // CloudWatch quotas: metrics per widget and per dashboard (100 / 500 in the older table, 500 /
    // 2,500 today; the stricter pair is held). Rows are counted; a SEARCH's series are not known
    // until it runs (see docs/operations.md).
    const rows = widgets.map((w) => ((w.properties.metrics as unknown[]) ?? []).length);
    expect(Math.max(...rows)).to.equal(3);
    expect(rows.reduce((a, b) => a + b, 0)).to.equal(34);
    // One alarm annotation per metric widget at most (Dashboard Body Structure, "annotations").
    for (const w of widgets.filter((w) => w.type === 'metric'))
      expect(((w.properties.annotations as { alarms?: string[] })?.alarms ?? []).length).to.be.at.most(1);
    // AWS documents no PutDashboard body size; 100 KB is GetMetricWidgetImage's documented payload
    // limit, held here as a conservative stand-in. The longest prefix and Region barely move it.
    expect(json.length).to.be.below(100_000);
    // 8874 since the router metrics (rows and SEARCH expressions) carry the deployment dimension
    // too (8684 before); 9558 with the router's throttled share and its alarm; 10186 with the sharing graph; the layout test
    // pins the content.
    expect(json.length).to.equal(10186);
  });

  it('graphs only contract metrics of ours and AWS metrics the alarms already watch or Firehose publishes', async () => {
    new Dashboard('ops', ARGS);
    await settle();
    const contract = new Set<string>([...Object.values(ROTATION_METRICS), ...Object.values(ROUTER_METRICS)]);
    // AWS-published metrics and their dimension names (Lambda and Firehose CloudWatch metric tables).
    const aws: Record<string, string[]> = {
      'AWS/Lambda Errors': ['FunctionName'],
      'AWS/Lambda IteratorAge': ['FunctionName'],
      'AWS/Lambda OnFailureDestinationDeliveredEventCount': ['EventSourceMappingUUID'],
      'AWS/Firehose ThrottledRecords': ['DeliveryStreamName'],
      'AWS/Firehose DeliveryToS3.DataFreshness': ['DeliveryStreamName'],
    };
    const metrics = graphedMetrics((await body()).widgets);
    expect(metrics).to.have.length(32);
    for (const m of metrics) {
      if (m.namespace === 'FirehoseRotation') expect(contract.has(m.name), m.name).to.equal(true);
      else
        expect(aws[`${m.namespace} ${m.name}`], `${m.namespace} ${m.name}`).to.deep.equal(
          m.searchDimensions ?? Object.keys(m.dimensions),
        );
    }
  });

  it('draws the alarms the Alarms component creates, by id, and names a missing one', async () => {
    const alarms = new Alarms('ops', { ...ARGS });
    new Dashboard('ops-view', { ...ARGS, alarmArns: alarms.alarmArns });
    await settle();
    const created = ofType('aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => a.name.replace('ops-', ''));
    expect([...DASHBOARD_ALARMS].sort()).to.deep.equal(created.sort());
    const { widgets } = await body();
    expect(widgets[1].properties.alarms).to.deep.equal(
      DASHBOARD_ALARMS.map((id) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:ops-${id}-0a1b2c3`),
    );
    const fewer = Object.fromEntries(Object.entries(ARGS.alarmArns).filter(([id]) => id !== 'router-errors'));
    expect(() => new Dashboard('bad', { ...ARGS, alarmArns: fewer })).to.throw(
      'Dashboard bad: alarmArns lacks router-errors (the graphs draw these alarms)',
    );
  });

  it('names the dashboard within its character set and links the console of each partition', () => {
    expect(dashboardName('events.v2', 'us-east-1')).to.equal('firehose-rotation-events_v2-us-east-1');
    expect(dashboardUrl('aws-cn', 'cn-north-1', 'd')).to.equal(
      'https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#dashboards/dashboard/d',
    );
    expect(dashboardUrl('aws-us-gov', 'us-gov-west-1', 'd')).to.equal(
      'https://us-gov-west-1.console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#dashboards/dashboard/d',
    );
  });

  it('is part of the pipeline by default; dashboard.enabled=false deploys none and no URL', async () => {
    const on = new Pipeline('pipe', PIPELINE_ARGS);
    await settle();
    expect(ofType('aws:cloudwatch/dashboard:Dashboard').map((d) => d.name)).to.deep.equal([
      'pipe-dashboard-dashboard',
    ]);
    expect(await promiseOf(on.dashboardUrl!)).to.match(
      /#dashboards\/dashboard\/firehose-rotation-events-eu-west-1$/,
    );
    const { widgets } = await body();
    expect(widgets[1].properties.alarms).to.have.length(15);

    const off = new Pipeline('off', { ...PIPELINE_ARGS, dashboard: { enabled: false } });
    await settle();
    expect(ofType('aws:cloudwatch/dashboard:Dashboard')).to.have.length(1); // still only pipe's
    expect(off.dashboardUrl).to.equal(undefined);
  });
});

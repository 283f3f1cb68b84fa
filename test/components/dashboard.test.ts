// The CloudWatch dashboard under mocks: the exact body (every widget, metric and alarm), CloudWatch's
// limits, the alarm ids agreeing with the Alarms component, and the pipeline's on/off switch.
// test/integration/dashboard-metrics.moto.test.ts holds every graphed metric of ours against what
// the real handlers emit.
import { expect } from 'chai';
import { ALARM_IDS, Alarms } from '../../components/alarms';
import { Dashboard } from '../../components/dashboard';
import { Widget } from '../../components/dashboard-body';
import { Pipeline } from '../../components/pipeline';
import { ROTATION_METRICS, ROUTER_METRICS } from '../../rotation/core/metric-contract';
import { expectComponentTree } from './assertions';
import { graphedMetrics } from './dashboard-metrics';
import { dashboardBodyProblems } from './dashboard-schema';
import { PIPELINE_ARGS } from './fixtures/args';
import {
  ACCOUNT,
  environment,
  ofType,
  one,
  promiseOf,
  recordOptions,
  REGION,
  settle,
  useMocks,
} from './mocks';

const arnOf = (id: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:ops-${id}`;
const ARGS = {
  streamPrefix: 'events',
  deploymentId: 'demo/dev',
  routerFunctionName: 'router-fn',
  rotationFunctionName: 'rotation-fn',
  eventSourceMappingUuid: 'esm-uuid',
  fallbackStreamName: 'events-fallback',
  alarmArns: Object.fromEntries(ALARM_IDS.map((id) => [id, arnOf(id)])),
};

function body(): Promise<{ widgets: Widget[] }> {
  const dashboard = one<{ dashboardBody: string }>('aws:cloudwatch/dashboard:Dashboard');
  return Promise.resolve(JSON.parse(dashboard.inputs.dashboardBody) as { widgets: Widget[] });
}

describe('Dashboard', () => {
  useMocks();

  it('lays out the header, the alarm states, 8 metric graphs and one graph per alarm', async () => {
    const dashboard = new Dashboard('ops', ARGS, { transformations: [recordOptions] });
    await settle();
    const { widgets } = await body();
    // A metric graph: its statistic, period and rows. An alarm graph: its one alarm, nothing else.
    const table = widgets
      .filter((w) => w.type === 'metric')
      .map((w) => {
        const p = w.properties;
        const head = `${w.x},${w.y} ${w.width}x${w.height} ${String(p.title)}`;
        const alarms = (p.annotations as { alarms: string[] } | undefined)?.alarms;
        if (alarms) return `${head} alarm=${alarms.map((a) => a.split(':alarm:ops-')[1]).join()}`;
        return [
          `${head} (${String(p.stat)}/${String(p.period)}s)`,
          ...(p.metrics as unknown[]).map((m) => `  ${JSON.stringify(m)}`),
        ].join('\n');
      });
    expect(table.join('\n')).to.equal(
      [
        '0,5 6x6 Streams in the Region vs the quota (Maximum/3600s)',
        '  ["FirehoseRotation","StreamsInRegion","service","rotation","deployment","demo/dev",{"id":"streams","label":"streams in the Region"}]',
        '  ["FirehoseRotation","QuotaHeadroom","service","rotation","deployment","demo/dev",{"id":"headroom","stat":"Minimum","visible":false}]',
        '  [{"expression":"streams + headroom","id":"quota","label":"quota"}]',
        '6,5 6x6 Quota headroom alarm=quota-headroom',
        '12,5 6x6 Streams missing: tomorrow and all hours (Maximum/3600s)',
        '  ["FirehoseRotation","TomorrowStreamsMissing","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","Shortfall","service","rotation","deployment","demo/dev",{"label":"shortfall (all hours)"}]',
        "18,5 6x6 Tomorrow's missing streams alarm=tomorrow-not-ready",
        '0,11 6x6 Router records: hourly vs fallback (Sum/300s)',
        '  ["FirehoseRotation","RecordsIn","service","router","deployment","demo/dev"]',
        '  ["FirehoseRotation","RecordsToHourly","service","router","deployment","demo/dev"]',
        '  ["FirehoseRotation","FallbackRecords","service","router","deployment","demo/dev"]',
        '6,11 6x6 Fallback records alarm=fallback-volume',
        '12,11 6x6 Fallback records by reason (Sum/300s)',
        '  [{"expression":"SEARCH(\'{FirehoseRotation,deployment,reason,service} MetricName=\\"FallbackRecordsByReason\\" service=\\"router\\" deployment=\\"demo/dev\\"\', \'Sum\', 300)","id":"reasons","label":""}]',
        '18,11 6x6 Records sent to the on-failure destination alarm=on-failure-deliveries',
        '0,17 6x6 Router failures (Sum/300s)',
        '  ["FirehoseRotation","FailedAfterRetries","service","router","deployment","demo/dev"]',
        '  [{"expression":"SEARCH(\'{FirehoseRotation,deployment,reason,service} MetricName=\\"FailedRecordsByReason\\" service=\\"router\\" deployment=\\"demo/dev\\"\', \'Sum\', 300)","id":"failures","label":""}]',
        '  ["AWS/Lambda","Errors","FunctionName","router-fn",{"label":"invocation errors"}]',
        '6,17 6x6 Router invocation errors alarm=router-errors',
        '12,17 6x6 Router iterator age (ms) alarm=router-iterator-age',
        '18,17 6x6 Fallback stream DataFreshness (s) alarm=fallback-freshness',
        '0,23 8x6 PutRecordBatch throttling (Sum/300s)',
        '  [{"expression":"SUM(SEARCH(\'{AWS/Firehose,DeliveryStreamName} MetricName=\\"ThrottledRecords\\" DeliveryStreamName=events NOT DeliveryStreamName=\\"events-fallback\\"\', \'Sum\', 300))","id":"hourly","label":"throttled records, hourly streams"}]',
        '  ["AWS/Firehose","ThrottledRecords","DeliveryStreamName","events-fallback",{"label":"throttled records, fallback"}]',
        '  ["FirehoseRotation","PutRecordBatchCalls","service","router","deployment","demo/dev",{"yAxis":"right","label":"PutRecordBatch calls"}]',
        '8,23 8x6 Router throttled share (%) alarm=router-throttled',
        '16,23 8x6 Hours completed (Sum/3600s)',
        '  ["FirehoseRotation","HoursCompleted","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","StreamsCreated","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","StreamsDeleted","service","rotation","deployment","demo/dev"]',
        '0,29 8x6 Rotation heartbeat alarm=rotation-heartbeat',
        '8,29 8x6 Rotation errors alarm=rotation-errors',
        '16,29 8x6 Ownership conflicts alarm=ownership-conflict',
        '0,35 12x6 Sharing the Region (Maximum/3600s)',
        '  ["FirehoseRotation","DeploymentsInRegion","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","LiveWindowsOverQuota","service","rotation","deployment","demo/dev"]',
        '  ["FirehoseRotation","OrphanStreamsRefused","service","rotation","deployment","demo/dev"]',
        '12,35 12x6 Orphan streams not deleted alarm=orphan-streams',
        '0,41 8x6 Current/next hours without a stream alarm=near-term-shortfall',
        '8,41 8x6 Fallback stream missing alarm=fallback-missing',
        '16,41 8x6 Hour signals failed alarm=hour-signal-failed',
      ].join('\n'),
    );
    // The two fixed widgets, one metric graph and one alarm graph in full: every property CloudWatch
    // receives.
    expect(widgets.slice(0, 4)).to.deep.equal([
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
        properties: { title: 'Alarms', alarms: ALARM_IDS.map(arnOf) },
      },
      {
        type: 'metric',
        x: 0,
        y: 5,
        width: 6,
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
      {
        type: 'metric',
        x: 6,
        y: 5,
        width: 6,
        height: 6,
        properties: {
          title: 'Quota headroom',
          view: 'timeSeries',
          stacked: false,
          region: REGION,
          annotations: { alarms: [arnOf('quota-headroom')] },
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
    expect(widgets).to.have.length(25);
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
    expect(cells.size, 'rows fully covered').to.equal(24 * 47);
    // CloudWatch quotas: metrics per widget and per dashboard (100 / 500 in the older table, 500 /
    // 2,500 today; the stricter pair is held). Rows are counted; a SEARCH's series are not known
    // until it runs (see docs/operations.md).
    const rows = widgets.map((w) => ((w.properties.metrics as unknown[]) ?? []).length);
    expect(Math.max(...rows)).to.equal(3);
    expect(rows.reduce((a, b) => a + b, 0)).to.equal(21);
    // The body's shape (one alarm per alarm graph, no metrics beside it): dashboard-schema.test.ts.
    expect(dashboardBodyProblems(JSON.parse(json))).to.deep.equal([]);
    // AWS documents no PutDashboard body size; 100 KB is GetMetricWidgetImage's documented payload
    // limit, held here as a conservative stand-in. The longest prefix and Region barely move it.
    expect(json.length).to.be.below(100_000);
    // 8874 since the router metrics (rows and SEARCH expressions) carry the deployment dimension
    // too (8684 before); 9558 with the router's throttled share and its alarm; 8480 with each
    // alarm on a graph of its own (no metric rows beside it); 9271 with the sharing graph (3 rows)
    // and the orphan-streams alarm's graph; the layout test pins the content.
    expect(json.length).to.equal(9271);
  });

  it('with the placer: one more row of four graphs, each alarm on its own, both alarms in the strip', async () => {
    const placerAlarms = ['placer-errors', 'placer-dead-letters'];
    new Dashboard('ops', {
      ...ARGS,
      alarmArns: { ...ARGS.alarmArns, ...Object.fromEntries(placerAlarms.map((id) => [id, arnOf(id)])) },
      placer: { functionName: 'placer-fn', deadLetterQueueName: 'placer-dlq' },
    });
    await settle();
    const { widgets } = await body();
    expect(widgets).to.have.length(29);
    expect((widgets[1].properties.alarms as string[]).slice(-2)).to.deep.equal(placerAlarms.map(arnOf));
    const y = widgets[widgets.length - 1].y;
    expect(
      widgets
        .slice(-4)
        .map((w) => [w.x, w.y, w.width, w.properties.title, w.properties.metrics, w.properties.annotations]),
    ).to.deep.equal([
      [
        0,
        y,
        6,
        'Placer: late and early records placed vs kept',
        [
          ['FirehoseRotation', 'RecordsPlaced', 'service', 'placer', 'deployment', 'demo/dev'],
          ['FirehoseRotation', 'RecordsKept', 'service', 'placer', 'deployment', 'demo/dev'],
          [
            'FirehoseRotation',
            'HoursAmended',
            'service',
            'placer',
            'deployment',
            'demo/dev',
            { yAxis: 'right', label: 'complete hours amended' },
          ],
        ],
        undefined,
      ],
      [
        6,
        y,
        6,
        'Placer errors and invocation errors',
        [
          ['FirehoseRotation', 'PlacerErrors', 'service', 'placer', 'deployment', 'demo/dev'],
          ['AWS/Lambda', 'Errors', 'FunctionName', 'placer-fn', { label: 'invocation errors' }],
        ],
        undefined,
      ],
      [12, y, 6, 'Placer errors', undefined, { alarms: [arnOf('placer-errors')] }],
      [18, y, 6, 'Placer dead letters', undefined, { alarms: [arnOf('placer-dead-letters')] }],
    ]);
    expect(y).to.equal(widgets[widgets.length - 5].y + 6);
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
    expect(metrics).to.have.length(20);
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
    expect([...ALARM_IDS].sort()).to.deep.equal(created.sort());
    const { widgets } = await body();
    expect(widgets[1].properties.alarms).to.deep.equal(
      ALARM_IDS.map((id) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:ops-${id}-0a1b2c3`),
    );
    const fewer = Object.fromEntries(Object.entries(ARGS.alarmArns).filter(([id]) => id !== 'router-errors'));
    expect(() => new Dashboard('bad', { ...ARGS, alarmArns: fewer })).to.throw(
      'Dashboard bad: alarmArns lacks router-errors (the graphs draw these alarms)',
    );
  });

  it('names the dashboard within its character set and links the console of each partition', async () => {
    const deployedIn = async (partition: string, region: string, dnsSuffix: string) => {
      Object.assign(environment, { partition, region, dnsSuffix });
      const dashboard = new Dashboard(`ops-${partition}`, { ...ARGS, streamPrefix: 'events.v2' });
      return [await promiseOf(dashboard.dashboardName), await promiseOf(dashboard.url)];
    };
    expect(await deployedIn('aws', 'us-east-1', 'amazonaws.com')).to.deep.equal([
      'firehose-rotation-events_v2-us-east-1',
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1' +
        '#dashboards/dashboard/firehose-rotation-events_v2-us-east-1',
    ]);
    expect(await deployedIn('aws-cn', 'cn-north-1', 'amazonaws.com.cn')).to.deep.equal([
      'firehose-rotation-events_v2-cn-north-1',
      'https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1' +
        '#dashboards/dashboard/firehose-rotation-events_v2-cn-north-1',
    ]);
    expect(await deployedIn('aws-us-gov', 'us-gov-west-1', 'amazonaws.com')).to.deep.equal([
      'firehose-rotation-events_v2-us-gov-west-1',
      'https://us-gov-west-1.console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1' +
        '#dashboards/dashboard/firehose-rotation-events_v2-us-gov-west-1',
    ]);
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
    // 15 alarms of the pipeline plus the placer's two (placeLateRecords is on by default).
    expect(widgets[1].properties.alarms).to.have.length(17);

    const off = new Pipeline('off', { ...PIPELINE_ARGS, dashboard: { enabled: false } });
    await settle();
    expect(ofType('aws:cloudwatch/dashboard:Dashboard')).to.have.length(1); // still only pipe's
    expect(off.dashboardUrl).to.equal(undefined);
  });
});

// The dashboard body against AWS's Dashboard Body Structure reference (test/components/
// dashboard-schema.ts): the body the pipeline deploys conforms, the reference's own example
// conforms, and each departure is named exactly — the mixed graph main used to deploy included.
import { expect } from 'chai';
import { ALARM_IDS } from '../../components/alarms';
import { dashboardBody } from '../../components/dashboard-body';
import { dashboardBodyProblems } from './dashboard-schema';

const TARGETS = {
  region: 'eu-west-1',
  streamPrefix: 'events',
  deploymentId: 'demo/dev',
  routerFunctionName: 'router-fn',
  rotationFunctionName: 'rotation-fn',
  eventSourceMappingUuid: 'esm-uuid',
  fallbackStreamName: 'events-fallback',
  alarmArns: Object.fromEntries(ALARM_IDS.map((id) => [id, `arn:aws:cloudwatch:eu-west-1:1:alarm:${id}`])),
};
const ARN = 'arn:aws:cloudwatch:eu-west-1:1:alarm:a';
const ROW = ['AWS/Lambda', 'Errors', 'FunctionName', 'f'];
const graph = (properties: Record<string, unknown>) => ({
  widgets: [
    { type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { region: 'eu-west-1', ...properties } },
  ],
});

describe('Dashboard body vs AWS Dashboard Body Structure', () => {
  it('the pipeline body conforms: metric graphs with metrics, alarm graphs with one alarm and no metrics', () => {
    const body = dashboardBody(TARGETS);
    expect(dashboardBodyProblems(body)).to.deep.equal([]);
    const graphs = body.widgets.filter((w) => w.type === 'metric').map((w) => w.properties);
    expect(graphs.filter((p) => 'metrics' in p)).to.have.length(8);
    // Each alarm drawn exactly once, on a graph of its own.
    const drawn = graphs.flatMap((p) => (p.annotations as { alarms: string[] } | undefined)?.alarms ?? []);
    expect(drawn.sort()).to.deep.equal(ALARM_IDS.map((id) => TARGETS.alarmArns[id]).sort());
  });

  it("the reference's own example conforms", () => {
    const example = {
      start: '-PT6H',
      periodOverride: 'inherit',
      widgets: [
        {
          type: 'metric',
          x: 0,
          y: 0,
          width: 12,
          height: 6,
          properties: {
            metrics: [['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-012345']],
            period: 300,
            stat: 'Average',
            region: 'us-east-1',
            title: 'EC2 Instance CPU',
            liveData: false,
            legend: { position: 'right' },
          },
        },
        { type: 'text', x: 0, y: 7, width: 3, height: 3, properties: { markdown: 'Hello world' } },
      ],
    };
    expect(dashboardBodyProblems(example)).to.deep.equal([]);
  });

  const broken: [string, unknown, string[]][] = [
    [
      'metrics beside an alarm annotation (the body before this check)',
      graph({ metrics: [ROW], annotations: { alarms: [ARN] } }),
      ['widgets[0].properties: an alarm graph (annotations.alarms) has no metrics'],
    ],
    [
      'two alarms on one graph',
      graph({ annotations: { alarms: [ARN, ARN] } }),
      ['widgets[0].properties.annotations.alarms: exactly one alarm ARN per graph'],
    ],
    [
      'neither metrics nor an alarm',
      graph({ title: 'empty' }),
      ['widgets[0].properties.metrics: required (1-500 rows) when there is no alarm annotation'],
    ],
    [
      'a metric graph without a Region, an unknown view and period',
      { widgets: [{ type: 'metric', properties: { metrics: [ROW], view: 'line', period: 90 } }] },
      [
        'widgets[0].properties.region: required, a Region name',
        'widgets[0].properties.view: one of timeSeries, singleValue, gauge, bar, pie',
        'widgets[0].properties.period: 1, 5, 10, 30 or a multiple of 60',
      ],
    ],
    [
      'a field the reference does not list, on the body, a widget and a graph',
      {
        widgets: [{ type: 'metric', id: 'w', properties: { region: 'r', metrics: [ROW], color: 'red' } }],
        name: 'd',
      },
      [
        'body.name: not a field of the reference',
        'widgets[0].id: not a field of the reference',
        'widgets[0].properties.color: not a field of the reference',
      ],
    ],
    [
      'off the 24-column grid',
      { widgets: [{ type: 'text', x: 18, y: -1, width: 8, height: 0, properties: { markdown: 'm' } }] },
      [
        'widgets[0].y: an integer from 0',
        'widgets[0].height: an integer 1-1000',
        'widgets[0]: x + width 26 passes the 24 columns',
      ],
    ],
    [
      'an alarm status widget with metrics and no alarms',
      { widgets: [{ type: 'alarm', properties: { metrics: [ROW] } }] },
      [
        'widgets[0].properties.metrics: not a field of the reference',
        'widgets[0].properties.alarms: required, 1-100 alarm ARNs',
      ],
    ],
    [
      'an unknown widget type and a text widget without markdown',
      {
        widgets: [
          { type: 'graph', properties: {} },
          { type: 'text', properties: { background: 'dark' } },
        ],
      },
      [
        'widgets[0].type: one of metric, text, log, alarm, explorer',
        'widgets[1].properties.markdown: required, a string',
        'widgets[1].properties.background: transparent or solid',
      ],
    ],
    ['no widgets array', { start: '-PT3H' }, ['body.widgets: required, an array']],
  ];
  for (const [name, body, problems] of broken) {
    it(`names ${name}`, () => {
      expect(dashboardBodyProblems(body)).to.deep.equal(problems);
    });
  }
});

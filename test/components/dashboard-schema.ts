// A dashboard body checked against AWS's "Dashboard Body Structure and Syntax" reference
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html),
// written from the reference, not from components/: PutDashboard rejects a body it cannot
// validate, which would fail `pulumi up`. Only the widget types and fields the reference lists are
// accepted; every problem is reported with the path to it, so a test can name it exactly.

/** Top level: `widgets` (required, 0-500) and the dashboard-wide settings. */
const BODY_FIELDS = ['widgets', 'variables', 'start', 'end', 'periodOverride'];
const WIDGET_FIELDS = ['type', 'x', 'y', 'width', 'height', 'properties'];
const WIDGET_TYPES = ['metric', 'text', 'log', 'alarm', 'explorer'];
/** Properties of a metric widget object. */
const METRIC_FIELDS = [
  'accountId',
  'annotations',
  'liveData',
  'legend',
  'metrics',
  'period',
  'region',
  'stat',
  'title',
  'view',
  'stacked',
  'sparkline',
  'trend',
  'yAxis',
  'table',
  'setPeriodToTimeRange',
  'singleValueFullPrecision',
  'start',
  'end',
  'timezone',
];
const ANNOTATION_FIELDS = ['alarms', 'horizontal', 'vertical'];
const VIEWS = ['timeSeries', 'singleValue', 'gauge', 'bar', 'pie'];
/** Properties of an alarm status widget object. */
const ALARM_STATUS_FIELDS = ['alarms', 'sortBy', 'states', 'title'];
/** Properties of a text widget object. */
const TEXT_FIELDS = ['markdown', 'background'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const unknownFields = (at: string, o: Json, allowed: string[]) =>
  Object.keys(o)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${at}.${k}: not a field of the reference`);

function metricProblems(at: string, p: Json): string[] {
  const problems = unknownFields(at, p, METRIC_FIELDS);
  if (typeof p.region !== 'string') problems.push(`${at}.region: required, a Region name`);
  if (p.view !== undefined && !VIEWS.includes(p.view as string))
    problems.push(`${at}.view: one of ${VIEWS.join(', ')}`);
  // period: 1, 5, 10, 30 or a multiple of 60 seconds.
  if (
    p.period !== undefined &&
    !(
      typeof p.period === 'number' &&
      ([1, 5, 10, 30].includes(p.period) || (p.period > 0 && p.period % 60 === 0))
    )
  )
    problems.push(`${at}.period: 1, 5, 10, 30 or a multiple of 60`);
  const annotations = p.annotations;
  if (annotations !== undefined && !isObject(annotations)) problems.push(`${at}.annotations: an object`);
  const alarms = isObject(annotations) ? annotations.alarms : undefined;
  if (isObject(annotations))
    problems.push(...unknownFields(`${at}.annotations`, annotations, ANNOTATION_FIELDS));
  // "metrics (without alarms)"; an alarm annotation is what a graph has when it has no metrics.
  if (alarms !== undefined) {
    if (!Array.isArray(alarms) || alarms.length !== 1 || typeof alarms[0] !== 'string')
      problems.push(`${at}.annotations.alarms: exactly one alarm ARN per graph`);
    if (p.metrics !== undefined) problems.push(`${at}: an alarm graph (annotations.alarms) has no metrics`);
  } else if (!Array.isArray(p.metrics) || p.metrics.length === 0) {
    problems.push(`${at}.metrics: required (1-500 rows) when there is no alarm annotation`);
  } else if (p.metrics.length > 500) {
    problems.push(`${at}.metrics: at most 500 rows, got ${p.metrics.length}`);
  } else {
    p.metrics.forEach((row, i) => {
      if (!Array.isArray(row) || row.length === 0) problems.push(`${at}.metrics[${i}]: a non-empty array`);
    });
  }
  return problems;
}

function alarmStatusProblems(at: string, p: Json): string[] {
  const problems = unknownFields(at, p, ALARM_STATUS_FIELDS);
  const alarms = p.alarms;
  if (!Array.isArray(alarms) || alarms.length < 1 || alarms.length > 100)
    problems.push(`${at}.alarms: required, 1-100 alarm ARNs`);
  else if (alarms.some((a) => typeof a !== 'string' || !a.startsWith('arn:')))
    problems.push(`${at}.alarms: alarm ARNs only`);
  return problems;
}

function textProblems(at: string, p: Json): string[] {
  const problems = unknownFields(at, p, TEXT_FIELDS);
  if (typeof p.markdown !== 'string') problems.push(`${at}.markdown: required, a string`);
  if (p.background !== undefined && p.background !== 'transparent' && p.background !== 'solid')
    problems.push(`${at}.background: transparent or solid`);
  return problems;
}

function widgetProblems(at: string, w: unknown): string[] {
  if (!isObject(w)) return [`${at}: an object`];
  const problems = unknownFields(at, w, WIDGET_FIELDS);
  if (!WIDGET_TYPES.includes(w.type as string))
    problems.push(`${at}.type: one of ${WIDGET_TYPES.join(', ')}`);
  // A 24-column grid: x 0-23, width 1-24 (and within the grid), y from 0, height 1-1000.
  if (w.x !== undefined && !isInt(w.x, 0, 23)) problems.push(`${at}.x: an integer 0-23`);
  if (w.y !== undefined && !isInt(w.y, 0, Number.MAX_SAFE_INTEGER))
    problems.push(`${at}.y: an integer from 0`);
  if (w.width !== undefined && !isInt(w.width, 1, 24)) problems.push(`${at}.width: an integer 1-24`);
  if (w.height !== undefined && !isInt(w.height, 1, 1000)) problems.push(`${at}.height: an integer 1-1000`);
  if (isInt(w.x, 0, 23) && isInt(w.width, 1, 24) && (w.x as number) + (w.width as number) > 24)
    problems.push(`${at}: x + width ${(w.x as number) + (w.width as number)} passes the 24 columns`);
  if (!isObject(w.properties)) return [...problems, `${at}.properties: required, an object`];
  const p = w.properties;
  const props = `${at}.properties`;
  if (w.type === 'metric') problems.push(...metricProblems(props, p));
  if (w.type === 'alarm') problems.push(...alarmStatusProblems(props, p));
  if (w.type === 'text') problems.push(...textProblems(props, p));
  return problems;
}

/** Every way `body` departs from the reference; empty when it conforms. */
export function dashboardBodyProblems(body: unknown): string[] {
  if (!isObject(body)) return ['body: a JSON object'];
  const problems = unknownFields('body', body, BODY_FIELDS);
  if (!Array.isArray(body.widgets)) return [...problems, 'body.widgets: required, an array'];
  if (body.widgets.length > 500) problems.push(`body.widgets: at most 500, got ${body.widgets.length}`);
  if (
    body.periodOverride !== undefined &&
    body.periodOverride !== 'auto' &&
    body.periodOverride !== 'inherit'
  )
    problems.push('body.periodOverride: auto or inherit');
  body.widgets.forEach((w, i) => problems.push(...widgetProblems(`widgets[${i}]`, w)));
  return problems;
}

// The metric contract end to end: every alarm on our namespace (built by the Alarms component under
// Pulumi mocks) watches a metric that the handlers really emit, with the same dimensions. Both
// handlers run in-process on moto and their EMF documents are read back from stdout. A renamed
// metric or a changed dimension on either side fails here, not in production as a silent alarm.
import { expect } from 'chai';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { DateTime } from 'luxon';
import { Alarms } from '../../components/alarms';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { publishRouterMetrics } from '../../rotation/aws/router-metrics';
import { METRIC_NAMESPACE, SERVICE } from '../../rotation/core/metric-contract';
import { SETTINGS_ENV } from '../../rotation/core/settings';
import { ofType, one, settle, useMocks } from '../components/mocks';
import { capturingJson, emfDocuments, JsonLine } from '../support/capture-stdout';
import { kinesisEvent } from '../support/kinesis-event';
import { loadModule } from '../support/load-module';
import { clientConfig, TEST_REGION, useMoto } from '../support/moto';
import { MOTO_SETTINGS, provision } from '../support/router-moto';

// The router runs by the system clock here: two hours of lookahead keep provision's "no
// shortfall" true at any time of day (the default horizon needs one stream over the quota in the
// first minutes of a UTC day).
const ROUTER_SETTINGS = settings({ ...MOTO_SETTINGS, lookaheadHours: 2 });
import { BASE_SETTINGS, settings } from '../support/fixtures';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';

type Alarm = pulumi.Unwrap<aws.cloudwatch.MetricAlarmArgs>;
type RotationHandler = (typeof import('../../rotation/handlers/rotate'))['handler'];
type RouterHandler = (typeof import('../../rotation/handlers/router'))['handler'];

/** One metric as CloudWatch keys it: namespace, name, and the exact dimension set with values. */
const metricKey = (namespace: string, name: string, dimensions: Record<string, unknown>) =>
  `${namespace} ${name} ${JSON.stringify(Object.entries(dimensions).sort())}`;

/** Every metric an EMF document publishes, keyed like metricKey (one key per dimension set). */
function emitted(doc: JsonLine): string[] {
  return (doc._aws?.CloudWatchMetrics ?? []).flatMap((directive) =>
    directive.Dimensions.flatMap((set) =>
      directive.Metrics.map((m) =>
        metricKey(directive.Namespace, m.Name, Object.fromEntries(set.map((d) => [d, doc[d]]))),
      ),
    ),
  );
}

describe('metric contract: the alarms watch what the handlers emit', function () {
  this.timeout(120_000);
  useMocks();
  const moto = useMoto();
  const saved = { ...process.env };
  const realNow = Date.now;
  afterEach(() => {
    process.env = { ...saved };
    Date.now = realNow;
  });

  async function alarmsOnOurNamespace(): Promise<string[]> {
    new Alarms('ops', {
      routerFunctionName: 'router-fn',
      rotationFunctionName: 'rotation-fn',
      eventSourceMappingUuid: 'esm-uuid',
      fallbackStreamName: 'events-fallback',
      // As the Pipeline passes it: the alarms select on the deployment, like both functions' metrics.
      deploymentId: BASE_SETTINGS.deploymentId,
    });
    await settle();
    // A metric-math alarm (router-throttled) watches the metrics of its queries.
    return ofType<Alarm>('aws:cloudwatch/metricAlarm:MetricAlarm')
      .flatMap((a) => [
        a.inputs,
        ...(a.inputs.metricQueries ?? []).flatMap((q) => (q.metric ? [q.metric] : [])),
      ])
      .filter((i) => i.namespace === METRIC_NAMESPACE)
      .map((i) => metricKey(i.namespace!, i.metricName!, i.dimensions ?? {}));
  }

  /** The router handler of one deployment, loaded afresh with its settings, run on one batch. */
  async function routerRun(settings: object, event: KinesisStreamEvent): Promise<JsonLine[]> {
    useHandlerEnvironment(settings);
    const { handler } = loadModule<{ handler: RouterHandler }>(
      require.resolve('../../rotation/handlers/router'),
      { fresh: true },
    );
    const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
    const { value, lines } = await capturingJson(() => handler(event, context));
    expect(value).to.deep.equal({ batchItemFailures: [] });
    return emfDocuments(lines);
  }

  function useHandlerEnvironment(settings: object) {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      [SETTINGS_ENV]: JSON.stringify(settings),
    });
  }

  async function rotationMetrics(): Promise<string[]> {
    // A small quota keeps the run at a dozen control-plane calls under the real 5 calls/s pacing.
    useHandlerEnvironment({ ...BASE_SETTINGS, quota: 10 });
    await new S3Client(clientConfig(moto.endpoint)).send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    await new FirehoseClient(clientConfig(moto.endpoint)).send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'events-fallback',
        ExtendedS3DestinationConfiguration: {
          RoleARN: BASE_SETTINGS.deliveryRoleArn,
          BucketARN: BASE_SETTINGS.bucketArn,
        },
      }),
    );
    const clock = Date.parse('2026-11-21T23:30:00Z');
    Date.now = () => clock; // luxon reads Date.now: the handler's clock
    const { handler } = loadModule<{ handler: RotationHandler }>(
      require.resolve('../../rotation/handlers/rotate'),
      { fresh: true },
    );
    const { lines } = await capturingJson(() => handler({}));
    return emfDocuments(lines).flatMap(emitted);
  }

  async function routerMetrics(): Promise<string[]> {
    const now = DateTime.utc();
    await provision(moto.endpoint, ROUTER_SETTINGS, now);
    const event = kinesisEvent([
      { sequenceNumber: '1', data: `${JSON.stringify({ timestamp: now.toISO() })}\n` },
      { sequenceNumber: '2', data: `${JSON.stringify({ timestamp: now.minus({ hours: 3 }).toMillis() })}\n` },
    ]);
    return (await routerRun(ROUTER_SETTINGS, event)).flatMap(emitted);
  }

  it('the rotation handler emits every rotation alarm metric with its dimensions', async () => {
    const alarms = await alarmsOnOurNamespace();
    const emittedKeys = new Set(await rotationMetrics());
    const rotationAlarms = alarms.filter((k) => k.includes('"service","rotation"'));
    // Heartbeat, tomorrow's streams, ownership conflicts, near-term shortfall, fallback missing,
    // hour signals failed, quota headroom, orphan streams refused: not vacuous.
    expect(rotationAlarms).to.have.length(8);
    expect(rotationAlarms.filter((k) => !emittedKeys.has(k))).to.deep.equal([]);
  });

  it('the router handler emits every router alarm metric with its dimensions', async () => {
    const alarms = await alarmsOnOurNamespace();
    const emittedKeys = new Set(await routerMetrics());
    const routerAlarms = alarms.filter((k) => k.includes('"service","router"'));
    expect(routerAlarms).to.deep.equal([
      metricKey(METRIC_NAMESPACE, 'FallbackRecords', { service: 'router', deployment: 'demo/dev' }),
      metricKey(METRIC_NAMESPACE, 'RecordsThrottled', { service: 'router', deployment: 'demo/dev' }),
      metricKey(METRIC_NAMESPACE, 'RecordsIn', { service: 'router', deployment: 'demo/dev' }),
    ]);
    expect(routerAlarms.filter((k) => !emittedKeys.has(k))).to.deep.equal([]);
  });

  it("two deployments' router metrics in one namespace: each stack's fallback-volume alarm reads its own", async () => {
    const now = DateTime.utc();
    const late = (seq: string) => ({
      sequenceNumber: seq,
      data: `${JSON.stringify({ timestamp: now.minus({ hours: 3 }).toISO() })}\n`,
    });
    // demo/dev: one record to its hourly stream, one late. demo/prod (another prefix, same account
    // and namespace): two late records to its own fallback.
    await provision(moto.endpoint, ROUTER_SETTINGS, now);
    const prod = settings({
      compression: 'UNCOMPRESSED',
      deploymentId: 'demo/prod',
      streamPrefix: 'prod',
      fallbackStreamName: 'prod-fallback',
    });
    await new FirehoseClient(clientConfig(moto.endpoint)).send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: prod.fallbackStreamName,
        ExtendedS3DestinationConfiguration: { RoleARN: prod.deliveryRoleArn, BucketARN: prod.bucketArn },
      }),
    );
    const current = { sequenceNumber: '1', data: `${JSON.stringify({ timestamp: now.toISO() })}\n` };
    const devDocs = await routerRun(ROUTER_SETTINGS, kinesisEvent([current, late('2')]));
    const prodDocs = await routerRun(prod, kinesisEvent([late('1'), late('2')]));
    // A router still on the code before this change (during `pulumi up`): no deployment dimension.
    const before = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE.router });
    const { lines } = await capturingJson(() =>
      publishRouterMetrics(before, {
        records: 5,
        delivered: 5,
        failed: 0,
        perStream: { 'events-fallback': 5 },
        perReason: { late: 5 },
        perFailure: {},
        calls: 1,
        throttled: 0,
      }),
    );
    const namespace = [...devDocs, ...prodDocs, ...emfDocuments(lines)];

    const common = {
      routerFunctionName: 'router-fn',
      rotationFunctionName: 'rotation-fn',
      eventSourceMappingUuid: 'esm-uuid',
    };
    new Alarms('dev', { ...common, fallbackStreamName: 'events-fallback', deploymentId: 'demo/dev' });
    new Alarms('prod', { ...common, fallbackStreamName: 'prod-fallback', deploymentId: 'demo/prod' });
    await settle();
    // What an alarm reads: its metric from documents with exactly its dimension set, as CloudWatch
    // matches dimensions (a datapoint with fewer or more dimensions is another metric).
    const reads = (stack: string) => {
      const a = one<Alarm>('aws:cloudwatch/metricAlarm:MetricAlarm', `${stack}-fallback-volume`).inputs;
      const key = metricKey(a.namespace!, a.metricName!, a.dimensions ?? {});
      return namespace.filter((doc) => emitted(doc).includes(key)).map((doc) => doc[a.metricName!] as number);
    };
    expect({ dev: reads('dev'), prod: reads('prod') }).to.deep.equal({ dev: [1], prod: [2] });
  });

  it('no alarm on our namespace belongs to neither function', async () => {
    const alarms = await alarmsOnOurNamespace();
    expect(
      alarms.filter((k) => !k.includes('"service","rotation"') && !k.includes('"service","router"')),
    ).to.deep.equal([]);
    expect(alarms).to.have.length(11); // 9 alarms on one metric, router-throttled on two
  });
});

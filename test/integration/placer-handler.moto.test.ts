// The deployed placer handler in-process on moto: settings from the environment, an S3 notification
// in, the placed object in S3, and EMF metrics on stdout that the placer-errors alarm (built by the
// Alarms component under Pulumi mocks) really watches, on success and on a failed invocation.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import { Alarms } from '../../components/alarms';
import { METRIC_NAMESPACE } from '../../rotation/core/metric-contract';
import { sourceTag } from '../../rotation/core/placement';
import { SETTINGS_ENV } from '../../rotation/core/settings';
import { objectCreatedEvent } from '../../rotation/local/fallback-notifications';
import { ofType, settle, useMocks } from '../components/mocks';
import { capturingJson, emfDocuments, JsonLine } from '../support/capture-stdout';
import { BASE_SETTINGS } from '../support/fixtures';
import { loadModule } from '../support/load-module';
import { clientConfig, TEST_REGION, useMoto } from '../support/moto';

type PlacerHandler = (typeof import('../../rotation/handlers/placer'))['handler'];
type Alarm = pulumi.Unwrap<aws.cloudwatch.MetricAlarmArgs>;

const KEY = 'late/2026/11/22/07/events-fallback-1-x';
const LATE = `${JSON.stringify({ id: 'a', timestamp: '2026-11-22T03:10:00Z' })}\n`;

const metricKey = (name: string, dimensions: Record<string, unknown>) =>
  `${name} ${JSON.stringify(Object.entries(dimensions).sort())}`;
const emitted = (doc: JsonLine) =>
  (doc._aws?.CloudWatchMetrics ?? []).flatMap((d) =>
    d.Dimensions.flatMap((set) =>
      d.Metrics.map((m) => metricKey(m.Name, Object.fromEntries(set.map((k) => [k, doc[k]])))),
    ),
  );

describe('placer handler on moto', function () {
  this.timeout(60_000);
  useMocks();
  const moto = useMoto();
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  function loadHandler(): PlacerHandler {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      [SETTINGS_ENV]: JSON.stringify({ ...BASE_SETTINGS, compression: 'UNCOMPRESSED' }),
    });
    return loadModule<{ handler: PlacerHandler }>(require.resolve('../../rotation/handlers/placer'), {
      fresh: true,
    }).handler;
  }

  async function placerAlarmMetrics(): Promise<string[]> {
    new Alarms('ops', {
      routerFunctionName: 'router-fn',
      rotationFunctionName: 'rotation-fn',
      eventSourceMappingUuid: 'esm-uuid',
      fallbackStreamName: 'events-fallback',
      deploymentId: BASE_SETTINGS.deploymentId,
      placer: { functionName: 'placer-fn', deadLetterQueueName: 'placer-dlq' },
    });
    await settle();
    return ofType<Alarm>('aws:cloudwatch/metricAlarm:MetricAlarm')
      .map((a) => a.inputs)
      .filter((i) => i.namespace === METRIC_NAMESPACE && i.dimensions?.service === 'placer')
      .map((i) => metricKey(i.metricName!, i.dimensions!));
  }

  it('places the notified object and emits the metrics its alarm watches', async () => {
    const s3 = new S3Client(clientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'demo-lake', Key: KEY, Body: `${LATE}not json\n` }),
    );
    const handler = loadHandler();
    const event = objectCreatedEvent('demo-lake', { key: KEY, size: 1, eTag: put.ETag!.replace(/"/g, '') });
    const { value, lines } = await capturingJson(() => handler(event));
    expect(value).to.deep.include({ objects: 1, placed: 1, kept: 1, keptByReason: { 'not-json': 1 } });
    const tag = sourceTag('demo-lake', KEY, put.ETag!.replace(/"/g, ''));
    const placed = await s3.send(
      new GetObjectCommand({ Bucket: 'demo-lake', Key: `data/dt=2026-11-22/hr=03/placed-${tag}-0000` }),
    );
    expect(await placed.Body!.transformToString()).to.equal(LATE);
    const keys = new Set(emfDocuments(lines).flatMap(emitted));
    const alarms = await placerAlarmMetrics();
    expect(alarms).to.deep.equal([metricKey('PlacerErrors', { service: 'placer', deployment: 'demo/dev' })]);
    expect(alarms.filter((k) => !keys.has(k))).to.deep.equal([]);
  });

  it('fails the invocation for an object it cannot read, with PlacerErrors 1 for the alarm', async () => {
    await new S3Client(clientConfig(moto.endpoint)).send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    const handler = loadHandler();
    const event = objectCreatedEvent('demo-lake', { key: KEY, size: 1, eTag: 'gone' });
    let failure: unknown;
    const { lines } = await capturingJson(() => handler(event).catch((err: unknown) => void (failure = err)));
    expect((failure as Error).name).to.equal('NoSuchKey');
    const errors = emfDocuments(lines).filter((d) => d.PlacerErrors !== undefined);
    expect(errors.map((d) => [d.service, d.deployment, d.PlacerErrors])).to.deep.equal([
      ['placer', 'demo/dev', 1],
    ]);
  });
});

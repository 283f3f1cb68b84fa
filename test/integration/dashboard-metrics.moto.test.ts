// Every metric of ours the dashboard graphs, held against what the deployed handlers really emit:
// both Lambda entry points run in-process on moto, their Embedded Metric Format documents are
// captured from stdout, and each graphed (name, dimensions) must be among them. A renamed metric, a
// dimension Powertools stops adding, or a graph on a metric nobody emits fails here.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import type { Context } from 'aws-lambda';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { ALARM_IDS, PLACER_ALARM_IDS } from '../../components/alarms';
import { dashboardBody } from '../../components/dashboard-body';
import { listFallbackObjects, objectCreatedEvent } from '../../rotation/local/fallback-notifications';
import { SETTINGS_ENV } from '../../rotation/core/settings';
import { graphedMetrics } from '../components/dashboard-metrics';
import type { JsonLine } from '../support/capture-stdout';
import { BASE_SETTINGS } from '../support/fixtures';
import { kinesisEvent } from '../support/kinesis-event';
import { clientConfig, TEST_REGION, useMoto } from '../support/moto';

interface Emitted {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** Runs fn with stdout and stderr captured; returns the EMF metrics they carried. */
async function emitted(fn: () => Promise<unknown>): Promise<Emitted[]> {
  const lines: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write.bind(s));
  for (const s of streams)
    s.write = (chunk: string | Uint8Array) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      return true;
    };
  try {
    await fn();
  } finally {
    streams.forEach((s, i) => (s.write = writes[i]));
  }
  const docs = lines.map((l) => JSON.parse(l) as JsonLine).filter((d) => d._aws);
  return docs.flatMap((doc) =>
    (doc._aws?.CloudWatchMetrics ?? []).flatMap((set) =>
      set.Dimensions.flatMap((dims) =>
        set.Metrics.map((m) => ({
          namespace: set.Namespace,
          name: m.Name,
          dimensions: Object.fromEntries(dims.map((d) => [d, String(doc[d] as string | number)])),
        })),
      ),
    ),
  );
}

function load<T>(module: string): T {
  delete require.cache[require.resolve(module)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- module scope reads the environment
  return require(module) as T;
}

describe('dashboard metrics are the ones the handlers emit', function () {
  this.timeout(120_000);
  const moto = useMoto();
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('every FirehoseRotation graph matches an emitted name and dimension set', async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      [SETTINGS_ENV]: JSON.stringify({ ...BASE_SETTINGS, quota: 6, compression: 'UNCOMPRESSED' }),
    });
    await new S3Client(clientConfig(moto.endpoint)).send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    await new FirehoseClient(clientConfig(moto.endpoint)).send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'events-fallback',
        ExtendedS3DestinationConfiguration: {
          RoleARN: BASE_SETTINGS.deliveryRoleArn,
          BucketARN: BASE_SETTINGS.bucketArn,
          Prefix: 'late/',
        },
      }),
    );
    const rotation = load<typeof import('../../rotation/handlers/rotate')>('../../rotation/handlers/rotate');
    const router = load<typeof import('../../rotation/handlers/router')>('../../rotation/handlers/router');
    const placer = load<typeof import('../../rotation/handlers/placer')>('../../rotation/handlers/placer');

    const now = DateTime.utc();
    const event = kinesisEvent([
      { sequenceNumber: '1', data: `${JSON.stringify({ timestamp: now.toISO() })}\n` },
      { sequenceNumber: '2', data: `${JSON.stringify({ timestamp: now.minus({ hours: 5 }).toISO() })}\n` },
      { sequenceNumber: '3', data: 'not json\n' },
      { sequenceNumber: '4', data: `{"timestamp":"${now.toISO()}","pad":"${'x'.repeat(1_024_100)}"}\n` },
    ]);
    const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
    const catalogue = [
      ...(await emitted(() => rotation.handler({}))),
      ...(await emitted(() => router.handler(event, context))),
    ];
    // The placer on the fallback object the router just wrote (its late and not-json records).
    const [fallbackObject] = await listFallbackObjects(
      new S3Client(clientConfig(moto.endpoint)),
      'demo-lake',
      'late',
    );
    catalogue.push(...(await emitted(() => placer.handler(objectCreatedEvent('demo-lake', fallbackObject)))));
    // The per-reason metrics of this batch: late and not-json to the fallback, too-large failed.
    expect(
      catalogue.filter((m) => m.dimensions.reason).map((m) => `${m.name} ${JSON.stringify(m.dimensions)}`),
    ).to.deep.equal([
      'FallbackRecordsByReason {"service":"router","deployment":"demo/dev","reason":"late"}',
      'FallbackRecordsByReason {"service":"router","deployment":"demo/dev","reason":"not-json"}',
      'FailedRecordsByReason {"service":"router","deployment":"demo/dev","reason":"too-large"}',
      'RecordsKeptByReason {"service":"placer","deployment":"demo/dev","reason":"not-json"}',
    ]);

    const body = dashboardBody({
      region: TEST_REGION,
      streamPrefix: 'events',
      deploymentId: BASE_SETTINGS.deploymentId,
      routerFunctionName: 'router-fn',
      rotationFunctionName: 'rotation-fn',
      eventSourceMappingUuid: 'esm-uuid',
      fallbackStreamName: 'events-fallback',
      alarmArns: Object.fromEntries([...ALARM_IDS, ...PLACER_ALARM_IDS].map((id) => [id, `arn:${id}`])),
      placer: { functionName: 'placer-fn', deadLetterQueueName: 'placer-dlq' },
    });
    // The metric graphs' rows; the alarm graphs draw what their alarms watch, which
    // metric-contract.moto.test.ts holds against the same EMF output.
    const ours = graphedMetrics(body.widgets).filter((m) => m.namespace === 'FirehoseRotation');
    // 14, the placer's RecordsPlaced, RecordsKept, HoursAmended, PlacerErrors, and the sharing graph's
    // DeploymentsInRegion, LiveWindowsOverQuota, OrphanStreamsRefused.
    expect(ours).to.have.length(21);
    for (const m of ours) {
      const match = catalogue.find((e) => {
        if (e.namespace !== m.namespace || e.name !== m.name) return false;
        const keys = Object.keys(e.dimensions).sort();
        const wanted = (m.searchDimensions ?? Object.keys(m.dimensions)).slice().sort();
        if (JSON.stringify(keys) !== JSON.stringify(wanted)) return false;
        return Object.entries(m.dimensions).every(([k, v]) => e.dimensions[k] === v);
      });
      expect(match, `${m.widget}: ${m.name} ${JSON.stringify(m.dimensions)} is emitted`).not.to.equal(
        undefined,
      );
    }
  });
});

// The deployed entry point itself: settings from FIREHOSE_ROTATION_SETTINGS, a FirehoseClient built
// at module scope from the standard AWS environment (pointed at moto), the system clock and the
// Lambda context's remaining time. Imported only once the environment is set, as Lambda would.
import type { Context } from 'aws-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { hourPrefix } from '../../rotation/core/names';
import { SETTINGS_ENV } from '../../rotation/core/settings';
import { kinesisEvent } from '../support/kinesis-event';
import { capturingJson, emfDocuments } from '../support/capture-stdout';
import { loadModule } from '../support/load-module';
import { clientConfig, TEST_REGION, useMoto } from '../support/moto';
import { BUCKET, MOTO_SETTINGS, provision } from '../support/router-moto';
import { expectedContents, readBack } from '../support/s3-readback';

const ROUTER_HANDLER = require.resolve('../../rotation/handlers/router');

type Handler = (typeof import('../../rotation/handlers/router'))['handler'];
const context = (remainingMs: number) =>
  ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

/** Runs fn while capturing Powertools' output: log lines apart from EMF metric documents. */
async function capturing<T>(fn: () => Promise<T>) {
  const { value, lines } = await capturingJson(fn);
  return { value, logs: lines.filter((d) => !d._aws), metrics: emfDocuments(lines) };
}

describe('router handler on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  const saved: Record<string, string | undefined> = {};
  let handler: Handler;

  beforeEach(() => {
    const env: Record<string, string> = {
      [SETTINGS_ENV]: JSON.stringify(MOTO_SETTINGS),
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    };
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    // A fresh module scope per test: the handler reads its settings at module load.
    handler = loadModule<{ handler: Handler }>(ROUTER_HANDLER, { fresh: true }).handler;
  });

  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('routes a batch by the system clock: current hour to its stream, late and malformed to the fallback', async () => {
    const now = DateTime.utc();
    await provision(moto.endpoint, MOTO_SETTINGS, now);
    const lines = [
      `${JSON.stringify({ id: 'now', timestamp: now.toISO() })}\n`,
      `${JSON.stringify({ id: 'late', timestamp: now.minus({ hours: 3 }).toMillis() })}\n`,
      'not json\n',
    ];
    const event = kinesisEvent(lines.map((data, i) => ({ sequenceNumber: String(300 + i), data })));

    const { value, logs } = await capturing(() => handler(event, context(30_000)));
    expect(value).to.deep.equal({ batchItemFailures: [] });
    const summary = logs.find((l) => l.message === 'router batch')!;
    expect([
      summary.level,
      summary.service,
      summary.records,
      summary.delivered,
      summary.perReason,
    ]).to.deep.equal(['INFO', 'firehose-rotation-router', 3, 3, { hourly: 1, late: 1, 'not-json': 1 }]);
    const s3 = new S3Client(clientConfig(moto.endpoint));
    expect(await readBack(s3, BUCKET)).to.deep.equal(
      expectedContents(
        [
          [hourPrefix('data', now.startOf('hour')), lines[0]],
          ['late/', lines[1]],
          ['late/', lines[2]],
        ],
        {},
      ),
    );
  });

  it('with less time left than the safety margin it sends nothing and returns every record', async () => {
    await provision(moto.endpoint, MOTO_SETTINGS, DateTime.utc());
    const event = kinesisEvent([
      { sequenceNumber: '401', data: '{"timestamp":0}' },
      { sequenceNumber: '402', data: 'x' },
    ]);
    const { value, logs, metrics } = await capturing(() => handler(event, context(2_999)));
    expect(value).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: '401' }, { itemIdentifier: '402' }],
    });
    expect(await readBack(new S3Client(clientConfig(moto.endpoint)), BUCKET)).to.deep.equal({});
    expect(logs.map((l) => [l.level, l.message, l.records, l.reason])).to.deep.equal([
      ['ERROR', 'records not delivered; returned to Kinesis as batch item failures', 2, 'deadline'],
      ['INFO', 'router batch', 2, undefined],
    ]);
    expect([metrics[0].RecordsIn, metrics[0].FailedAfterRetries, metrics[0].FallbackRecords]).to.deep.equal([
      2, 2, 0,
    ]);
  });
});

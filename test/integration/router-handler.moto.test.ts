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
import { settings } from '../support/fixtures';
import { expectedContents, readBack } from '../support/s3-readback';
import { startHangingProxy } from '../support/hanging-proxy';
import { streamName } from '../../rotation/core/names';

const ROUTER_HANDLER = require.resolve('../../rotation/handlers/router');

type Handler = (typeof import('../../rotation/handlers/router'))['handler'];
const context = (remainingMs: number) =>
  ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

/** Runs fn while capturing Powertools' output: log lines apart from EMF metric documents. */
async function capturing<T>(fn: () => Promise<T>) {
  const { value, lines } = await capturingJson(fn);
  return { value, logs: lines.filter((d) => !d._aws), metrics: emfDocuments(lines) };
}

// The handler reads the system clock, so these tests run at any time of day: with the default
// horizon, the first minutes of a UTC day need one stream more than the quota (the previous day's
// last hour still open beside two whole days), and provision's "no shortfall" would fail. Two
// hours of lookahead are all a batch of the current hour needs.
const HANDLER_SETTINGS = settings({ ...MOTO_SETTINGS, lookaheadHours: 2 });

describe('router handler on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  const saved: Record<string, string | undefined> = {};
  let handler: Handler;

  beforeEach(() => {
    const env: Record<string, string> = {
      [SETTINGS_ENV]: JSON.stringify(HANDLER_SETTINGS),
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
    await provision(moto.endpoint, HANDLER_SETTINGS, now);
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
    await provision(moto.endpoint, HANDLER_SETTINGS, DateTime.utc());
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

  /** The handler again, its module-scope client now pointed at `endpoint`. */
  function handlerVia(endpoint: string): Handler {
    process.env.AWS_ENDPOINT_URL = endpoint;
    delete require.cache[require.resolve('../../rotation/handlers/router')];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- module scope reads the environment
    return (require('../../rotation/handlers/router') as { handler: Handler }).handler;
  }

  const deadlineCases: [string, (stream: string) => (target: string, body: string) => boolean][] = [
    // Only the current hour's PutRecordBatch hangs: the fallback's records still land in S3.
    [
      'the current hour',
      (current) => (target, body) => target.endsWith('PutRecordBatch') && body.includes(current),
    ],
    // Every PutRecordBatch hangs, the fallback's too.
    ['every stream', () => (target) => target.endsWith('PutRecordBatch')],
  ];
  for (const [name, hangWhen] of deadlineCases) {
    it(`a PutRecordBatch to ${name} that never answers is cut off at the deadline; the handler returns in time`, async () => {
      const now = DateTime.utc();
      await provision(moto.endpoint, HANDLER_SETTINGS, now);
      const current = streamName('events', now.startOf('hour'));
      const proxy = await startHangingProxy(moto.endpoint, hangWhen(current));
      try {
        const routed = handlerVia(proxy.endpoint);
        const lines = [
          `${JSON.stringify({ id: 'now', timestamp: now.toISO() })}\n`,
          `${JSON.stringify({ id: 'late', timestamp: now.minus({ hours: 3 }).toMillis() })}\n`,
          `${JSON.stringify({ id: 'now-2', timestamp: now.toMillis() })}\n`,
        ];
        const event = kinesisEvent(lines.map((data, i) => ({ sequenceNumber: String(500 + i), data })));
        // A Lambda timeout of 5 s: the deadline is 5 s − the 3 s safety margin = 2 s from now.
        const started = Date.now();
        const run = capturing(() => routed(event, context(5_000)));
        // Without the bound the handler would wait forever: end the wait (and the hung calls) at 8 s.
        const timer = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 8_000).unref());
        if ((await Promise.race([run, timer])) === 'hung') {
          await proxy.close();
          await run.catch(() => undefined);
          expect.fail('the handler still waited on a send after 8 s, past its 5 s Lambda timeout');
        }
        const { value, logs, metrics } = await run;
        const elapsed = Date.now() - started;
        expect(elapsed, 'cut off at the deadline, not before').to.be.at.least(1_900);
        expect(elapsed, 'returned before the Lambda timeout, with room to spare').to.be.below(3_000);
        const all = name === 'every stream';
        expect(proxy.hung()).to.equal(all ? 2 : 1); // one call each: the abort ends the SDK's retries too
        expect(value).to.deep.equal({
          batchItemFailures: (all ? ['500', '501', '502'] : ['500', '502']).map((itemIdentifier) => ({
            itemIdentifier,
          })),
        });
        const errors = logs.filter((l) => l.level === 'ERROR');
        // Both hung calls end at the same instant, in either order.
        expect(errors.map((l) => [l.stream, l.records, l.reason].map(String).join(' ')).sort()).to.deep.equal(
          all ? [`${current} 2 deadline`, 'events-fallback 1 deadline'] : [`${current} 2 deadline`],
        );
        expect(String(errors[0].detail)).to.match(/^PutRecordBatch cut off at the invocation deadline /);
        expect([metrics[0].RecordsIn, metrics[0].FailedAfterRetries]).to.deep.equal([3, all ? 3 : 2]);
        const s3 = new S3Client(clientConfig(moto.endpoint));
        expect(await readBack(s3, BUCKET)).to.deep.equal(
          all ? {} : expectedContents([['late/', lines[1]]], {}),
        );
      } finally {
        await proxy.close();
      }
    });
  }
});

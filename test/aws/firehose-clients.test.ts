import { expect } from 'chai';
import { Readable } from 'node:stream';
import { CreateDeliveryStreamCommand, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2 } from '@smithy/types';
import { controlPlaneClient, type ControlPlaneOptions, Pacer } from '../../rotation/aws/firehose-clients';

/** A fake HTTP handler: answers each request with the next scripted response, throws when out. */
function scripted(responses: { status: number; type?: string; body?: object }[]) {
  const seen: string[] = [];
  return {
    seen,
    handler: {
      handle(request: { headers: Record<string, string> }) {
        seen.push(request.headers['x-amz-target']);
        const next = responses.shift();
        if (!next) return Promise.reject(new Error(`unexpected request ${request.headers['x-amz-target']}`));
        const body = JSON.stringify(next.type ? { __type: next.type, message: next.type } : next.body);
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
        if (next.type) headers['x-amzn-errortype'] = next.type;
        return Promise.resolve({
          response: { statusCode: next.status, headers, body: Readable.from([Buffer.from(body)]) },
        });
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

const config = (handler: object, pacer?: Pacer) => ({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  requestHandler: handler as never,
  pacer,
});
const create = new CreateDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112205' });

/** The retry strategy the control-plane client sends every command through. */
async function retryStrategyOf(options: ControlPlaneOptions): Promise<RetryStrategyV2> {
  const client = controlPlaneClient({ ...config(scripted([]).handler), ...options });
  try {
    return (await client.config.retryStrategy()) as RetryStrategyV2;
  } finally {
    client.destroy();
  }
}

describe('control-plane client', () => {
  it('Pacer spaces call starts 200 ms apart at 5 calls/s', async () => {
    let clock = 1_000;
    const sleeps: number[] = [];
    const pacer = new Pacer(
      5,
      () => clock,
      (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    );
    for (let i = 0; i < 4; i++) await pacer.take();
    clock += 1_000; // idle for a second: no wait needed
    await pacer.take();
    expect(sleeps).to.deep.equal([200, 400, 600]);
  });

  it('paces every HTTP attempt, retries included', async () => {
    const takes: number[] = [];
    const pacer = new Pacer(
      5,
      () => 0,
      () => Promise.resolve(),
    );
    const original = pacer.take.bind(pacer);
    pacer.take = () => {
      takes.push(takes.length);
      return original();
    };
    const fake = scripted([
      { status: 500, type: 'ServiceUnavailableException' },
      { status: 200, body: { DeliveryStreamNames: [], HasMoreDeliveryStreams: false } },
    ]);
    await controlPlaneClient(config(fake.handler, pacer)).send(new ListDeliveryStreamsCommand({}));
    expect(fake.seen).to.deep.equal([
      'Firehose_20150804.ListDeliveryStreams',
      'Firehose_20150804.ListDeliveryStreams',
    ]);
    expect(takes).to.have.length(2);
  });

  it('retries throttling, then succeeds', async () => {
    const fake = scripted([
      { status: 400, type: 'ThrottlingException' },
      {
        status: 200,
        body: {
          DeliveryStreamARN: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/events-2026112205',
        },
      },
    ]);
    const out = await controlPlaneClient(config(fake.handler)).send(create);
    expect(out.DeliveryStreamARN).to.equal(
      'arn:aws:firehose:us-east-1:123456789012:deliverystream/events-2026112205',
    );
    expect(out.$metadata.attempts).to.equal(2);
  });

  it('does not retry LimitExceededException (the stream quota): one attempt, error surfaced', async () => {
    const fake = scripted([{ status: 400, type: 'LimitExceededException' }]);
    const err = await controlPlaneClient(config(fake.handler))
      .send(create)
      .then(
        () => undefined,
        (e: Error & { $metadata: { attempts: number } }) => e,
      );
    expect(err?.name).to.equal('LimitExceededException');
    expect(err?.$metadata.attempts).to.equal(1);
    expect(fake.seen).to.have.length(1);
  });

  it('keeps every command at maxAttempts however many throttles came before (no shared retry quota)', async () => {
    const throttle: RetryErrorInfo = {
      errorType: 'THROTTLING',
      error: { name: 'ThrottlingException', message: 'Rate exceeded', $metadata: {} },
    };
    /** Commands each throttled maxAttempts times in a row: how many retries were granted per command. */
    async function grantedRetries(strategy: RetryStrategyV2, commands: number): Promise<number[]> {
      const granted: number[] = [];
      for (let c = 0; c < commands; c++) {
        let token = await strategy.acquireInitialRetryToken('firehose');
        let retries = 0;
        for (;;) {
          try {
            token = await strategy.refreshRetryTokenForRetry(token, throttle);
            retries++;
          } catch {
            break;
          }
        }
        granted.push(retries);
      }
      return granted;
    }
    // The strategies sleep the backoff themselves; a zero backoff keeps 700 retries instant.
    const backoff = { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined };
    const ours = await grantedRetries(await retryStrategyOf({ maxAttempts: 8, backoff }), 100);
    expect(ours).to.deep.equal(Array.from({ length: 100 }, () => 7));
    // The SDK's own strategy shares one quota across commands: sustained throttling drains it.
    const standard = await grantedRetries(new StandardRetryStrategy({ maxAttempts: 8, backoff }), 100);
    expect(standard.at(-1)).to.equal(0);
  });

  it('refuses a token it did not issue', async () => {
    const foreign = await new StandardRetryStrategy(3).acquireInitialRetryToken('firehose');
    const ours = await retryStrategyOf({ maxAttempts: 3 });
    expect(() => ours.recordSuccess(foreign)).to.throw(
      'QuotaAwareRetryStrategy: token was not issued by this strategy',
    );
  });
});

// Fault injection at the HTTP layer of an SDK client: a middleware placed right after the SDK's
// deserializer sees each attempt's raw request and answers some of them with a fabricated HTTP
// error (or drops the real answer), so the SDK's own deserializer, error classes, retry
// classification and backoff react exactly as they would to AWS. Nothing in rotation/ is changed.
import { Readable } from 'node:stream';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  HandlerExecutionContext,
  HttpResponse,
  MetadataBearer,
} from '@smithy/types';
import { Rng, SimClock } from './sim-support';

export type FaultKind = 'throttle' | 'unavailable' | 'internal' | 'timeout' | 'lost-response';

/** Relative weights of each kind when a fault is injected. */
type FaultMix = Partial<Record<FaultKind, number>>;

export interface WireHooks {
  /** Runs before an attempt is sent (after the fault draw); throwing aborts the attempt. */
  before?(command: string, input: Record<string, unknown>): void | Promise<void>;
  /** Runs when moto answered, even if the client is then told the answer was lost. */
  after?(
    command: string,
    input: Record<string, unknown>,
    status: number,
    errorType?: string,
  ): void | Promise<void>;
}

export interface WireFaultOptions {
  clock: SimClock;
  rng: Rng;
  /** Probability that an attempt of `command` is faulted; 0 turns injection off. */
  rate: (command: string) => number;
  mix: FaultMix;
  hooks?: WireHooks;
}

const JSON_1_1 = 'application/x-amz-json-1.1';

/** An HTTP answer shaped like AWS's awsJson1_1 error responses. */
function errorResponse(statusCode: number, type: string): HttpResponse {
  const body = Buffer.from(JSON.stringify({ __type: type, message: `injected ${type}` }));
  return {
    statusCode,
    headers: { 'content-type': JSON_1_1, 'x-amzn-errortype': type, 'x-amzn-requestid': 'injected-fault' },
    body: Readable.from([body]),
  };
}

/** What the Node HTTP handler throws when a socket times out: retried by the SDK as transient. */
function timeoutError(): Error {
  return Object.assign(new Error('injected: connection timed out'), { name: 'TimeoutError', $metadata: {} });
}

async function readBody(response: HttpResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export class WireFaults {
  readonly injected: Record<FaultKind, number> = {
    throttle: 0,
    unavailable: 0,
    internal: 0,
    timeout: 0,
    'lost-response': 0,
  };
  /** Every attempt that reached the wire (faulted or not), with its simulated start time. */
  attempts = 0;
  readonly attemptTimes: number[] = [];
  readonly perCommand: Record<string, number> = {};

  constructor(private readonly options: WireFaultOptions) {}

  get faults(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }

  private draw(command: string): FaultKind | undefined {
    const { rng, rate, mix } = this.options;
    if (!rng.chance(rate(command))) return undefined;
    const kinds = Object.entries(mix).filter(([, w]) => (w ?? 0) > 0) as [FaultKind, number][];
    let x = rng.next() * kinds.reduce((a, [, w]) => a + w, 0);
    for (const [kind, weight] of kinds) if ((x -= weight) < 0) return kind;
    return kinds[kinds.length - 1]?.[0];
  }

  install(client: FirehoseClient): void {
    const wire =
      <O extends MetadataBearer>(next: DeserializeHandler<object, O>, context: HandlerExecutionContext) =>
      async (args: DeserializeHandlerArguments<object>) => {
        const command = (context.commandName ?? '').replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        this.attempts++;
        this.attemptTimes.push(this.options.clock.ms);
        this.perCommand[command] = (this.perCommand[command] ?? 0) + 1;
        const fault = this.draw(command);
        if (fault) this.injected[fault]++;
        if (fault === 'throttle') return { response: errorResponse(400, 'ThrottlingException') } as never;
        if (fault === 'unavailable')
          return { response: errorResponse(503, 'ServiceUnavailableException') } as never;
        if (fault === 'internal') return { response: errorResponse(500, 'InternalFailure') } as never;
        if (fault === 'timeout') throw timeoutError();
        await this.options.hooks?.before?.(command, input);
        const out = await next(args);
        const response = out.response as HttpResponse;
        let errorType: string | undefined;
        if (response.statusCode !== 200) {
          // Read (and put back) the error body so hooks can see e.g. LimitExceededException.
          const body = await readBody(response);
          response.body = Readable.from([body]);
          errorType = String(
            response.headers['x-amzn-errortype'] ??
              (JSON.parse(body.toString() || '{}') as { __type?: string }).__type,
          );
        }
        await this.options.hooks?.after?.(command, input, response.statusCode, errorType?.split(':')[0]);
        if (fault === 'lost-response') {
          // The request took effect; only its answer is lost, so the retry meets the new state.
          if (response.statusCode === 200) (response.body as Readable).resume();
          throw timeoutError();
        }
        return out;
      };
    client.middlewareStack.addRelativeTo(wire, {
      relation: 'after',
      toMiddleware: 'deserializerMiddleware',
      name: 'verifyWireFaults',
      override: true,
    });
  }

  /** Most attempts that started within any 1,000 ms window of simulated time. */
  maxPerSecond(): number {
    let best = 0;
    for (let i = 0, j = 0; i < this.attemptTimes.length; i++) {
      while (this.attemptTimes[i] - this.attemptTimes[j] >= 1000) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }
}

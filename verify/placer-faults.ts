// S3 faults for the placer's run: a GetObject or PutObject answered 503 before it is sent, a
// PutObject whose answer is lost after S3 stored the object, and a GetObject body that breaks off
// mid-object (the connection reset while the placer streams it). Injected at the initialize step,
// outside the SDK's own retries, so each one fails the whole invocation: the placer "crashes" and
// Lambda's asynchronous retry (simulated by placer-sim) runs it again from the start.
import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { Rng } from './sim-support';

export type S3FaultKind = 'get-unavailable' | 'put-unavailable' | 'put-lost-response' | 'torn-read';

const unavailable = () =>
  Object.assign(new Error('injected: 503 Slow Down'), {
    name: 'SlowDown',
    $metadata: { httpStatusCode: 503 },
  });

/** Yields the body's chunks, then breaks off before its end (after the first chunk, or at once). */
async function* tornAfterFirstChunk(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    yield chunk;
    break;
  }
  throw new Error('injected: connection reset while reading the object');
}

export class S3Faults {
  readonly injected: Record<S3FaultKind, number> = {
    'get-unavailable': 0,
    'put-unavailable': 0,
    'put-lost-response': 0,
    'torn-read': 0,
  };
  /** Off for the dead-letter replay: the operator replays once the cause is gone. */
  armed = true;

  constructor(
    private readonly rng: Rng,
    private readonly rate: number,
  ) {}

  get total(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }

  install(s3: S3Client): void {
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName;
        if (!this.armed || !this.rng.chance(this.rate)) return next(args);
        if (command === 'GetObjectCommand') {
          if (this.rng.chance(0.5)) return this.fail('get-unavailable');
          const out = await next(args);
          this.injected['torn-read']++;
          const output = out.output as { Body?: AsyncIterable<Uint8Array> };
          output.Body = Readable.from(tornAfterFirstChunk(output.Body!));
          return out;
        }
        if (command === 'PutObjectCommand') {
          if (this.rng.chance(0.5)) return this.fail('put-unavailable');
          await next(args); // stored: only the answer is lost
          this.injected['put-lost-response']++;
          throw Object.assign(new Error('injected: response lost after PutObject'), { name: 'TimeoutError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'verifyS3Faults' },
    );
  }

  private fail(kind: S3FaultKind): never {
    this.injected[kind]++;
    throw unavailable();
  }
}

// Router-side chaos on the PutRecordBatch path, all outside the code under test:
// - partial failures: an initialize-step middleware drops some entries from the request before it
//   is serialized and answers them as failed (ErrorCode ServiceUnavailableException or
//   InternalFailure, FailedPutCount > 0), exactly as Firehose reports entries it did not take;
// - streams deleted mid-flight: just before a send, the target hourly stream is deleted, so the
//   call meets ResourceNotFoundException (a race with rotation or an operator);
// - write timing: every accepted write to an hourly stream is checked against its drain instant.
import {
  DeleteDeliveryStreamCommand,
  FirehoseClient,
  PutRecordBatchCommandInput,
  PutRecordBatchCommandOutput,
  PutRecordBatchResponseEntry,
} from '@aws-sdk/client-firehose';
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import { parseStreamName } from '../rotation/core/names';
import { RotationSettings } from '../rotation/core/settings';
import { writeDeadline } from '../rotation/core/time-window';
import { deletableAt } from '../rotation/core/stream-deletion';
import { Rng, SimClock, Violations } from './sim-support';
import { WireHooks } from './wire-faults';

export interface RouterChaosOptions {
  clock: SimClock;
  rng: Rng;
  s: RotationSettings;
  observer: FirehoseClient;
  violations: Violations;
  /** Share of PutRecordBatch calls with some failed entries, and share of entries failed then. */
  partialCallRate: number;
  partialEntryRate: number;
  /** Every n-th send to an hourly stream finds it deleted just before (0: never). Counted, not
   * drawn, so a short run is sure to meet some deletions. */
  deleteEvery: number;
}

export class RouterChaos implements WireHooks {
  partialCalls = 0;
  failedEntries = 0;
  streamsDeleted = 0;
  private hourlySends = 0;
  hourlyWrites = 0;
  /** Accepted writes after the hour's write deadline (the router checked before a queued send). */
  writesAfterDeadline = 0;
  maxMsPastDeadline = 0;
  /** Entries moto accepted, per stream kind: the S3 side must hold at least these. */
  accepted = 0;

  constructor(private readonly o: RouterChaosOptions) {}

  install(client: FirehoseClient): void {
    const partial =
      (next: InitializeHandler<object, object>, context: HandlerExecutionContext) =>
      async (args: InitializeHandlerArguments<object>) => {
        if (context.commandName !== 'PutRecordBatchCommand') return next(args);
        const input = args.input as PutRecordBatchCommandInput;
        const records = input.Records ?? [];
        const { rng, partialCallRate, partialEntryRate } = this.o;
        const failed = records.map(() => false);
        if (rng.chance(partialCallRate))
          records.forEach((_, i) => (failed[i] = rng.chance(partialEntryRate)));
        const dropped = failed.filter(Boolean).length;
        if (dropped === 0) return next(args);
        this.partialCalls++;
        this.failedEntries += dropped;
        const kept = records.filter((_, i) => !failed[i]);
        // Firehose answers entry by entry, in request order; the kept ones get moto's answers.
        const out = kept.length
          ? ((await next({ ...args, input: { ...input, Records: kept } })) as {
              output: PutRecordBatchCommandOutput;
            })
          : {
              output: {
                $metadata: { httpStatusCode: 200 },
                Encrypted: false,
                FailedPutCount: 0,
                RequestResponses: [],
              },
            };
        const answers = [...(out.output.RequestResponses ?? [])];
        const responses: PutRecordBatchResponseEntry[] = failed.map((f) =>
          f
            ? {
                ErrorCode: rng.chance(0.8) ? 'ServiceUnavailableException' : 'InternalFailure',
                ErrorMessage: 'injected entry failure',
              }
            : answers.shift()!,
        );
        const failedCount = responses.filter((r) => r.ErrorCode).length;
        return {
          ...out,
          output: { ...out.output, FailedPutCount: failedCount, RequestResponses: responses },
        };
      };
    client.middlewareStack.add(partial as never, {
      step: 'initialize',
      name: 'verifyPartialFailures',
      override: true,
    });
  }

  async before(command: string, input: Record<string, unknown>): Promise<void> {
    if (command !== 'PutRecordBatch') return;
    const name = String(input.DeliveryStreamName);
    if (name === this.o.s.fallbackStreamName) return;
    if (this.o.deleteEvery > 0 && ++this.hourlySends % this.o.deleteEvery === 0) {
      try {
        await this.o.observer.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
        this.streamsDeleted++;
      } catch (err) {
        if ((err as Error).name !== 'ResourceNotFoundException') throw err;
      }
    }
  }

  after(command: string, input: Record<string, unknown>, status: number): void {
    if (command !== 'PutRecordBatch' || status !== 200) return;
    const name = String(input.DeliveryStreamName);
    this.accepted += (input.Records as unknown[]).length;
    if (name === this.o.s.fallbackStreamName) return;
    const hour = parseStreamName(this.o.s.streamPrefix, name);
    const now = this.o.clock.now();
    if (!hour) return this.o.violations.add(`${now.toISO()}: PutRecordBatch to unknown stream ${name}`);
    this.hourlyWrites++;
    const late = now.toMillis() - writeDeadline(hour, this.o.s).toMillis();
    if (late >= 0) {
      this.writesAfterDeadline++;
      this.maxMsPastDeadline = Math.max(this.maxMsPastDeadline, late);
    }
    if (now >= deletableAt(hour, this.o.s)) {
      this.o.violations.add(`${now.toISO()}: wrote to ${name} at or after its drain instant`);
    }
  }
}

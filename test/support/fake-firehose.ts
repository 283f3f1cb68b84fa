// Hand-written Firehose fakes for delivery tests. ScriptedFirehose accepts only the exact
// PutRecordBatch calls a test lists (any order, since groups are sent concurrently) and throws on
// anything else; ChaosFirehose accepts any PutRecordBatch and fails entries as a property dictates.
import {
  FirehoseClient,
  PutRecordBatchCommand,
  PutRecordBatchCommandOutput,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '@aws-sdk/client-firehose';

export type Sender = Pick<FirehoseClient, 'send'>;

/** Per-entry ErrorCodes by index, or an error thrown for the whole call. */
export type Reply = { failed?: Record<number, string> } | Error;

export interface ExpectedCall {
  stream: string;
  records: string[];
  reply?: Reply;
}

export interface SeenCall {
  stream: string;
  records: string[];
  bytes: number;
}

const text = (data: Uint8Array) => new TextDecoder().decode(data);

export const notFound = (stream: string) =>
  new ResourceNotFoundException({
    message: `Firehose ${stream} not found under account 123456789012.`,
    $metadata: {},
  });
export const unavailable = () => new ServiceUnavailableException({ message: 'Slow down.', $metadata: {} });

function answer(count: number, failed: Record<number, string>): PutRecordBatchCommandOutput {
  const RequestResponses = Array.from({ length: count }, (_, i) =>
    failed[i]
      ? { ErrorCode: failed[i], ErrorMessage: `${failed[i]} for entry ${i}` }
      : { RecordId: `record-${i}` },
  );
  return { FailedPutCount: Object.keys(failed).length, RequestResponses, $metadata: {} };
}

abstract class FakeFirehose {
  readonly calls: SeenCall[] = [];
  readonly unexpected: string[] = [];
  private inFlight = 0;
  maxInFlight = 0;

  get client(): Sender {
    return this;
  }

  protected abstract reply(call: SeenCall): Reply | undefined;

  async send(command: unknown): Promise<PutRecordBatchCommandOutput> {
    if (!(command instanceof PutRecordBatchCommand)) {
      const name = (command as object | undefined)?.constructor?.name ?? String(command);
      this.unexpected.push(name);
      throw new Error(`fake Firehose: unexpected command ${name}`);
    }
    const records = (command.input.Records ?? []).map((r) => text(r.Data!));
    const bytes = (command.input.Records ?? []).reduce((sum, r) => sum + r.Data!.byteLength, 0);
    const call = { stream: command.input.DeliveryStreamName!, records, bytes };
    this.calls.push(call);
    const reply = this.reply(call);
    if (reply === undefined) {
      const line = `PutRecordBatch to ${call.stream} with ${JSON.stringify(records)}`;
      this.unexpected.push(line);
      throw new Error(`fake Firehose: unexpected ${line}`);
    }
    // Yield to the event loop while "in flight", so concurrent calls overlap and are counted.
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    if (reply instanceof Error) throw reply;
    return answer(records.length, reply.failed ?? {});
  }
}

export class ScriptedFirehose extends FakeFirehose {
  constructor(private readonly expected: ExpectedCall[]) {
    super();
  }

  protected reply(call: SeenCall): Reply | undefined {
    const i = this.expected.findIndex(
      (e) => e.stream === call.stream && JSON.stringify(e.records) === JSON.stringify(call.records),
    );
    if (i < 0) return undefined;
    const [match] = this.expected.splice(i, 1);
    return match.reply ?? {};
  }

  /** Every listed call was made, and nothing else was asked. */
  assertDone(): void {
    const missing = this.expected.map((e) => `${e.stream} ${JSON.stringify(e.records)}`);
    if (missing.length || this.unexpected.length) {
      throw new Error(
        `fake Firehose: missing ${JSON.stringify(missing)}; unexpected ${JSON.stringify(this.unexpected)}`,
      );
    }
  }
}

export class ChaosFirehose extends FakeFirehose {
  constructor(private readonly decide: (call: SeenCall) => Reply) {
    super();
  }

  protected reply(call: SeenCall): Reply {
    return this.decide(call);
  }
}

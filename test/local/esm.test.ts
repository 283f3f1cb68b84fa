// The event source mapping model the demo routes with: checkpoint at the lowest failed sequence
// number, whole-batch retry on an error or an unknown identifier, bounded retries, then on-failure.
import { expect } from 'chai';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { EventSource, invokeWithRetries, ShardRecord } from '../../rotation/local/esm';

const SOURCE: EventSource = {
  streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/demo-source',
  shardId: 'shardId-000000000001',
  region: 'us-east-1',
  functionRoleArn: 'arn:aws:iam::123456789012:role/router',
};
const records: ShardRecord[] = [10, 11, 12, 13, 14].map((n) => ({
  sequenceNumber: `4959${n}`,
  partitionKey: `k${n}`,
  data: Buffer.from(`{"n":${n}}`),
  arrivedAt: new Date('2026-11-22T05:00:00.500Z'),
}));

/** An invoke that answers from a script, one response per call, and records what it was sent. */
function scripted(responses: (KinesisStreamBatchResponse | Error)[]) {
  const seen: string[][] = [];
  const invoke = (event: KinesisStreamEvent) => {
    seen.push(event.Records.map((r) => r.kinesis.sequenceNumber));
    const next = responses.shift();
    if (next === undefined) return Promise.reject(new Error('invoked more often than scripted'));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { invoke, seen };
}
const fail = (...seqs: string[]) => ({
  batchItemFailures: seqs.map((itemIdentifier) => ({ itemIdentifier })),
});
const ok = { batchItemFailures: [] };

describe('event source mapping model', () => {
  it('builds the KinesisStreamEvent the Lambda receives', async () => {
    const sent: KinesisStreamEvent[] = [];
    const invoke = (event: KinesisStreamEvent) => {
      sent.push(event);
      return Promise.resolve(ok);
    };
    await invokeWithRetries(records.slice(0, 1), invoke, SOURCE, 3);
    expect(sent.map((e) => e.Records)).to.deep.equal([
      [
        {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: 'k10',
            sequenceNumber: '495910',
            data: Buffer.from('{"n":10}').toString('base64'),
            approximateArrivalTimestamp: 1795323600.5,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: 'shardId-000000000001:495910',
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::123456789012:role/router',
          awsRegion: 'us-east-1',
          eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/demo-source',
        },
      ],
    ]);
  });

  it('a success is one invocation', async () => {
    const { invoke, seen } = scripted([ok]);
    expect(await invokeWithRetries(records, invoke, SOURCE, 3)).to.deep.equal({
      invocations: [5],
      onFailure: [],
    });
    expect(seen).to.have.length(1);
  });

  it('retries from the lowest failed sequence number, successes after it included', async () => {
    const { invoke, seen } = scripted([fail('495913', '495911'), fail('495913'), ok]);
    expect(await invokeWithRetries(records, invoke, SOURCE, 3)).to.deep.equal({
      invocations: [5, 4, 2],
      onFailure: [],
    });
    expect(seen).to.deep.equal([
      ['495910', '495911', '495912', '495913', '495914'],
      ['495911', '495912', '495913', '495914'],
      ['495913', '495914'],
    ]);
  });

  it('an error or an identifier not in the batch retries the whole batch', async () => {
    const { invoke, seen } = scripted([new Error('timeout'), fail(''), fail('999'), ok]);
    expect(await invokeWithRetries(records, invoke, SOURCE, 3)).to.deep.equal({
      invocations: [5, 5, 5, 5],
      onFailure: [],
    });
    expect(seen.map((s) => s[0])).to.deep.equal(['495910', '495910', '495910', '495910']);
  });

  it('after maxRetries the rest from the checkpoint goes to the on-failure destination', async () => {
    const { invoke } = scripted([fail('495912'), fail('495912'), fail('495914')]);
    expect(await invokeWithRetries(records, invoke, SOURCE, 2)).to.deep.equal({
      invocations: [5, 3, 3],
      onFailure: ['495914'],
    });
  });
});

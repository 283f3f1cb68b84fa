// The harness's event source mapping model: what it resends, and when it gives up. The router
// proof is only as good as this model, so its rules are pinned here with exact tables.
import { expect } from 'chai';
import type { KinesisStreamEvent } from 'aws-lambda';
import { deliverBatch, EsmStats, sequenceNumber, ShardRecord } from '../../verify/esm';

const batch: ShardRecord[] = [0, 1, 2, 3, 4].map((i) => ({
  sequenceNumber: sequenceNumber(i),
  data: Buffer.from(`r${i}`),
  arrivedAt: 0,
}));
const stats = (): EsmStats => ({
  invocations: 0,
  retries: 0,
  resent: 0,
  badIdentifiers: 0,
  thrown: 0,
  onFailure: [],
});
const seen = (event: KinesisStreamEvent) =>
  event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());

/** A function that answers each invocation from a script: failed indices into the batch it got. */
function scripted(answers: (number[] | 'throw' | string[])[]) {
  const calls: string[][] = [];
  const invoke = (event: KinesisStreamEvent) => {
    calls.push(seen(event));
    const answer = answers.shift() ?? [];
    if (answer === 'throw') return Promise.reject(new Error('function error'));
    const ids = answer.map((a) => (typeof a === 'number' ? event.Records[a].kinesis.sequenceNumber : a));
    return Promise.resolve({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });
  };
  return { calls, invoke };
}

describe('verify: event source mapping model', () => {
  it('a clean batch is invoked once', async () => {
    const s = stats();
    const f = scripted([[]]);
    await deliverBatch(batch, f.invoke, 3, s);
    expect(f.calls).to.deep.equal([['r0', 'r1', 'r2', 'r3', 'r4']]);
    expect(s).to.deep.equal({
      invocations: 1,
      retries: 0,
      resent: 0,
      badIdentifiers: 0,
      thrown: 0,
      onFailure: [],
    });
  });

  it('resends from the lowest failed record on, successes after it included', async () => {
    const s = stats();
    const f = scripted([[3, 1], [0], []]);
    await deliverBatch(batch, f.invoke, 3, s);
    expect(f.calls).to.deep.equal([
      ['r0', 'r1', 'r2', 'r3', 'r4'],
      ['r1', 'r2', 'r3', 'r4'],
      ['r1', 'r2', 'r3', 'r4'],
    ]);
    expect(s).to.deep.include({ retries: 2, resent: 8 });
  });

  it('after maxRetries the pending rest goes to the on-failure destination', async () => {
    const s = stats();
    const f = scripted([[3], [0], [1]]);
    await deliverBatch(batch, f.invoke, 2, s);
    expect(f.calls.map((c) => c.length)).to.deep.equal([5, 2, 2]);
    expect(s.onFailure).to.deep.equal([sequenceNumber(4)]);
  });

  it('an empty or unknown identifier, or a thrown error, fails the whole batch', async () => {
    const s = stats();
    const f = scripted([[''], ['49650000000000000000000000999999999999'], 'throw', []]);
    await deliverBatch(batch, f.invoke, 3, s);
    expect(f.calls.map((c) => c.length)).to.deep.equal([5, 5, 5, 5]);
    expect(s).to.deep.include({ invocations: 4, retries: 3, badIdentifiers: 2, thrown: 1 });
  });
});

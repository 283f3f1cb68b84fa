// The hour-complete signal before a drained hour's deletes, with several streams per hour: one
// signal per hour however many of its streams are deleted, and a failing signal holds at most one
// stream of the hour (the one that still owes it), so a held hour costs one quota slot, not N.
import { expect } from 'chai';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SignalClients } from '../../rotation/aws/hour-complete';
import { signalGate } from '../../rotation/aws/signal-gate';
import { at, settings } from '../support/fixtures';

const S = settings({ streamsPerHour: 3 });
const NOW = at('2026-11-22T10:30:00Z');
const drained = (key: string, name: string) => ({ name, hour: key, reason: 'drained' as const });
const OF_08 = ['events-2026112208', 'events-2026112208-1', 'events-2026112208-2'];

/** S3 and EventBridge fakes: they count the signal's two calls and throw on anything else. */
function fakeSignals(fail: boolean) {
  const calls: string[] = [];
  const client = (kind: string, command: unknown) => ({
    send: (c: unknown) => {
      if (!(c instanceof (command as new (...a: never[]) => unknown)))
        throw new Error(`unexpected ${kind} call`);
      calls.push(kind);
      if (fail && kind === 'events')
        return Promise.reject(Object.assign(new Error('no bus'), { name: 'ResourceNotFoundException' }));
      return Promise.resolve(kind === 'events' ? { FailedEntryCount: 0 } : {});
    },
  });
  const signals = { s3: client('s3', PutObjectCommand), events: client('events', PutEventsCommand) };
  return { calls, signals: signals as unknown as SignalClients };
}

describe('signalGate with streamsPerHour 3', () => {
  it('signals an hour once, at its first stream; every stream of it may then be deleted', async () => {
    const { calls, signals } = fakeSignals(false);
    const gate = signalGate({ signals, now: () => NOW }, S, 5);
    const verdicts = [];
    for (const name of OF_08) verdicts.push(await gate.beforeDelete(drained('2026112208', name)));
    verdicts.push(await gate.beforeDelete(drained('2026112209', 'events-2026112209')));
    expect(verdicts).to.deep.equal([true, true, true, true]);
    expect(gate.completed).to.deep.equal(['2026112208', '2026112209']);
    expect(calls).to.deep.equal(['s3', 'events', 's3', 'events']);
  });

  it('a failing signal holds the first stream only; its siblings go, one failure reported', async () => {
    const { calls, signals } = fakeSignals(true);
    const gate = signalGate({ signals, now: () => NOW }, S, 5);
    const verdicts = [];
    for (const name of OF_08) verdicts.push(await gate.beforeDelete(drained('2026112208', name)));
    expect(verdicts).to.deep.equal([false, true, true]);
    expect(gate.failures.map((f) => [f.stream, f.action])).to.deep.equal([['events-2026112208', 'held']]);
    expect(gate.completed).to.deep.equal([]);
    expect(calls).to.deep.equal(['s3', 'events']);
  });
});

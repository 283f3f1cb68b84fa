// The hour-complete signal before a drained hour's deletes, with several streams per hour: one
// signal per hour however many of its streams are deleted, and a failing signal holds at most one
// stream of the hour (the one that still owes it), so a held hour costs one quota slot, not N.
import { expect } from 'chai';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { generationOf } from '../../rotation/core/generations';
import type { SignalClients } from '../../rotation/aws/hour-complete-signal';
import { signalGate } from '../../rotation/aws/signal-gate';
import { at, settings } from '../support/fixtures';

const S = settings({ streamsPerHour: 3 });
const NOW = at('2026-11-22T10:30:00Z');
const drained = (key: string, name: string) => ({ name, hour: key, reason: 'drained' as const });
const OF_08 = ['events-2026112208', 'events-2026112208-1', 'events-2026112208-2'];

/** S3 and EventBridge fakes: they count the signal's two calls and throw on anything else. */
function fakeSignals(fail: boolean) {
  const calls: string[] = [];
  const keys: string[] = [];
  const client = (kind: string, command: unknown) => ({
    send: (c: unknown) => {
      if (!(c instanceof (command as new (...a: never[]) => unknown)))
        throw new Error(`unexpected ${kind} call`);
      calls.push(kind);
      if (c instanceof PutObjectCommand) keys.push(c.input.Key!);
      if (fail && kind === 'events')
        return Promise.reject(Object.assign(new Error('no bus'), { name: 'ResourceNotFoundException' }));
      return Promise.resolve(kind === 'events' ? { FailedEntryCount: 0 } : {});
    },
  });
  const signals = { s3: client('s3', PutObjectCommand), events: client('events', PutEventsCommand) };
  return { calls, keys, signals: signals as unknown as SignalClients };
}

/**
 * Firehose answering DescribeDeliveryStream only: each stream delivers under `prefixOf(name)`, as
 * made under a former dataPrefix ("old") — the marker must go there, not under the current one.
 */
function firehose(prefixOf = (name: string) => `old/dt=2026-11-22/hr=${name.slice(15, 17)}/`) {
  const described: string[] = [];
  const client = {
    send: (c: unknown) => {
      if (!(c instanceof DescribeDeliveryStreamCommand)) throw new Error('unexpected Firehose call');
      const name = c.input.DeliveryStreamName!;
      described.push(name);
      return Promise.resolve({
        DeliveryStreamDescription: {
          DeliveryStreamStatus: 'ACTIVE',
          Destinations: [
            {
              ExtendedS3DestinationDescription: {
                BucketARN: 'arn:aws:s3:::demo-lake',
                Prefix: prefixOf(name),
              },
            },
          ],
        },
      });
    },
  };
  return { described, client: client as unknown as FirehoseClient };
}

describe('signalGate with streamsPerHour 3', () => {
  it('signals an hour once, at its first stream, under the prefix its stream delivered to; every stream of it may then be deleted', async () => {
    const { calls, keys, signals } = fakeSignals(false);
    const fh = firehose();
    const gate = signalGate({ signals, now: () => NOW, client: fh.client }, S, 5);
    const verdicts = [];
    for (const name of OF_08) verdicts.push(await gate.beforeDelete(drained('2026112208', name)));
    verdicts.push(await gate.beforeDelete(drained('2026112209', 'events-2026112209')));
    expect(verdicts).to.deep.equal([true, true, true, true]);
    expect(gate.completed).to.deep.equal(['2026112208', '2026112209']);
    expect(calls).to.deep.equal(['s3', 'events', 's3', 'events']);
    // I2: the hour's own destination (a former dataPrefix "old"), not the current "data".
    expect(keys).to.deep.equal(['old/dt=2026-11-22/hr=08/_SUCCESS', 'old/dt=2026-11-22/hr=09/_SUCCESS']);
    expect(fh.described).to.deep.equal(['events-2026112208', 'events-2026112209']);
  });

  it('a failing signal holds the first stream only; its siblings go, one failure reported', async () => {
    const { calls, signals } = fakeSignals(true);
    const gate = signalGate({ signals, now: () => NOW, client: firehose().client }, S, 5);
    const verdicts = [];
    for (const name of OF_08) verdicts.push(await gate.beforeDelete(drained('2026112208', name)));
    expect(verdicts).to.deep.equal([false, true, true]);
    expect(gate.failures.map((f) => [f.stream, f.action])).to.deep.equal([['events-2026112208', 'held']]);
    expect(gate.completed).to.deep.equal([]);
    expect(calls).to.deep.equal(['s3', 'events']);
  });

  it('lateness 600 → 60: a failing signal is held by the window deletion used (the longest live one), not the current', async () => {
    const L = settings({ latenessMinutes: 600 });
    const B = settings({
      latenessMinutes: 60,
      formerGenerations: [
        { ...generationOf(L), namesUntil: '2026112300', expires: '2026-11-24T00:00:00.000Z' },
      ],
    });
    // 08h may be deleted from 09:00 + 600 min + 300 s + 15 min = 19:20 (drainWindow), its first
    // deletable run. With the current window alone (lateness 60) the hold would have ended at 13:20.
    const { signals } = fakeSignals(true);
    const gate = signalGate(
      { signals, now: () => at('2026-11-22T19:20:00Z'), client: firehose().client },
      B,
      5,
    );
    expect(await gate.beforeDelete(drained('2026112208', 'events-2026112208'))).to.equal(false);
    expect(gate.failures.map((f) => [f.action, f.why])).to.deep.equal([
      ['held', 'stream kept for a retry by a later run until 2026-11-22T22:20:00.000Z'],
    ]);
  });
});

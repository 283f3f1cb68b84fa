// The executor under limits moto does not raise the way AWS does: a LimitExceededException that is
// not the stream quota, and a concurrent run that filled the quota between this run's count and
// its creates (give-back). Scripted client: every call in order, nothing else.
import { expect } from 'chai';
import { LimitExceededException, ResourceInUseException } from '@aws-sdk/client-firehose';
import { rotate } from '../../rotation/aws/executor';
import { GIVE_BACK_POLL_MS } from '../../rotation/aws/give-back';
import { at, settings } from '../support/fixtures';
import { listing, scriptedClient, Step } from '../support/scripted-firehose';

const S = settings({ quota: 6, reserveStreams: 0 }); // the executor's mechanics, without the reserve
const NOW = at('2026-11-22T05:30:00Z');
const name = (hh: string) => `events-20261122${hh}`;
const create = (hh: string, reply: object | Error = {}): Step => [
  'CreateDeliveryStream',
  { DeliveryStreamName: name(hh) },
  reply,
];
const limit = (message: string) => new LimitExceededException({ message, $metadata: {} });
const inUse = () => new ResourceInUseException({ message: 'in use', $metadata: {} });

describe('executor: limits and concurrent runs', () => {
  it('a LimitExceededException about something else than the quota fails the run, with its message', async () => {
    const fake = scriptedClient([
      listing(['events-fallback']),
      listing(['events-fallback']),
      create('05', limit('Too many tags: a delivery stream can have at most 50 tags')),
    ]);
    let error: Error | undefined;
    await rotate({ client: fake.client, now: () => NOW }, S).catch((err: Error) => (error = err));
    expect(error?.message).to.equal(
      'CreateDeliveryStream events-2026112205: LimitExceededException that is not the stream quota: ' +
        'Too many tags: a delivery stream can have at most 50 tags',
    );
    expect(fake.left).to.deep.equal([]);
  });

  it('the quota message is a shortfall: the rest of the plan waits, the run succeeds', async () => {
    const fake = scriptedClient([
      listing(['events-fallback']),
      listing(['events-fallback']),
      create('05'),
      listing(['events-fallback', name('05')]),
      create('06', limit('You have already consumed your firehose quota of 50 hoses. Firehose names: [...]')),
      listing(['events-fallback', name('05')]), // the real quota, learned from the refusal
      listing(['events-fallback', name('05')]), // give-back: nothing far-ahead was made
    ]);
    const { result } = await rotate({ client: fake.client, now: () => NOW }, S);
    expect(result.created).to.deep.equal([name('05')]);
    expect(result.notCreated).to.deep.equal(
      ['06', '04', '07', '08'].map((hh) => ({ name: name(hh), reason: 'quota reached' })),
    );
    expect(fake.left).to.deep.equal([]);
  });

  it('a concurrent run filled the quota since the plan: the re-count before a create stops the rest, no LimitExceeded', async () => {
    const fake = scriptedClient([
      listing(['events-fallback']),
      listing(['events-fallback']),
      create('05'),
      // Another run made four streams meanwhile: 6 of 6.
      listing(['events-fallback', name('05'), 'other-a', 'other-b', 'other-c', 'other-d']),
      listing(['events-fallback', name('05'), 'other-a', 'other-b', 'other-c', 'other-d']),
    ]);
    const { result } = await rotate({ client: fake.client, now: () => NOW }, S);
    expect(result.created).to.deep.equal([name('05')]);
    expect(result.notCreated).to.deep.equal(
      ['06', '04', '07', '08'].map((hh) => ({ name: name(hh), reason: 'quota: filled since the plan' })),
    );
    expect(fake.left).to.deep.equal([]);
  });

  it('the reserve holds in the re-count: a far-ahead create stops at quota minus reserve, near-term ones may fill it', async () => {
    // quota 6, reserve 1: the plan is 05, 06, 04 (near-term) and 07 (far-ahead, leaving 1 free).
    const fake = scriptedClient([
      listing(['events-fallback']),
      listing(['events-fallback']),
      create('05'),
      listing(['events-fallback', name('05')]),
      create('06'),
      listing(['events-fallback', name('05'), name('06')]),
      create('04'),
      // A concurrent run made one stream: 5 of 6, only the reserve left, which 07 may not take.
      listing(['events-fallback', 'other-a', ...['04', '05', '06'].map(name)]),
      listing(['events-fallback', 'other-a', ...['04', '05', '06'].map(name)]),
    ]);
    const { plan, result } = await rotate(
      { client: fake.client, now: () => NOW },
      settings({ quota: 6, reserveStreams: 1 }),
    );
    expect(plan.creates.map((c) => c.name)).to.deep.equal(['05', '06', '04', '07'].map(name));
    expect(result.created).to.deep.equal(['05', '06', '04'].map(name));
    expect(result.notCreated).to.deep.equal([{ name: name('07'), reason: 'quota: filled since the plan' }]);
    expect(fake.left).to.deep.equal([]);
  });

  it('over the quota after a concurrent run: gives back its own farthest stream once CREATING ends, never a near one or one it found', async () => {
    const slept: number[] = [];
    const fake = scriptedClient([
      listing(['events-fallback']),
      // Before each create the count is re-read: each time below the quota of 6.
      listing(['events-fallback']),
      create('05'),
      listing(['events-fallback', name('05')]),
      create('06'),
      listing(['events-fallback', name('05'), name('06')]),
      create('04'),
      listing(['events-fallback', name('04'), name('05'), name('06')]),
      create('07'),
      listing(['events-fallback', name('04'), name('05'), name('06'), name('07')]),
      create('08', inUse()), // made by the concurrent run: not ours to give back
      // The concurrent run (another deployment) also made two streams: 8 of 6.
      listing(['events-fallback', 'other-a', 'other-b', ...['04', '05', '06', '07', '08'].map(name)]),
      ['DeleteDeliveryStream', { DeliveryStreamName: name('07') }, inUse()], // still CREATING
      ['DeleteDeliveryStream', { DeliveryStreamName: name('07') }, {}],
    ]);
    const { result } = await rotate(
      { client: fake.client, now: () => NOW, sleep: (ms) => Promise.resolve(void slept.push(ms)) },
      S,
    );
    expect(result).to.deep.equal({
      created: ['05', '06', '04', '08'].map(name),
      deleted: [],
      completed: [],
      notCreated: [{ name: name('07'), reason: 'quota: given back, a concurrent run filled it' }],
      notDeleted: [],
      signalFailures: [],
      updated: [],
      notUpdated: [],
    });
    expect(slept).to.deep.equal([GIVE_BACK_POLL_MS]);
    expect(fake.left).to.deep.equal([]);
  });
});

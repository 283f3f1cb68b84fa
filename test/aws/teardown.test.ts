// The destroy-time teardown against a scripted Firehose (CREATING and DELETING, which moto lacks)
// and an injected clock whose sleep advances time, so minutes of waiting take no real time.
import { expect } from 'chai';
import { ResourceNotFoundException } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { destroyTeardown } from '../../rotation/aws/teardown';
import { OWNER_TAG } from '../../rotation/core/settings';
import { settings } from '../support/fixtures';
import { listing, scriptedClient, Step } from '../support/scripted-firehose';

const START = Date.parse('2026-11-22T05:30:00Z');
const name = (hh: string) => `events-20261122${hh}`;
const ours = (hh: string): Step => [
  'ListTagsForDeliveryStream',
  { DeliveryStreamName: name(hh) },
  { Tags: [{ Key: OWNER_TAG, Value: 'demo/dev' }], HasMoreTags: false },
];
const status = (hh: string, s: string): Step => [
  'DescribeDeliveryStream',
  { DeliveryStreamName: name(hh) },
  { DeliveryStreamDescription: { DeliveryStreamStatus: s } },
];
const del = (hh: string): Step => ['DeleteDeliveryStream', { DeliveryStreamName: name(hh) }, {}];
const gone = (command: string, hh: string): Step => [
  command,
  { DeliveryStreamName: name(hh) },
  new ResourceNotFoundException({ message: `Firehose ${name(hh)} not found.`, $metadata: {} }),
];

function fakeClock() {
  let t = START;
  const slept: number[] = [];
  return {
    now: () => DateTime.fromMillis(t, { zone: 'utc' }),
    sleep: (ms: number) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    slept,
    elapsed: () => (t - START) / 1000,
  };
}

describe('destroy teardown', () => {
  it('deletes drained streams at once, CREATING ones once created, and flushing ones after interval + 120 s', async () => {
    const clock = fakeClock();
    const fake = scriptedClient([
      listing(['events-fallback', name('03'), name('05'), name('06'), name('04')]),
      ...['03', '05', '06', '04'].map(ours),
      status('03', 'ACTIVE'), // drained at 05:20 (04:00 + 60 min + 300 s + 15 min)
      status('05', 'ACTIVE'), // the current hour: its buffer may hold records
      status('06', 'CREATING'), // never ACTIVE while the router ran: no records
      status('04', 'DELETING'), // already on its way
      del('03'),
      status('06', 'CREATING'),
      status('06', 'ACTIVE'), // t = 60 s
      del('06'),
      del('05'), // t = 420 s = 300 s buffering + 120 s
      // Nothing pending: one more list finds only a stream on its way out, so the teardown ends.
      listing(['events-fallback', name('04')]),
      ours('04'),
      status('04', 'DELETING'),
    ]);
    const result = await destroyTeardown({ client: fake.client, ...clock }, settings(), {
      deadlineMs: START + 840_000,
      pollMs: 60_000,
    });
    expect(result).to.deep.equal({
      deleted: [name('03'), name('06'), name('05')],
      flushWaitSeconds: 420,
      foundLate: [],
      lists: 2,
    });
    expect(clock.slept).to.deep.equal(Array(7).fill(60_000));
    expect(clock.elapsed()).to.equal(300 + 120); // buffering interval + the 120 s flush margin
    expect(fake.left).to.deep.equal([]);
  });

  it('a stream still CREATING at the deadline fails the invocation with its name; the rest is deleted', async () => {
    const clock = fakeClock();
    const fake = scriptedClient([
      listing(['events-fallback', name('05'), name('06')]),
      ours('05'),
      ours('06'),
      status('05', 'ACTIVE'),
      status('06', 'CREATING'),
      status('06', 'CREATING'), // t = 0
      status('06', 'CREATING'), // t = 60
      del('05'), // t = 120: buffering 0 s + 120 s
      status('06', 'CREATING'),
      status('06', 'CREATING'), // t = 180: the deadline
    ]);
    let error: unknown;
    await destroyTeardown({ client: fake.client, ...clock }, settings({ bufferingIntervalSeconds: 0 }), {
      deadlineMs: START + 180_000,
      pollMs: 60_000,
    }).catch((err: unknown) => (error = err));
    // The name is what the Lambda reports as errorType, and what the lifecycle resource shows.
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).name).to.equal('TeardownIncompleteError');
    expect((error as Error).message).to.equal(
      'teardown left 1 hourly stream(s): events-2026112206 (still CREATING at the deadline); ' +
        'run `pulumi destroy` again once they are ACTIVE, or delete them by hand',
    );
    expect(clock.elapsed()).to.equal(180);
    expect(fake.left).to.deep.equal([]);
  });

  it('says exactly what it gives up when the flush wait does not fit before the deadline', async () => {
    const clock = fakeClock();
    const fake = scriptedClient([
      listing([name('05')]),
      ours('05'),
      status('05', 'ACTIVE'),
      del('05'),
      listing([]),
    ]);
    const result = await destroyTeardown(
      { client: fake.client, ...clock },
      settings({ bufferingIntervalSeconds: 900, latenessMinutes: 0 }),
      { deadlineMs: START + 600_000 },
    );
    expect(result).to.deep.equal({
      deleted: [name('05')],
      flushWaitSeconds: 600,
      foundLate: [],
      lists: 2,
      gaveUp:
        'buffers had 600 s of the 1020 s they need to flush (buffering interval 900 s + 120 s): ' +
        'records the router wrote in its last 420 s may not reach S3',
    });
    expect(clock.elapsed()).to.equal(600);
    expect(fake.left).to.deep.equal([]);
  });

  it("waits only for the fallback's buffer when no hourly stream can hold records (drained, failed creates)", async () => {
    const clock = fakeClock();
    const fake = scriptedClient([
      listing([name('02'), name('07')]),
      ours('02'),
      ours('07'),
      status('02', 'ACTIVE'),
      status('07', 'CREATING_FAILED'),
      del('02'),
      del('07'),
      listing([]), // t = 420 s: the fallback's 300 s interval + 120 s, then Pulumi may delete it
    ]);
    const result = await destroyTeardown({ client: fake.client, ...clock }, settings(), {
      deadlineMs: START + 840_000,
      pollMs: 60_000,
    });
    expect(result).to.deep.equal({
      deleted: [name('02'), name('07')],
      flushWaitSeconds: 420,
      foundLate: [],
      lists: 2,
    });
    expect(clock.slept).to.deep.equal(Array(7).fill(60_000));
    expect(fake.left).to.deep.equal([]);
  });

  it('a stream gone before its Describe is skipped; one gone while CREATING counts as deleted', async () => {
    const clock = fakeClock();
    const fake = scriptedClient([
      listing([name('05'), name('06')]),
      ours('05'),
      ours('06'),
      gone('DescribeDeliveryStream', '05'), // deleted by hand meanwhile: nothing to do, no Delete
      status('06', 'CREATING'),
      gone('DescribeDeliveryStream', '06'), // gone while it was being created
      gone('DeleteDeliveryStream', '06'),
      listing([]),
    ]);
    const result = await destroyTeardown(
      { client: fake.client, ...clock },
      settings({ bufferingIntervalSeconds: 0 }),
      {
        deadlineMs: START + 840_000,
        pollMs: 60_000,
      },
    );
    expect(result).to.deep.equal({ deleted: [name('06')], flushWaitSeconds: 120, foundLate: [], lists: 2 });
    expect(clock.slept).to.deep.equal([60_000, 60_000]);
    expect(fake.left).to.deep.equal([]);
  });

  it('lists again after the wait and deletes what a late scheduled run made meanwhile, until none is left', async () => {
    const clock = fakeClock();
    const fake = scriptedClient([
      listing([name('05')]),
      ours('05'),
      status('05', 'ACTIVE'),
      del('05'), // t = 420 s
      // A scheduled run retried by Lambda (events up to 3,600 s old) recreated the current hour and
      // made hour 07 during the wait; the router had stopped, so neither holds a record.
      listing([name('05'), name('07')]),
      ours('05'),
      ours('07'),
      status('05', 'CREATING'),
      status('07', 'ACTIVE'),
      status('05', 'CREATING'), // t = 420 s: the hour 07 stream goes at once
      del('07'),
      status('05', 'ACTIVE'), // t = 480 s
      del('05'),
      listing([name('05'), name('07')]),
      ours('05'),
      ours('07'),
      status('05', 'DELETING'),
      status('07', 'DELETING'),
    ]);
    const result = await destroyTeardown({ client: fake.client, ...clock }, settings(), {
      deadlineMs: START + 840_000,
      pollMs: 60_000,
    });
    expect(result).to.deep.equal({
      deleted: [name('05'), name('07'), name('05')],
      flushWaitSeconds: 420,
      foundLate: [name('05'), name('07')],
      lists: 3,
    });
    expect(clock.elapsed()).to.equal(480);
    expect(fake.left).to.deep.equal([]);
  });

  it('a stream a late run made that is still CREATING at the deadline fails the teardown with its name', async () => {
    const clock = fakeClock();
    const fake = scriptedClient([
      listing([]),
      listing([name('09')]), // t = 420 s: the fallback's wait is over
      ours('09'),
      status('09', 'CREATING'),
      status('09', 'CREATING'), // t = 420 s
      status('09', 'CREATING'), // t = 480 s: the deadline
    ]);
    let error: unknown;
    await destroyTeardown({ client: fake.client, ...clock }, settings(), {
      deadlineMs: START + 480_000,
      pollMs: 60_000,
    }).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal(
      'teardown left 1 hourly stream(s): events-2026112209 (still CREATING at the deadline); ' +
        'run `pulumi destroy` again once they are ACTIVE, or delete them by hand',
    );
    expect(clock.elapsed()).to.equal(480);
    expect(fake.left).to.deep.equal([]);
  });
});

// I4 as a property, beside the example tables of teardown.test.ts: whatever owned streams exist
// (drained, open, CREATING for a while, failed), whatever foreign and lookalike streams sit beside
// them, and whenever during the wait a late scheduled run adds streams, the teardown ends with no
// owned stream left, never deletes a stream that may hold records before its buffer's interval +
// 120 s, and returns no earlier than the fallback's interval + 120 s. An in-memory Firehose keeps
// the state (a stream stays CREATING for a number of Describes, a CREATING one refuses deletion);
// it answers only the five calls the teardown makes and throws on any other.
import { expect } from 'chai';
import * as fc from 'fast-check';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { destroyTeardown } from '../../rotation/aws/teardown';
import { OWNER_TAG } from '../../rotation/core/settings';
import { settings } from '../support/fixtures';

const START = Date.parse('2026-11-22T05:30:00Z');
type Stream = { status: string; owner?: string; creatingFor: number };

class MemoryFirehose {
  readonly streams = new Map<string, Stream>();
  readonly deletedAt = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  send(command: { constructor: { name: string }; input: { DeliveryStreamName?: string } }): Promise<object> {
    return new Promise((resolve) =>
      resolve(this.answer(command.constructor.name, command.input.DeliveryStreamName)),
    );
  }

  private answer(command: string, name = ''): object {
    const stream = this.streams.get(name);
    const notFound = Object.assign(new Error(`${name} not found`), { name: 'ResourceNotFoundException' });
    switch (command) {
      case 'ListDeliveryStreamsCommand':
        return { DeliveryStreamNames: [...this.streams.keys()].sort(), HasMoreDeliveryStreams: false };
      case 'ListTagsForDeliveryStreamCommand':
        if (!stream) throw notFound;
        return { Tags: stream.owner ? [{ Key: OWNER_TAG, Value: stream.owner }] : [], HasMoreTags: false };
      case 'DescribeDeliveryStreamCommand':
        if (!stream) throw notFound;
        if (stream.status === 'CREATING' && stream.creatingFor-- <= 0) stream.status = 'ACTIVE';
        return { DeliveryStreamDescription: { DeliveryStreamStatus: stream.status } };
      case 'DeleteDeliveryStreamCommand':
        if (!stream) throw notFound;
        if (stream.status === 'CREATING')
          throw Object.assign(new Error('in use'), { name: 'ResourceInUseException' });
        this.streams.delete(name);
        this.deletedAt.set(name, this.now());
        return {};
      default:
        throw new Error(`unexpected ${command}`);
    }
  }
}

const hours = fc.integer({ min: 0, max: 23 }).map((h) => `events-20261122${String(h).padStart(2, '0')}`);
const stream = fc.record({
  status: fc.constantFrom('ACTIVE', 'ACTIVE', 'CREATING', 'CREATING_FAILED'),
  owner: fc.constantFrom<string | undefined>('demo/dev', 'demo/dev', 'someone/else', undefined),
  creatingFor: fc.integer({ min: 0, max: 4 }),
});
const world = fc.record({
  initial: fc.dictionary(hours, stream, { maxKeys: 12 }),
  late: fc.dictionary(hours, stream, { maxKeys: 4 }),
  lateAtSeconds: fc.integer({ min: 0, max: 400 }),
  interval: fc.constantFrom(0, 60, 300),
});

describe('destroy teardown (property)', () => {
  it('ends with no owned stream, after every buffer it deletes and the fallback had their wait', async () => {
    await fc.assert(
      fc.asyncProperty(world, async ({ initial, late, lateAtSeconds, interval }) => {
        let t = START;
        const firehose = new MemoryFirehose(() => t);
        const put = (streams: Record<string, Stream>) => {
          for (const [name, st] of Object.entries(streams))
            if (!firehose.streams.has(name)) firehose.streams.set(name, { ...st });
        };
        put(initial);
        firehose.streams.set('events-fallback', { status: 'ACTIVE', creatingFor: 0 });
        firehose.streams.set('events-production', { status: 'ACTIVE', owner: 'demo/dev', creatingFor: 0 });
        const s = settings({ bufferingIntervalSeconds: interval });
        let lateRan = false;
        const clock = {
          now: () => DateTime.fromMillis(t, { zone: 'utc' }),
          sleep: (ms: number) => {
            t += ms;
            if (!lateRan && t >= START + lateAtSeconds * 1000) {
              lateRan = true;
              put(late); // a late scheduled run, past its hold check, made these meanwhile
            }
            return Promise.resolve();
          },
        };
        const client = firehose as unknown as FirehoseClient;
        const result = await destroyTeardown({ client, ...clock }, s, { deadlineMs: START + 840_000 });

        const ownedLeft = [...firehose.streams].filter(
          ([n, st]) => n.startsWith('events-2') && st.owner === 'demo/dev',
        );
        expect(ownedLeft).to.deep.equal([]);
        // Foreign, lookalike, untagged and non-hourly streams stay.
        const made = { ...(lateRan ? late : {}), ...initial }; // put() keeps the first of a name
        for (const [name, st] of Object.entries(made))
          if (st.owner !== 'demo/dev') expect(firehose.streams.has(name), name).to.equal(true);
        expect(firehose.streams.has('events-production')).to.equal(true);
        expect(firehose.streams.has('events-fallback')).to.equal(true);
        // Returned only after the fallback's interval + margin; no open ACTIVE stream deleted earlier.
        const wait = (interval + 120) * 1000; // the 120 s flush margin
        expect(t - START).to.be.at.least(wait);
        for (const [name, st] of Object.entries(initial)) {
          if (st.owner !== 'demo/dev' || st.status !== 'ACTIVE') continue;
          const hour = Number(name.slice(-2));
          const drained = hour <= 3; // the 300 s default drains hours up to 03 by 05:30 (60 min lateness)
          if (!drained && interval === 300)
            expect(firehose.deletedAt.get(name)! - START, name).to.be.at.least(wait);
        }
        expect(result.flushWaitSeconds).to.equal(Math.round(wait / 1000));
      }),
      { numRuns: 150 },
    );
  });
});

// The executor's exact control-plane conversation for the states moto cannot produce
// (CREATING_FAILED, CREATING, DELETING). The fake answers only the scripted calls, in order, and
// throws on anything else, so an extra or missing call fails the test.
import { expect } from 'chai';
import { ResourceInUseException, ResourceNotFoundException } from '@aws-sdk/client-firehose';
import { rotate } from '../../rotation/aws/executor';
import { OWNER_TAG } from '../../rotation/core/settings';
import { at, settings } from '../support/fixtures';
import { listing, scriptedClient, Step } from '../support/scripted-firehose';

const S = settings({ quota: 6, reserveStreams: 0 }); // the executor's mechanics, without the reserve
const ours = [{ Key: OWNER_TAG, Value: 'demo/dev' }];
const inUse = () => new ResourceInUseException({ message: 'in use', $metadata: {} });
const notFound = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });

describe('executor: states moto does not have', () => {
  it('replaces a CREATING_FAILED current-hour stream: describe, prove ownership, delete, recreate later', async () => {
    const fake = scriptedClient([
      [
        'ListDeliveryStreams',
        {},
        { DeliveryStreamNames: ['events-fallback', 'events-2026112205'], HasMoreDeliveryStreams: false },
      ],
      [
        'DescribeDeliveryStream',
        { DeliveryStreamName: 'events-2026112205' },
        { DeliveryStreamDescription: { DeliveryStreamStatus: 'CREATING_FAILED' } },
      ],
      [
        'ListTagsForDeliveryStream',
        { DeliveryStreamName: 'events-2026112205' },
        { Tags: ours, HasMoreTags: false },
      ],
      ['DeleteDeliveryStream', { DeliveryStreamName: 'events-2026112205' }, {}],
      // Before each create a re-count (05 is still listed while DELETING); then the create.
      listing(['events-fallback', 'events-2026112205']),
      // Still DELETING: the name is taken, so the recreate waits for the next run.
      ['CreateDeliveryStream', { DeliveryStreamName: 'events-2026112205' }, inUse()],
      listing(['events-fallback', 'events-2026112205']),
      ['CreateDeliveryStream', { DeliveryStreamName: 'events-2026112206' }, {}],
      listing(['events-fallback', ...['05', '06'].map((h) => `events-20261122${h}`)]),
      ['CreateDeliveryStream', { DeliveryStreamName: 'events-2026112204' }, {}],
      listing(['events-fallback', ...['04', '05', '06'].map((h) => `events-20261122${h}`)]),
      ['CreateDeliveryStream', { DeliveryStreamName: 'events-2026112207' }, {}],
      listing(['events-fallback', ...['04', '05', '06', '07'].map((h) => `events-20261122${h}`)]),
      ['CreateDeliveryStream', { DeliveryStreamName: 'events-2026112208' }, {}],
      // The re-count after creating: 6 streams, the quota, nothing to give back.
      listing(['events-fallback', ...['04', '05', '06', '07', '08'].map((h) => `events-20261122${h}`)]),
    ]);
    const { plan, result } = await rotate({ client: fake.client, now: () => at('2026-11-22T05:30:00Z') }, S);
    expect(plan.deletes).to.deep.equal([
      { name: 'events-2026112205', hour: '2026112205', reason: 'creating-failed' },
    ]);
    expect(result).to.deep.equal({
      created: ['events-2026112206', 'events-2026112204', 'events-2026112207', 'events-2026112208'],
      deleted: ['events-2026112205'],
      completed: [],
      notCreated: [{ name: 'events-2026112205', reason: 'failed stream still deleting; next run recreates' }],
      notDeleted: [],
      recreated: [],
      signalFailures: [],
    });
    expect(fake.left).to.deep.equal([]);
  });

  it('a drained stream Firehose refuses to delete keeps its slot: the create it would have paid for waits; near hours cost one Describe each, the next hour one ListTags', async () => {
    const fake = scriptedClient([
      [
        'ListDeliveryStreams',
        {},
        {
          DeliveryStreamNames: [
            'events-fallback',
            'events-2026112203',
            'events-2026112205',
            'events-2026112206',
            'events-2026112204',
            'events-2026112207',
          ],
          HasMoreDeliveryStreams: false,
        },
      ],
      [
        'ListTagsForDeliveryStream',
        { DeliveryStreamName: 'events-2026112203' },
        { Tags: ours, HasMoreTags: false },
      ],
      [
        'DescribeDeliveryStream',
        { DeliveryStreamName: 'events-2026112205' },
        { DeliveryStreamDescription: { DeliveryStreamStatus: 'ACTIVE' } },
      ],
      [
        'DescribeDeliveryStream',
        { DeliveryStreamName: 'events-2026112206' },
        { DeliveryStreamDescription: { DeliveryStreamStatus: 'CREATING' } },
      ],
      // The next hour's ownership proof: read every run, an hour before the router needs it.
      [
        'ListTagsForDeliveryStream',
        { DeliveryStreamName: 'events-2026112206' },
        { Tags: ours, HasMoreTags: false },
      ],
      ['DeleteDeliveryStream', { DeliveryStreamName: 'events-2026112203' }, inUse()],
    ]);
    const { result } = await rotate({ client: fake.client, now: () => at('2026-11-22T05:30:00Z') }, S);
    expect(result).to.deep.equal({
      created: [],
      deleted: [],
      completed: [],
      // The plan counted on the delete's slot for 08h; with the delete refused, 08h waits.
      notCreated: [{ name: 'events-2026112208', reason: 'quota: a planned delete did not happen' }],
      notDeleted: [{ name: 'events-2026112203', reason: 'in use (CREATING or DELETING); next run retries' }],
      recreated: [],
      signalFailures: [],
    });
    expect(fake.calls).to.have.length(6);
    expect(fake.left).to.deep.equal([]);
  });

  it('a stream gone between List and Describe counts as DELETING: neither deleted nor recreated this run', async () => {
    const created = ['events-2026112206', 'events-2026112204', 'events-2026112207', 'events-2026112208'];
    const fake = scriptedClient([
      listing(['events-fallback', 'events-2026112205']),
      ['DescribeDeliveryStream', { DeliveryStreamName: 'events-2026112205', Limit: 1 }, notFound()],
      // No ListTags, no Delete, no Create of 05: the next run sees it gone and creates it.
      ...created.flatMap((name, i): Step[] => [
        listing(['events-fallback', ...created.slice(0, i)]),
        ['CreateDeliveryStream', { DeliveryStreamName: name }, {}],
      ]),
      listing(['events-fallback', ...created]),
    ]);
    const { plan, result } = await rotate({ client: fake.client, now: () => at('2026-11-22T05:30:00Z') }, S);
    expect(plan.deletes).to.deep.equal([]);
    expect(result).to.deep.equal({
      created,
      deleted: [],
      completed: [],
      notCreated: [],
      notDeleted: [],
      recreated: [],
      signalFailures: [],
    });
    expect(fake.left).to.deep.equal([]);
  });
});

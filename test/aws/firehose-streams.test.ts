// The Firehose stream readers (rotation/aws/firehose-streams.ts). The one status reader (rotation,
// teardown, status command): the exact Describe it sends, each state passed through, absence as
// undefined, and every other error passed on.
import { expect } from 'chai';
import { ResourceInUseException, ResourceNotFoundException } from '@aws-sdk/client-firehose';
import { describeStatus } from '../../rotation/aws/firehose-streams';
import { scriptedClient } from '../support/scripted-firehose';

const NAME = 'events-2026112205';
const describe1 = (reply: object | Error) =>
  scriptedClient([['DescribeDeliveryStream', { DeliveryStreamName: NAME, Limit: 1 }, reply]]);

describe('describeStatus', () => {
  for (const status of ['CREATING', 'CREATING_FAILED', 'ACTIVE', 'DELETING', 'DELETING_FAILED'] as const) {
    it(`answers ${status} as Firehose reports it, with one Describe of one destination`, async () => {
      const fake = describe1({ DeliveryStreamDescription: { DeliveryStreamStatus: status } });
      expect(await describeStatus(fake.client, NAME)).to.equal(status);
      expect(fake.calls).to.deep.equal([`DescribeDeliveryStream ${NAME}`]);
      expect(fake.left).to.deep.equal([]);
    });
  }

  it('answers UNKNOWN when the description has no status', async () => {
    expect(await describeStatus(describe1({}).client, NAME)).to.equal('UNKNOWN');
  });

  it('answers undefined for a stream that does not exist', async () => {
    const gone = new ResourceNotFoundException({ message: `Firehose ${NAME} not found.`, $metadata: {} });
    expect(await describeStatus(describe1(gone).client, NAME)).to.equal(undefined);
  });

  it('passes on any other error unchanged', async () => {
    const inUse = new ResourceInUseException({ message: 'in use', $metadata: {} });
    let caught: unknown;
    try {
      await describeStatus(describe1(inUse).client, NAME);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.equal(inUse);
  });
});

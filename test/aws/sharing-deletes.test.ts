// The executor's side of sharing's deletes, with a client that accepts only the calls listed:
// an orphan the role may not delete is reported by name (not a failed run), a give-back whose hour
// came near since the plan is kept, and the run's summary carries both.
import { expect } from 'chai';
import { DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { applyPlan } from '../../rotation/aws/executor';
import { refusedDelete, sharingLine } from '../../rotation/aws/sharing-deletes';
import { fairShare } from '../../rotation/core/fair-share';
import { at, settings } from '../support/fixtures';

const denied = () =>
  Object.assign(new Error('User is not authorized to perform: firehose:DeleteDeliveryStream'), {
    name: 'AccessDeniedException',
  });

/** Deletes: `old-2026112209` is refused by IAM, anything else is an unexpected call. */
function client(seen: string[]): FirehoseClient {
  return {
    send: (cmd: unknown) => {
      if (!(cmd instanceof DeleteDeliveryStreamCommand)) throw new Error(`unexpected ${String(cmd)}`);
      const name = cmd.input.DeliveryStreamName!;
      seen.push(name);
      if (name === 'old-2026112209') return Promise.reject(denied());
      if (name === 'events-2026112220') return Promise.resolve({});
      throw new Error(`unexpected delete of ${name}`);
    },
  } as unknown as FirehoseClient;
}

describe('sharing deletes in the executor', () => {
  const S = settings();
  it('an orphan refused with AccessDenied is reported by name; a give-back still far ahead is deleted', async () => {
    const seen: string[] = [];
    const result = await applyPlan(
      { client: client(seen), now: () => at('2026-11-22T05:30:05Z') },
      {
        deletes: [
          { name: 'old-2026112209', hour: '2026112209', reason: 'orphan' },
          { name: 'events-2026112220', hour: '2026112220', reason: 'over-share' },
        ],
        creates: [],
      },
      S,
    );
    expect(seen).to.deep.equal(['old-2026112209', 'events-2026112220']);
    expect(result.deleted).to.deep.equal(['events-2026112220']);
    expect(result.notDeleted).to.deep.equal([
      {
        name: 'old-2026112209',
        reason: 'access denied: ours by tag, under a prefix this role does not cover; delete it by hand',
      },
    ]);
  });
  const rows: [string, string, string | undefined][] = [
    ['over-share of 08:00 at 06:59:59: 61 min ahead, still empty', '2026-11-22T06:59:59Z', undefined],
    [
      'over-share of 08:00 at 07:00:00: the router may write from now on',
      '2026-11-22T07:00:00Z',
      'no longer far ahead; kept',
    ],
  ];
  for (const [title, instant, reason] of rows) {
    it(title, () => {
      expect(
        refusedDelete({ name: 'events-2026112208', hour: '2026112208', reason: 'over-share' }, at(instant)),
      ).to.equal(reason);
    });
  }
  it('a drained delete is never judged here; another error of an orphan is rethrown by the caller', () => {
    expect(
      refusedDelete(
        { name: 'events-2026112201', hour: '2026112201', reason: 'drained' },
        at('2026-11-22T05:30:00Z'),
      ),
    ).to.equal(undefined);
    const other = Object.assign(new Error('x'), { name: 'ThrottlingException' });
    expect(
      refusedDelete(
        { name: 'old-2026112201', hour: '2026112201', reason: 'orphan' },
        at('2026-11-22T05:30:00Z'),
        other,
      ),
    ).to.equal(undefined);
  });
  it('says by name when the live windows do not fit', () => {
    const f = fairShare({
      quota: 12,
      reserve: 1,
      foreign: 3,
      deployments: [
        { id: 'a', nearTerm: 3 },
        { id: 'b', nearTerm: 3 },
      ],
      self: 'a',
      liveWindow: 4,
      handPlanned: false,
    });
    const line = sharingLine({
      ...f,
      others: [{ id: 'b', nearTerm: 3, farAhead: 0, fallback: true }],
      farAhead: 0,
      beyondShare: 0,
      orphansDraining: [],
    });
    expect(line).to.equal(
      'sharing: the live windows and fallbacks of 2 deployments (this one and b) and the foreign streams need 13 streams, more than the quota: the current and next hour of every deployment cannot all have a stream',
    );
  });
});

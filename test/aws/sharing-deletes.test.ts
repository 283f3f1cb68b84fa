// The executor's side of sharing's deletes, with a client that accepts only the calls listed:
// an orphan the role may not delete is reported by name (not a failed run), a give-back whose hour
// came near since the plan is kept, and the run's summary carries both.
import { expect } from 'chai';
import { DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { applyDeletes } from '../../rotation/aws/delete-pass';
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
    const result = { deleted: [] as string[], notDeleted: [] as { name: string; reason: string }[] };
    await applyDeletes(
      { client: client(seen), now: () => at('2026-11-22T05:30:05Z') },
      [
        { name: 'old-2026112209', hour: '2026112209', reason: 'orphan' },
        { name: 'events-2026112220', hour: '2026112220', reason: 'over-share' },
      ],
      S,
      result,
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
  // Judged as give-backs are (stream-deletion.ts emptyAndRemakeable): after the next hour, and far
  // ahead by the time window: it opens (earlyMinutes before it starts) more than the router's 60 s
  // decision time and the 10 min margin after the delete. With earlyMinutes 15 the next-hour rule
  // decides (08:00 opens at 07:45); with 60 it opens at 07:00, so it is near from 06:49 on.
  const rows: [string, string, number, string | undefined][] = [
    [
      'over-share of 08:00 at 06:59:59, earlyMinutes 15: after the next hour, empty',
      '2026-11-22T06:59:59Z',
      15,
      undefined,
    ],
    [
      'over-share of 08:00 at 07:00:00, earlyMinutes 15: it is the next hour',
      '2026-11-22T07:00:00Z',
      15,
      'no longer far ahead; kept',
    ],
    [
      'over-share of 08:00 at 06:48:59, earlyMinutes 60: opens 11 min 1 s later',
      '2026-11-22T06:48:59Z',
      60,
      undefined,
    ],
    [
      'over-share of 08:00 at 06:49:00, earlyMinutes 60: within the decision time and margin of its opening',
      '2026-11-22T06:49:00Z',
      60,
      'no longer far ahead; kept',
    ],
  ];
  for (const [title, instant, earlyMinutes, reason] of rows) {
    it(title, () => {
      const d = { name: 'events-2026112208', hour: '2026112208', reason: 'over-share' } as const;
      expect(refusedDelete(d, at(instant), settings({ earlyMinutes }))).to.equal(reason);
    });
  }
  it('a drained delete is never judged here; another error of an orphan is rethrown by the caller', () => {
    expect(
      refusedDelete(
        { name: 'events-2026112201', hour: '2026112201', reason: 'drained' },
        at('2026-11-22T05:30:00Z'),
        S,
      ),
    ).to.equal(undefined);
    const other = Object.assign(new Error('x'), { name: 'ThrottlingException' });
    expect(
      refusedDelete(
        { name: 'old-2026112201', hour: '2026112201', reason: 'orphan' },
        at('2026-11-22T05:30:00Z'),
        S,
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

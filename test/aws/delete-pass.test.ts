// The delete pass judges each far-ahead delete (a remake, an unneeded sibling) at its own instant:
// a plan that reaches an hour's second stream after the hour became the next one keeps that
// stream, though its first stream went a moment before. The hour keeps one destination all the
// same (the remade first stream takes the kept one's: test/verify/one-destination.moto.test.ts).
import { expect } from 'chai';
import { DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { applyDeletes } from '../../rotation/aws/delete-pass';
import { PlannedDelete } from '../../rotation/core/planner';
import { at, settings } from '../support/fixtures';

/** Accepts every delete and records it; any other call is unexpected. */
function deletingClient(sent: string[]): FirehoseClient {
  return {
    send: (cmd: unknown) => {
      if (!(cmd instanceof DeleteDeliveryStreamCommand)) throw new Error(`unexpected ${String(cmd)}`);
      sent.push(cmd.input.DeliveryStreamName!);
      return Promise.resolve({});
    },
  } as unknown as FirehoseClient;
}

describe('delete pass: far-ahead judged at each delete', () => {
  const S = settings({ streamsPerHour: 2 });
  const remake = (name: string, hour: string): PlannedDelete => ({ name, hour, reason: 'reconfigure' });

  it('an hour that became the next one between its two streams keeps the second; a later hour still goes', async () => {
    const sent: string[] = [];
    // 12 is after the next hour until 11:00; the first delete is sent at 10:59:59.9, the rest after 11:00.
    const now = () => (sent.length === 0 ? at('2026-11-22T10:59:59.900Z') : at('2026-11-22T11:00:00.100Z'));
    const result = { deleted: [] as string[], notDeleted: [] as { name: string; reason: string }[] };
    await applyDeletes(
      { client: deletingClient(sent), now },
      [
        remake('events-2026112212', '2026112212'),
        remake('events-2026112212-1', '2026112212'),
        remake('events-2026112213', '2026112213'),
      ],
      S,
      result,
    );
    expect(sent).to.deep.equal(['events-2026112212', 'events-2026112213']);
    expect(result).to.deep.equal({
      deleted: ['events-2026112212', 'events-2026112213'],
      notDeleted: [
        { name: 'events-2026112212-1', reason: 'no longer far-ahead: keeps its configuration (I2)' },
      ],
    });
  });
});

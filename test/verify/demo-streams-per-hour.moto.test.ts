// `npm start -- --streams-per-hour 2` at a small size: each open hour's records spread over its two
// streams by partition key (the producer keys records by id), and every produced record is found in
// S3 by id, whichever stream of its hour carried it.
import { expect } from 'chai';
import { FirehoseClient, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { runDemo } from '../../rotation/local/demo';
import { clientConfig } from '../../rotation/local/moto';
import { start } from '../../rotation/local/start';
import { useMoto } from '../support/moto';
import { at } from '../support/fixtures';

describe('local demo on moto, two streams per hour', function () {
  this.timeout(120_000);
  const moto = useMoto();

  // Not on the IAM ledger (simulate.moto.test.ts counts a one-stream run): the roles' permissions
  // on sibling names are proven by test/iam/streams-per-hour.test.ts.
  it('routes 300 records over both streams of each open hour and finds every one by id', async () => {
    const lines: string[] = [];
    const result = await runDemo(
      {
        records: 300,
        seed: 42,
        now: at('2026-11-22T04:30:00Z'),
        endpoint: moto.endpoint,
        callsPerSecond: 1000,
        streamsPerHour: 2,
      },
      (l) => lines.push(l),
    );
    expect(result.verdict.line).to.equal(
      'all 300 produced records reconciled by id: 233 on time, 40 placed, 27 kept in the fallback; placed twice 0, lost 0, misplaced 0',
    );
    // The rotation made both streams of every hour the events fall in.
    const firehose = new FirehoseClient(clientConfig(moto.endpoint));
    const names = (await firehose.send(new ListDeliveryStreamsCommand({ Limit: 10000 })))
      .DeliveryStreamNames!;
    firehose.destroy();
    for (const hour of ['2026112203', '2026112204', '2026112205', '2026112206'])
      expect(names).to.include.members([`demo-events-${hour}`, `demo-events-${hour}-1`]);
    // The ids hash to both indexes: FNV-1a of evt-000000 … evt-000299 mod 2, counted over the 233.
    expect(lines).to.include('router: hourly records by stream index: 111 to index 0, 122 to index 1');
    // Each hour's partition holds objects of both streams: Firehose (and moto) names an object
    // <stream>-<version>-<arrival time>-<uuid>, so index 0's are "…04-1-2026-…", index 1's "…04-1-1-2026-…".
    for (const hour of ['03', '04']) {
      const keys = result.objects.filter((o) => o.place === `20261122${hour}`).map((o) => o.key);
      const stream = (k: string) => /\/(demo-events-20261122\d\d(?:-1)?)-1-\d{4}-/.exec(k)?.[1];
      expect([...new Set(keys.map(stream))].sort()).to.deep.equal([
        `demo-events-20261122${hour}`,
        `demo-events-20261122${hour}-1`,
      ]);
    }
  });

  it('--streams-per-hour takes 1 to 16 and says so', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) } };
    expect(await start(['--streams-per-hour', '17'], io)).to.equal(2);
    expect(stderr).to.equal(
      "error: option '--streams-per-hour <n>' argument '17' is invalid. expected an integer from 1 to 16\n",
    );
  });
});

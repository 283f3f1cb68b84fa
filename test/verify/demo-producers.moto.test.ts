// `npm start -- --producer kpl|jsonl` at a small size: the same 300 events packed ten to a Kinesis
// record (KPL aggregates made with aws-kinesis-agg's aggregator, or JSON Lines), routed event by
// event, and every one found in S3 by id in the place its own event time says.
import { expect } from 'chai';
import { runDemo } from '../../rotation/local/demo';
import { produceRecords } from '../../rotation/local/producer';
import { generateEvents } from '../../rotation/local/events';
import { start } from '../../rotation/local/start';
import { useMoto } from '../support/moto';
import { at } from '../support/fixtures';

const NOW = at('2026-11-22T04:30:00Z');

describe('local demo on moto with packed producers', function () {
  this.timeout(120_000);
  const moto = useMoto();

  const runs: [producer: 'kpl' | 'jsonl', produced: string][] = [
    ['kpl', 'produced 300 events in 30 KPL-aggregated records into demo-source (seed 42)'],
    ['jsonl', 'produced 300 events in 40 JSON Lines records into demo-source (seed 42)'],
  ];
  for (const [producer, produced] of runs) {
    it(`--producer ${producer}: every event found by id where its own event time says`, async () => {
      const lines: string[] = [];
      const result = await runDemo(
        { records: 300, seed: 42, now: NOW, endpoint: moto.endpoint, callsPerSecond: 1000, producer },
        (l) => lines.push(l),
      );
      expect(result.verdict.line).to.equal(
        'all 300 produced records reconciled by id: 233 on time, 40 placed, 27 kept in the fallback; placed twice 0, lost 0, misplaced 0',
      );
      expect(result.verdict.duplicates).to.equal(0);
      const output = lines.join('\n').split('\n');
      expect(output).to.include(
        `${produced}: 233 on-time, 27 late, 13 early, 11 not-json, 8 no-timestamp, 8 bad-timestamp`,
      );
      // The same fates per event as one event per record (test/verify/demo.moto.test.ts).
      expect(output).to.include(
        'router: 2 batches of ≤ 100 from 2 shards, 2 invocations (0 retries); delivered 233 to hourly streams, ' +
          '8 bad-timestamp to fallback, 13 early to fallback, 27 late to fallback, 8 no-timestamp to fallback, 11 not-json to fallback',
      );
    });
  }

  it('the producers carry every event once, in order within a record; a cut-short JSON write alone', () => {
    const events = generateEvents(300, 42, NOW);
    for (const producer of ['plain', 'jsonl', 'kpl'] as const) {
      const records = produceRecords(events, producer);
      expect(records.flatMap((r) => r.events.map((e) => e.id)).sort()).to.deep.equal(events.map((e) => e.id));
    }
    const jsonl = produceRecords(events, 'jsonl');
    for (const r of jsonl) {
      expect(Buffer.from(r.data).toString()).to.equal(r.events.map((e) => e.data).join('\n'));
      if (r.events.some((e) => e.kind === 'not-json')) expect(r.events.length).to.equal(1);
    }
    expect(jsonl.map((r) => r.events.length).filter((n) => n === 10).length).to.equal(28); // 289 whole events
  });

  it('npm start --producer: an unknown kind is exit 2 naming the allowed ones', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) } };
    expect(await start(['--producer', 'avro'], io)).to.equal(2);
    expect(stderr).to.equal(
      "error: option '--producer <kind>' argument 'avro' is invalid. Allowed choices are plain, jsonl, kpl.\n",
    );
  });
});

// The bench's packed workloads carry the same events as the plain one: routed, every stream gets
// the same bytes, and the router counts the same events, from far fewer Kinesis records.
import { expect } from 'chai';
import { buildEvents, FRAMINGS, packEvent } from '../../bench/workload-events';

/** The KPL's default AggregationMaxSize, the packed record size the bench's producer keeps under. */
const PACKED_RECORD_BYTES = 51_200;
import { InstantFirehose, routerDeps, sourceRouter } from '../../bench/router-under-test';
import { BENCH_SETTINGS } from '../../bench/workload';

describe('bench: producer-packed workloads', () => {
  it('2,000 events of 200 B: the same bytes per stream as plain records, from 9 Kinesis records (236 events each)', async () => {
    const [event] = buildEvents({ label: '200 B', bytes: 200, records: 2_000, batchSize: 2_000 });
    const router = sourceRouter();
    const seen: Record<string, unknown> = {};
    for (const f of FRAMINGS) {
      const packed = packEvent(event, f);
      for (const r of packed.Records)
        expect(Buffer.from(r.kinesis.data, 'base64').length).to.be.at.most(PACKED_RECORD_BYTES);
      const client = new InstantFirehose();
      const { response, counts } = await router.routeBatch(packed, routerDeps(client), BENCH_SETTINGS);
      expect(response.batchItemFailures).to.deep.equal([]);
      const bytes = Object.fromEntries([...client.perStream].map(([s, v]) => [s, v.bytes]));
      seen[f] = { kinesisRecords: packed.Records.length, delivered: counts.delivered, bytes };
    }
    const bytes = {
      'events-2026112123': 140_700,
      'events-2026112200': 221_100,
      'events-fallback': 40_200,
    };
    expect(seen).to.deep.equal({
      plain: { kinesisRecords: 2_000, delivered: 2_000, bytes },
      jsonl: { kinesisRecords: 9, delivered: 2_000, bytes },
      kpl: { kinesisRecords: 9, delivered: 2_000, bytes },
    });
  });
});

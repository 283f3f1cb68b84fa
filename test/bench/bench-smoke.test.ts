// Keeps the bench from rotting: its functions run at a tiny size and the PutRecordBatch call count
// is asserted exactly against the floor formula. No timed assertions: timings belong to the bench.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countCalls } from '../../bench/router-bench';
import { InstantFirehose, routerDeps, sourceRouter } from '../../bench/router-under-test';
import { atMost, missed, row, table } from '../../bench/report';
import { acceptedCalls, startThrottleProxy, throttledCalls } from '../../bench/throttle-proxy';
import {
  BENCH_SETTINGS,
  expectedDestinations,
  kinesisEvent,
  minimumCalls,
  UNPACKED_SETTINGS,
} from '../../bench/workload';

const MiB4 = 4 * 1024 * 1024;

describe('bench smoke', () => {
  it('builds records of the exact size asked for, without a newline', () => {
    for (const bytes of [200, 2048, 131_071]) {
      const [record] = kinesisEvent(7, 1, bytes).Records;
      const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
      expect(Buffer.byteLength(text)).to.equal(bytes);
      expect(text.endsWith('\n')).to.equal(false);
    }
  });

  it('minimumCalls is Σ max(⌈records/500⌉, ⌈bytes/4 MiB⌉)', () => {
    expect(minimumCalls([{ records: 1001, bytes: 10 }])).to.equal(3);
    expect(minimumCalls([{ records: 1, bytes: MiB4 + 1 }])).to.equal(2);
    expect(
      minimumCalls([
        { records: 500, bytes: MiB4 },
        { records: 1, bytes: 1 },
      ]),
    ).to.equal(2);
  });

  it('1,234 records of 200 B over 3 destinations: packed, one call per destination, billed as their bytes', async () => {
    const groups = expectedDestinations(1234, 200);
    expect(Object.fromEntries([...groups].map(([k, v]) => [k, v.records]))).to.deep.equal({
      'events-2026112200': 682,
      'events-2026112123': 430,
      'events-fallback': 122,
    });
    const w = { label: 'smoke', bytes: 200, records: 1234, batchSize: 1234 };
    expect(await countCalls(w)).to.deep.equal({
      label: 'smoke',
      records: 1234,
      calls: 3,
      minimum: 4, // ⌈682/500⌉ + ⌈430/500⌉ + ⌈122/500⌉, the floor one event per record
      byteFloor: 3, // ⌈bytes/4 MiB⌉ per destination
      payloadBytes: 1234 * 201,
      // One Firehose record per destination: ⌈137,082/5,120⌉ + ⌈86,430/5,120⌉ + ⌈24,522/5,120⌉ steps.
      billedBytes: (27 + 17 + 5) * 5120,
      entries: 3,
      perRecordCalls: 1234,
      oversizedCalls: 0,
    });
    const unpacked = await countCalls(w, undefined, UNPACKED_SETTINGS);
    expect([unpacked.calls, unpacked.entries, unpacked.billedBytes]).to.deep.equal([4, 1234, 1234 * 5120]);
  });

  it('where the 4 MiB limit binds, calls still meet the minimum exactly, packed or not', async () => {
    // 131,071 B + newline = 4 MiB / 32: the 37 current-hour records need 2 calls, not ⌈37/500⌉ = 1.
    const w = { label: 'bytes', bytes: 131_071, records: 64, batchSize: 64 };
    const count = await countCalls(w);
    expect([count.calls, count.byteFloor, count.minimum, count.oversizedCalls]).to.deep.equal([4, 4, 4, 0]);
    const unpacked = await countCalls(w, undefined, UNPACKED_SETTINGS);
    expect([unpacked.calls, unpacked.oversizedCalls]).to.deep.equal([4, 0]);
  });

  it('the instant fake sees every record once, newline-terminated, per destination', async () => {
    const client = new InstantFirehose();
    const router = sourceRouter();
    const { response } = await router.routeBatch(
      kinesisEvent(0, 40, 200),
      routerDeps(client),
      BENCH_SETTINGS,
    );
    expect(response.batchItemFailures).to.deep.equal([]);
    // Packed: one Firehose record per destination.
    expect(Object.fromEntries(client.perStream)).to.deep.equal({
      'events-2026112200': { calls: 1, records: 1, bytes: 22 * 201 },
      'events-2026112123': { calls: 1, records: 1, bytes: 14 * 201 },
      'events-fallback': { calls: 1, records: 1, bytes: 4 * 201 },
    });
    expect(client.billed).to.equal((1 + 1 + 1) * 5120);
  });

  it('the results table marks a missed goal as MISSED', () => {
    const rows = [row('fast', 1, 1, 'µs', atMost(1.25)), row('slow', 2, 1, 'µs', atMost(1.25))];
    expect(missed(rows).map((r) => r.metric)).to.deep.equal(['slow']);
    expect(table(rows).split('\n')).to.have.length(4);
    expect(table(rows)).to.match(/\| slow .*\| MISSED \|$/m);
  });

  it('the throttling proxy forwards 5 calls in a second and throttles the 6th and 7th', async () => {
    const upstream = http.createServer((req, res) => req.resume().on('end', () => res.end('{}')));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const proxy = await startThrottleProxy({
      upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await fetch(proxy.endpoint, {
          method: 'POST',
          headers: { 'x-amz-target': 'Firehose_20150804.ListDeliveryStreams' },
          body: '{}',
        });
        statuses.push(res.status);
        if (res.status === 400) expect(await res.json()).to.deep.include({ __type: 'ThrottlingException' });
        else await res.text();
      }
      // Seven back-to-back local calls start well within one second of each other.
      expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 400, 400]);
      const stats = proxy.stats();
      expect([acceptedCalls(stats), throttledCalls(stats), stats.maxInWindow]).to.deep.equal([5, 2, 5]);
    } finally {
      await proxy.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

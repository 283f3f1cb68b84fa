// Keeps the bench from rotting: its functions run at a tiny size and the PutRecordBatch call count
// is asserted exactly against the floor formula. No timed assertions: timings belong to the bench.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countCalls } from '../../bench/router';
import { InstantFirehose, routerDeps, sourceRouter } from '../../bench/router-under-test';
import { atMost, missed, row, table } from '../../bench/report';
import { acceptedCalls, startThrottleProxy, throttledCalls } from '../../bench/throttle-proxy';
import {
  BENCH_SETTINGS,
  expectedDestinations,
  kinesisEvent,
  minimumCalls,
  recordText,
} from '../../bench/workload';

const MiB4 = 4 * 1024 * 1024;

describe('bench smoke', () => {
  it('builds records of the exact size asked for, without a newline', () => {
    for (const bytes of [200, 2048, 131_071]) {
      const text = recordText(7, bytes);
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

  it('1,234 records of 200 B over 3 destinations take exactly the minimum: 4 calls', async () => {
    const groups = expectedDestinations(1234, 200);
    expect(Object.fromEntries([...groups].map(([k, v]) => [k, v.records]))).to.deep.equal({
      'events-2026112200': 682,
      'events-2026112123': 430,
      'events-fallback': 122,
    });
    const count = await countCalls({ label: 'smoke', bytes: 200, records: 1234, batchSize: 1234 });
    expect(count).to.deep.equal({
      label: 'smoke',
      records: 1234,
      calls: 4,
      minimum: 4, // ⌈682/500⌉ + ⌈430/500⌉ + ⌈122/500⌉
      perRecordCalls: 1234,
      oversizedCalls: 0,
    });
  });

  it('where the 4 MiB limit binds, calls still meet the minimum exactly', async () => {
    // 131,071 B + newline = 4 MiB / 32: the 37 current-hour records need 2 calls, not ⌈37/500⌉ = 1.
    const count = await countCalls({ label: 'bytes', bytes: 131_071, records: 64, batchSize: 64 });
    expect([count.calls, count.minimum, count.oversizedCalls]).to.deep.equal([4, 4, 0]);
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
    expect(Object.fromEntries(client.perStream)).to.deep.equal({
      'events-2026112200': { calls: 1, records: 22, bytes: 22 * 201 },
      'events-2026112123': { calls: 1, records: 14, bytes: 14 * 201 },
      'events-fallback': { calls: 1, records: 4, bytes: 4 * 201 },
    });
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

import { expect } from 'chai';
import fc from 'fast-check';
import { planColumns } from '../../rotation/core/batch-plan';
import { closedAt, movedRoute, routeCache, throttleTarget } from '../../rotation/core/event-hour';
import { at, settings } from '../support/fixtures';
import { prng } from '../support/prng';
import { referenceFnv1a32, referenceStreamIndex } from '../support/router-reference';
import { planBatch, SourceRecord, streamIndexes } from '../support/routing';

const NOW = at('2026-11-22T05:20:00Z');
const bytes = (text: string) => new TextEncoder().encode(text);
const rec = (id: string, timestamp: unknown, partitionKey?: string): SourceRecord => ({
  id,
  data: bytes(JSON.stringify({ id, timestamp })),
  partitionKey,
});
const T05 = '2026-11-22T05:10:00Z';
const T04 = '2026-11-22T04:10:00Z';

/** Seeded PRNG keys, so the spread figures below are the same on every run. */
function randomKeys(count: number, seed: number): string[] {
  const random = prng(seed);
  // The generator's 32-bit words: its fraction times 2^32 is exact in a double.
  const next = () => random() * 4294967296;
  return Array.from({ length: count }, () => next().toString(36) + next().toString(36));
}

describe('an event hour open or closed: one test of late', () => {
  it('the route carries its write deadline; at send time closedAt agrees with the router to the ms', () => {
    const s = settings(); // lateness 60 min
    const hourMs = Date.parse('2026-11-22T04:00:00Z');
    const route = routeCache(NOW, s)(hourMs + 1234);
    if (route.kind !== 'hourly') throw new Error('an hourly route expected');
    expect(route.writeDeadlineMs).to.equal(Date.parse('2026-11-22T06:00:00Z'));
    const before = at('2026-11-22T05:59:59.999Z');
    const deadline = at('2026-11-22T06:00:00Z');
    expect([
      closedAt(route.writeDeadlineMs, before),
      closedAt(route.writeDeadlineMs, deadline),
    ]).to.deep.equal([false, true]);
    expect(
      [routeCache(before, s)(hourMs), routeCache(deadline, s)(hourMs)].map((r) => r.stream),
    ).to.deep.equal(['events-2026112204', 'events-fallback']);
  });
});

describe('spreading an hour over its streams', () => {
  // The router's hash is private to core/event-hour: the reference model's FNV-1a is held to the
  // published vectors, and the router's index to the reference's (the property below).
  it('fnv1a32 matches the published FNV-1a 32 test vectors', () => {
    expect([referenceFnv1a32(''), referenceFnv1a32('a'), referenceFnv1a32('foobar')]).to.deep.equal([
      0x811c9dc5, 0xe40c292c, 0xbf9cf968,
    ]);
  });

  it('property: the index is fnv1a32(partitionKey) xor-folded mod N, as docs/router.md writes it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 16 }), { maxLength: 20 }),
        (n, keys) => {
          expect(streamIndexes(keys, n)).to.deep.equal(keys.map((key) => referenceStreamIndex(key, n)));
        },
      ),
    );
  });

  const indexes: [string, number[]][] = [
    // key → index for N = 2, 3, 4, 8, 16 (fixed forever: changing them moves keys between streams)
    ['pk-0', [1, 0, 1, 1, 1]],
    ['pk-1', [0, 2, 2, 6, 14]],
    ['pk-3', [0, 0, 0, 0, 8]],
    ['user-42', [1, 0, 3, 3, 11]],
    ['ü-key', [0, 0, 2, 6, 6]],
  ];
  for (const [key, expected] of indexes) {
    it(`partition key ${key} → index ${expected.join(', ')} for N = 2, 3, 4, 8, 16`, () => {
      expect([2, 3, 4, 8, 16].map((n) => streamIndexes([key], n)[0])).to.deep.equal(expected);
    });
  }

  it('N = 4: records go to the stream of their key, siblings named <prefix>-yyyyMMddHH-<i>', () => {
    const s = settings({ streamsPerHour: 4 });
    const plan = planBatch(
      [rec('a', T05, 'pk-0'), rec('b', T05, 'pk-1'), rec('c', T04, 'pk-3'), rec('d', 'x', 'pk-1')],
      NOW,
      s,
    );
    expect(plan.outbound.map((o) => [o.id, o.route.stream])).to.deep.equal([
      ['a', 'events-2026112205-1'],
      ['b', 'events-2026112205-2'],
      ['c', 'events-2026112204'],
      ['d', 'events-fallback'], // the fallback is one stream, whatever N
    ]);
    const route = plan.outbound[0].route;
    expect(route.kind === 'hourly' && [route.siblings, route.index, route.moved]).to.deep.equal([
      ['events-2026112205', 'events-2026112205-1', 'events-2026112205-2', 'events-2026112205-3'],
      1,
      undefined,
    ]);
  });

  it('N > 1 without partition keys is a programming error, said plainly', () => {
    expect(() => planColumns(['a'], [bytes('{}\n')], NOW, settings({ streamsPerHour: 2 }))).to.throw(
      'planColumns: streamsPerHour 2 spreads by partition key; got no keys for 1 records',
    );
  });

  it('records of one hour and index share one route object (delivery counts runs of routes)', () => {
    const s = settings({ streamsPerHour: 2 });
    const plan = planBatch([rec('a', T05, 'k'), rec('b', T05, 'k'), rec('c', T05, 'pk-0')], NOW, s);
    const [a, b, c] = plan.outbound.map((o) => o.route);
    expect(a).to.equal(b);
    expect(a).not.to.equal(c);
  });

  it('property: records with the same partition key go to the same stream, for any N', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(T05, T04)), { maxLength: 40 }),
        (n, items) => {
          // A quota that fits 16 streams per hour: the settings refuse N that the default 50 cannot hold.
          const s = settings({ streamsPerHour: n, quota: 100 });
          const records = items.map(([key, t], i) => rec(`r${i}`, t, key));
          const plan = planBatch(records, NOW, s);
          const streamOf = new Map<string, string>();
          plan.outbound.forEach((o, i) => {
            const route = o.route;
            if (route.kind !== 'hourly') throw new Error('every record here is in an open hour');
            const [key, t] = items[i];
            const seen = streamOf.get(`${t} ${key}`);
            if (seen) expect(route.stream).to.equal(seen);
            streamOf.set(`${t} ${key}`, route.stream);
            expect(route.stream).to.equal(route.siblings?.[referenceStreamIndex(key, n)] ?? route.stream);
          });
        },
      ),
    );
  });

  it('spread: 16,000 random keys and 16,000 sequential keys land within 6 % of an even share, N = 2..16', () => {
    for (const keys of [randomKeys(16_000, 7), Array.from({ length: 16_000 }, (_, i) => `pk-${i}`)]) {
      for (const n of [2, 3, 4, 5, 8, 16]) {
        const counts = new Array<number>(n).fill(0);
        for (const index of streamIndexes(keys, n)) counts[index]++;
        const even = keys.length / n;
        for (const c of counts)
          expect(Math.abs(c - even) / even, `N=${n}: ${counts.join(',')}`).to.be.below(0.06);
      }
    }
  });

  it('property: with N = 1 the plan is exactly the one-stream plan: same routes, no sibling fields, keys unread', () => {
    const s = settings();
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(T05, T04, '2026-11-20T00:00:00Z', 'x')),
          {
            maxLength: 30,
          },
        ),
        (items) => {
          const records = items.map(([key, t], i) => rec(`r${i}`, t, key));
          const ids = records.map((r) => r.id);
          const datas = records.map((r) => r.data);
          // Keys that would throw if read: N = 1 must not touch them.
          const keys = new Proxy([] as string[], {
            get: (_target, p) => {
              if (p === 'length') return ids.length;
              throw new Error(`partition key ${String(p)} read with N = 1`);
            },
          });
          const withKeys = planColumns(ids, datas, NOW, s, keys);
          const without = planColumns(ids, datas, NOW, s);
          expect(withKeys).to.deep.equal(without);
          for (const o of withKeys.outbound)
            if (o.route.kind === 'hourly')
              expect(Object.keys(o.route)).to.deep.equal(['kind', 'stream', 'hour', 'writeDeadlineMs']);
        },
      ),
    );
  });

  it('a throttled share moves to the next index, round robin, once; a moved route is shared', () => {
    const s = settings({ streamsPerHour: 3 });
    const plan = planBatch([rec('a', T05, 'pk-1'), rec('b', T05, 'pk-3')], NOW, s);
    const [two, zero] = plan.outbound.map((o) => o.route);
    if (two.kind !== 'hourly' || zero.kind !== 'hourly') throw new Error('hourly routes expected');
    expect([two.index, zero.index]).to.deep.equal([2, 0]);
    expect([throttleTarget(two), throttleTarget(zero)]).to.deep.equal([0, 1]);
    const moved = movedRoute(two, 0);
    expect([moved.stream, moved.index, moved.moved, throttleTarget(moved)]).to.deep.equal([
      'events-2026112205',
      0,
      true,
      undefined,
    ]);
    expect(movedRoute(two, 0)).to.equal(moved);
    expect(() => movedRoute(two, 3)).to.throw('no sibling 3 for events-2026112205-2');
    const one = planBatch([rec('c', T05)], NOW, settings()).outbound[0].route;
    expect(throttleTarget(one)).to.equal(undefined); // one stream per hour: nowhere to move
  });
});

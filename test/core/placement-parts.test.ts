import { expect } from 'chai';
import fc from 'fast-check';
import { Part, PartCutter, PartLimits } from '../../rotation/core/placement-parts';

const H = 3_600_000;
const line = (n: number) => new Uint8Array(n).fill(0x61);

/** Feeds (hour, size) pairs and returns every part as "hour/part:sizes" plus the most bytes held. */
function cut(limits: PartLimits, input: [number, number][]): { parts: string[]; held: number } {
  const cutter = new PartCutter(limits);
  const parts: Part[] = [];
  let held = 0;
  let open = 0;
  for (const [hour, size] of input) {
    open += size;
    held = Math.max(held, open);
    for (const p of cutter.add(hour * H, line(size))) {
      parts.push(p);
      open -= p.bytes;
    }
  }
  parts.push(...cutter.finish());
  return {
    parts: parts.map((p) => `${p.hourMs / H}/${p.part}:${p.lines.map((l) => l.byteLength).join(',')}`),
    held,
  };
}

describe('PartCutter', () => {
  it('ends an object once it holds objectBytes, numbering parts per hour', () => {
    expect(
      cut({ objectBytes: 10, bufferBytes: 100 }, [
        [5, 4],
        [5, 4],
        [6, 3],
        [5, 4],
        [5, 1],
      ]).parts,
    ).to.deep.equal(['5/0:4,4,4', '5/1:1', '6/0:3']);
  });

  it('over the buffer, writes the fullest hour early (the earliest on a tie)', () => {
    expect(
      cut({ objectBytes: 10, bufferBytes: 10 }, [
        [7, 3],
        [6, 3],
        [8, 2],
        [9, 3],
        [6, 1],
      ]).parts,
    ).to.deep.equal(['6/0:3', '6/1:1', '7/0:3', '8/0:2', '9/0:3']);
  });

  it('rejects limits it cannot keep', () => {
    expect(() => new PartCutter({ objectBytes: 10, bufferBytes: 5 })).to.throw(
      'PartCutter: need 1 ≤ objectBytes ≤ bufferBytes, got {"objectBytes":10,"bufferBytes":5}',
    );
  });

  const input = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 })), {
    maxLength: 60,
  });
  const limits = fc
    .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 40 }))
    .map(([objectBytes, more]) => ({ objectBytes, bufferBytes: objectBytes + more }));

  it('keeps every line once, in order, in its hour; holds at most the buffer plus one line (property)', () => {
    fc.assert(
      fc.property(limits, input, (l, pairs) => {
        const cutter = new PartCutter(l);
        const seen = new Map<number, number[]>();
        const parts: Part[] = [];
        const tagged = pairs.map(
          ([hour], i) => [hour, new Uint8Array([i % 256, Math.floor(i / 256)])] as const,
        );
        for (const [hour, bytes] of tagged) parts.push(...cutter.add(hour * H, bytes));
        parts.push(...cutter.finish());
        for (const p of parts) {
          expect(p.bytes).to.be.at.most(l.objectBytes + 1);
          const got = seen.get(p.hourMs) ?? [];
          expect(p.part).to.equal(parts.filter((q) => q.hourMs === p.hourMs).indexOf(p));
          seen.set(p.hourMs, [...got, ...p.lines.map((b) => b[0] + 256 * b[1])]);
        }
        for (const hour of new Set(pairs.map(([h]) => h))) {
          const expected = tagged.flatMap(([h], i) => (h === hour ? [i] : []));
          expect(seen.get(hour * H)).to.deep.equal(expected);
        }
        expect(cut(l, pairs).held).to.be.at.most(l.bufferBytes + 9);
      }),
    );
  });

  it('cuts the same input into the same parts every time (property)', () => {
    fc.assert(
      fc.property(limits, input, (l, pairs) => {
        expect(cut(l, pairs)).to.deep.equal(cut(l, pairs));
      }),
    );
  });
});

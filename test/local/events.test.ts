// The demo's producer and judge, without AWS. The producer's idea of where each event belongs is
// its own (from how it made the event); here it is checked against the router's routing core,
// and the judge is shown to fail on every kind of damage it claims to detect.
import { expect } from 'chai';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { hourKey } from '../../rotation/core/names';
import { EVENT_KINDS, FALLBACK, generateEvents, idOf } from '../../rotation/local/events';
import { formatTree, judge, readBucket, StoredObject } from '../../rotation/local/layout';
import { parseSettings } from '../../rotation/core/settings';
import { demoSettingsInput } from '../../rotation/local/resources';
import { at } from '../support/fixtures';
import { decideRoute } from '../support/routing';

const NOW = at('2026-11-22T04:30:00Z');

/** A bucket of one listing page: every object holds the line "x". Throws on any other call. */
function bucketOf(keys: string[]): S3Client {
  const send = (command: object) => {
    if (command instanceof ListObjectsV2Command)
      return Promise.resolve({ Contents: keys.map((Key) => ({ Key })) });
    if (command instanceof GetObjectCommand)
      return Promise.resolve({ Body: { transformToString: () => Promise.resolve('x\n') } });
    return Promise.reject(new Error(`unexpected ${command.constructor.name}`));
  };
  return { send } as unknown as S3Client;
}
const S = parseSettings(demoSettingsInput());

describe('demo events', () => {
  const events = generateEvents(2000, 7, NOW);

  it('is deterministic for a seed and different for another', () => {
    expect(generateEvents(2000, 7, NOW)).to.deep.equal(events);
    expect(generateEvents(2000, 8, NOW)).to.not.deep.equal(events);
  });

  it('has unique ids, every kind, and an id readable from every record, JSON or not', () => {
    expect(new Set(events.map((e) => e.id)).size).to.equal(2000);
    expect(EVENT_KINDS.filter((k) => !events.some((e) => e.kind === k))).to.deep.equal([]);
    expect(events.filter((e) => idOf(e.data) !== e.id)).to.deep.equal([]);
  });

  it('spreads on-time events over the two open hours: previous and current (a later one opens 15 min before it)', () => {
    const hours = new Set(events.filter((e) => e.kind === 'on-time').map((e) => e.expected));
    expect([...hours].sort()).to.deep.equal(['2026112203', '2026112204']);
  });

  it('expects exactly what the router core decides at the same instant', () => {
    for (const e of events) {
      const route = decideRoute(Buffer.from(e.data), NOW, S);
      expect(route.kind === 'hourly' ? hourKey(route.hour) : FALLBACK, e.id).to.equal(e.expected);
    }
  });
});

describe('demo verdict', () => {
  const produced = generateEvents(6, 1, NOW);
  const placed = (ids: string[] = produced.map((e) => e.id)): StoredObject[] =>
    produced
      .filter((e) => ids.includes(e.id))
      .map((e) => ({ key: `k-${e.id}`, place: e.expected, lines: [e.data] }));
  const counts = () => {
    const fallback = produced.filter((e) => e.expected === FALLBACK).length;
    return `${produced.length - fallback} in hourly partitions, ${fallback} in fallback`;
  };

  it('all found where they belong, unchanged: the success line', () => {
    expect(judge(produced, placed()).line).to.equal(`all 6 produced records found in S3 (${counts()})`);
  });

  it('duplicates are at-least-once delivery, reported and not failed', () => {
    const v = judge(produced, [...placed(), ...placed([produced[0].id])]);
    expect([v.ok, v.duplicates]).to.deep.equal([true, 1]);
    expect(v.line).to.equal(
      `all 6 produced records found in S3 (${counts()}); 1 duplicate copies (at-least-once delivery)`,
    );
  });

  it('missing, misplaced and altered records each fail the verdict', () => {
    const [a, b, c] = produced;
    const objects = placed(produced.slice(1).map((e) => e.id));
    objects.find((o) => o.lines[0] === b.data)!.place = b.expected === FALLBACK ? '2026112204' : FALLBACK;
    objects.find((o) => o.lines[0] === c.data)!.lines = [c.data.replace('"u-', '"U-')];
    const v = judge(produced, objects);
    expect([v.ok, v.missing, v.misplaced, v.altered]).to.deep.equal([false, [a.id], [b.id], [c.id]]);
    expect(v.line).to.equal(
      `FAILED: of 6 produced records; 1 missing from S3 (${a.id}); 1 in the wrong place (${b.id}); 1 altered (${c.id})`,
    );
  });

  it('reads the place from the key: hour partition, fallback prefix, anything else', async () => {
    const keys = [
      'data/dt=2026-11-22/hr=05/2026/11/22/04/x',
      'late/2026/11/22/04/x',
      'errors/x',
      'data/2026/x',
    ];
    const objects = await readBucket(bucketOf(keys), 'lake', { dataPrefix: 'data', fallbackPrefix: 'late' });
    expect(objects.map((o) => [o.key, o.place])).to.deep.equal([
      ['data/dt=2026-11-22/hr=05/2026/11/22/04/x', '2026112205'],
      ['late/2026/11/22/04/x', 'fallback'],
      ['errors/x', 'other'],
      ['data/2026/x', 'other'],
    ]);
  });

  it('draws the bucket as a tree with objects and records per partition', () => {
    const objects: StoredObject[] = [
      { key: 'a', place: '2026112205', lines: ['1', '2'] },
      { key: 'b', place: '2026112205', lines: ['3'] },
      { key: 'c', place: '2026112300', lines: ['4'] },
      { key: 'd', place: FALLBACK, lines: ['5', '6', '7'] },
    ];
    expect(formatTree('lake', objects, S).split('\n')).to.deep.equal([
      's3://lake/',
      '  data/',
      '    dt=2026-11-22/',
      '      hr=05/                     2 objects      3 records',
      '    dt=2026-11-23/',
      '      hr=00/                     1 objects      1 records',
      '  late/ (fallback)               1 objects      3 records',
    ]);
  });
});

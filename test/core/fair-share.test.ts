// The sharing rule as example tables: the share arithmetic, what the census makes of a Region's
// names and tags, a single deployment planning byte for byte as before, give-back and orphans.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { describeShare, fairShare, ShareInput, sharingCapacityNote } from '../../rotation/core/fair-share';
import { hourKey, streamName } from '../../rotation/core/names';
import { ExistingStream, planRotation, RotationPlan } from '../../rotation/core/planner';
import {
  FALLBACK_OF_TAG,
  orphanReads,
  sampleReads,
  takeCensus,
  Tags,
} from '../../rotation/core/region-census';
import { OWNER_TAG } from '../../rotation/core/settings';
import { at, settings } from '../support/fixtures';
import { deployment, fallbackOf, foreignStreams, Region, runIn } from '../support/sharing-world';

const input = (o: Partial<ShareInput>): ShareInput => ({
  quota: 50,
  reserve: 1,
  foreign: 0,
  deployments: [],
  self: 'a',
  liveWindow: 4,
  handPlanned: false,
  ...o,
});
const near = (...ids: string[]) => ids.map((id) => ({ id, nearTerm: 3 }));

describe('fair share: the arithmetic', () => {
  const rows: [string, Partial<ShareInput>, number, number, boolean][] = [
    ['alone: no limit beyond the reserve', { deployments: near('a') }, Infinity, 44, true],
    ['two: 50 − 1 − 2 × 5 = 39, a gets 20, b 19', { deployments: near('a', 'b') }, 20, 39, true],
    ['two, b asks: 19', { deployments: near('a', 'b'), self: 'b' }, 19, 39, true],
    ['three: 34 → 12, 11, 11', { deployments: near('a', 'b', 'c') }, 12, 34, true],
    ['three, c asks', { deployments: near('a', 'b', 'c'), self: 'c' }, 11, 34, true],
    ['foreign 20: 50 − 1 − 20 − 10 = 19 → 10', { deployments: near('a', 'b'), foreign: 20 }, 10, 19, true],
    [
      'one holds 6 near-term (draining not deleted yet): counted as held',
      { deployments: [...near('a'), { id: 'b', nearTerm: 6 }] },
      19,
      37,
      true,
    ],
    ['ten: 10 × 5 = 50 > 49: pool 0', { deployments: near(...'abcdefghij') }, 0, 0, true],
    ['eleven: needs 55 > 50, reported', { deployments: near(...'abcdefghijk') }, 0, 0, false],
    [
      'hand-planned (lookaheadHours set): no share',
      { deployments: near('a', 'b'), handPlanned: true },
      Infinity,
      39,
      true,
    ],
  ];
  for (const [title, o, share, pool, fit] of rows) {
    it(`${title}`, () => {
      const f = fairShare(input(o));
      expect([f.share, f.pool, f.needsFit]).to.deep.equal([share, pool, fit]);
    });
  }
  it('every deployment computes the same shares, summing to the pool', () => {
    const ids = ['x/prod', 'x/dev', 'x/stage'];
    const shares = ids.map((self) => fairShare(input({ deployments: near(...ids), self })).share);
    expect(shares).to.deep.equal([11, 12, 11]);
    expect(shares.reduce((a, b) => a + b)).to.equal(34);
  });
  it('preview says what the settings tell: 10 deployments of live window 4 fit quota 50', () => {
    expect(sharingCapacityNote(50, 4)).to.equal(
      'sharing: each deployment like this one needs 5 streams near-term (live window 4 + fallback); up to 10 such deployments keep their current and next hour in quota 50 beside no foreign streams. The first rotation run counts the deployments in the Region and says so by name when they do not fit.',
    );
  });
  it('says it in one line', () => {
    expect(describeShare(fairShare(input({ deployments: near('a', 'b', 'c') })))).to.equal(
      '3 deployments; far-ahead share 12 of a pool of 34',
    );
    expect(describeShare(fairShare(input({ deployments: near(...'abcdefghijk') })))).to.equal(
      '11 deployments; far-ahead share 0 of a pool of 0; their live windows and fallbacks (55) do not fit the quota',
    );
  });
});

describe('region census: deployments, orphans and foreign streams from a few tags', () => {
  const S = settings(); // demo/dev, prefix events
  const now = at('2026-11-22T05:30:00Z');
  const names = [
    'events-fallback',
    'events-2026112205',
    'events-2026112210',
    'dev-2026112205',
    'dev-2026112206',
    'dev-2026112220',
    'dev-fallback',
    'old-2026112204',
    'old-2026112209',
    'other-team-0',
    'other-fallback',
    'weird-2026139999',
  ];
  it('reads one sample per other prefix (the farthest hour) and every other *-fallback', () => {
    expect(sampleReads(names, S)).to.deep.equal([
      'dev-2026112220',
      'old-2026112209',
      'dev-fallback',
      'other-fallback',
    ]);
  });
  it('a prefix whose sample is ours is read stream by stream; its proven streams are orphans', () => {
    const tags = new Map<string, Tags | undefined>([
      ['dev-2026112220', { [OWNER_TAG]: 'team/dev' }],
      ['old-2026112209', { [OWNER_TAG]: 'demo/dev' }],
      ['dev-fallback', {}],
      ['other-fallback', { [FALLBACK_OF_TAG]: 'team/other' }],
    ]);
    expect(orphanReads(names, tags, S)).to.deep.equal(['old-2026112204']);
    tags.set('old-2026112204', { [OWNER_TAG]: 'demo/dev' });
    const c = takeCensus(now, names, tags, S);
    expect(c.others).to.deep.equal([
      { id: 'team/dev', nearTerm: 2, farAhead: 1, fallback: true },
      { id: 'team/other', nearTerm: 0, farAhead: 0, fallback: true },
    ]);
    expect(c.orphans.map((o) => [o.name, hourKey(o.hour)])).to.deep.equal([
      ['old-2026112209', '2026112209'],
      ['old-2026112204', '2026112204'],
    ]);
    // other-team-0 and the unparseable weird-… name: 12 − 3 ours − 2 orphans − 5 others' = 2.
    expect([c.foreign, c.tagReads]).to.deep.equal([2, 5]);
  });
});

const APPLIED = { value: 50, origin: 'applied' as const };
/** A plan's JSON without the sharing report: what a deployment alone must plan unchanged. */
const bytes = (p: RotationPlan) => JSON.stringify({ ...p, sharing: undefined });
const alone = (now: DateTime, region: Region) => {
  const S = settings();
  const tags = new Map(region.map((e) => [e.name, e.tags]));
  const census = takeCensus(
    now,
    region.map((e) => e.name),
    tags,
    S,
  );
  return planRotation(now, region, S, APPLIED, census);
};

describe('fair share: a single deployment plans byte for byte as before', () => {
  const S = settings();
  const ours = { [OWNER_TAG]: 'demo/dev' };
  const owned = (from: string, count: number): ExistingStream[] =>
    Array.from({ length: count }, (_, i) => ({
      name: streamName('events', at(from).plus({ hours: i })),
      status: 'ACTIVE',
      tags: ours,
    }));
  const fb: ExistingStream = { name: 'events-fallback', status: 'ACTIVE', tags: ours };
  // The rows of planner.test.ts's quota-50 table.
  const rows: [string, ExistingStream[]][] = [
    ['2026-11-22T00:30:00Z', [fb]],
    ['2026-11-22T00:30:00Z', [fb, ...foreignStreams(10)]],
    ['2026-11-22T01:30:00Z', [fb]],
    ['2026-11-22T01:30:00Z', [fb, ...foreignStreams(10)]],
    ['2026-11-22T00:10:00Z', [fb, ...owned('2026-11-21T22:00:00Z', 26)]],
    ['2026-11-22T00:30:00Z', [fb, ...owned('2026-11-21T22:00:00Z', 26)]],
    ['2026-11-22T01:30:00Z', [fb, ...owned('2026-11-21T23:00:00Z', 48)]],
  ];
  for (const [now, existing] of rows) {
    it(`${now} with ${existing.length} streams: same plan with and without a census`, () => {
      const plan = alone(at(now), existing);
      expect(bytes(plan)).to.equal(bytes(planRotation(at(now), existing, S, APPLIED)));
      expect(plan.sharing).to.include({ deployments: 1, share: Infinity, basis: 'alone' });
    });
  }
  it('two days of hourly runs alone: every plan identical to the plan without a census', () => {
    let region: Region = [fb];
    for (let h = 0; h < 48; h++) {
      const now = at('2026-11-22T00:30:00Z').plus({ hours: h });
      const plan = alone(now, region);
      expect(bytes(plan), now.toISO()).to.equal(bytes(planRotation(now, region, S, APPLIED)));
      region = runIn(region, S, now).region;
    }
  });
});

describe('fair share: give-back and the newcomer', () => {
  const A = deployment('team/prod', 'events');
  const B = deployment('team/test', 'events-test');
  it('prod holding 48 hourly streams gives back its 24 farthest when test’s fallback appears', () => {
    let region: Region = [fallbackOf(A)];
    region = runIn(region, A, at('2026-11-22T01:30:00Z')).region;
    expect(region.length).to.equal(49);
    region.push(fallbackOf(B));
    const { plan, region: after } = runIn(region, A, at('2026-11-22T02:30:00Z'));
    const back = plan.deletes.filter((d) => d.reason === 'over-share');
    // 47 hourly after its drained hour: 01 draining, 02 and 03 near-term, 44 far-ahead; its share
    // is 20 of a pool of 39 (team/prod sorts first), so the 24 farthest go, D+1 23h first.
    expect([back.length, back[0].hour, back[23].hour]).to.deep.equal([24, '2026112323', '2026112300']);
    expect(plan.sharing).to.include({ deployments: 2, pool: 39, share: 20, farAhead: 20 });
    const test = runIn(after, B, at('2026-11-22T02:40:00Z'));
    expect(test.plan.creates.slice(0, 2).map((c) => c.hour)).to.deep.equal(['2026112202', '2026112203']);
    expect(test.plan.sharing).to.include({ share: 19, farAhead: 19 });
  });
  it('a newcomer that runs before the incumbent finds the Region full and says so (the one limit)', () => {
    let region: Region = [fallbackOf(A)];
    region = runIn(region, A, at('2026-11-22T01:30:00Z')).region;
    region.push(fallbackOf(B));
    const { plan } = runIn(region, B, at('2026-11-22T01:40:00Z'));
    expect([plan.creates.length, plan.shortfall.slice(0, 2)]).to.deep.equal([
      0,
      ['2026112201', '2026112202'],
    ]);
  });
});

describe('ownership is the tag: streams of a prefix the settings do not name', () => {
  const S = settings();
  const now = at('2026-11-22T05:30:00Z');
  const orphan = (key: string): ExistingStream => ({
    name: `old-${key}`,
    status: 'ACTIVE',
    tags: { [OWNER_TAG]: 'demo/dev' },
  });
  it('far-ahead and drained ones are deleted now, open and draining ones wait for their own buffer', () => {
    const region = [fallbackOf(S), ...['2026112203', '2026112204', '2026112205', '2026112207'].map(orphan)];
    const tags = new Map(region.map((e) => [e.name, e.tags]));
    const census = takeCensus(
      now,
      region.map((e) => e.name),
      tags,
      S,
    );
    // 04 ended 05:00: lateness 60 + margin 15 + its own 60 s buffer = 06:16, still draining.
    census.orphans.find((o) => o.name === 'old-2026112204')!.bufferingIntervalSeconds = 60;
    const plan = planRotation(now, region, S, { value: 50, origin: 'applied' }, census);
    // Farthest first, as the census lists them.
    expect(plan.deletes.filter((d) => d.reason === 'orphan').map((d) => d.name)).to.deep.equal([
      'old-2026112207',
      'old-2026112203',
    ]);
    expect(plan.sharing?.orphansDraining).to.deep.equal(['old-2026112204', 'old-2026112205']);
    // The fallback is the one stream not ours by name (the planner's count); orphans are not foreign.
    expect(plan.foreignCount).to.equal(1);
  });
});

// The executor under limits moto does not raise the way AWS does: a LimitExceededException that is
// not the stream quota, and a concurrent run that filled the quota between this run's count and
// its creates (give-back). Scripted client: every call in order, nothing else.
import { expect } from 'chai';
import { LimitExceededException, ResourceInUseException } from '@aws-sdk/client-firehose';
import { CreatePass, CreatePassDeps, CreatePlan } from '../../rotation/aws/create-pass';
import { ApplyResult, rotate } from '../../rotation/aws/executor';
import { generationOf } from '../../rotation/core/generations';
import { RotationSettings } from '../../rotation/core/settings';
import { at, settings } from '../support/fixtures';
import { listing, scriptedClient, Step } from '../support/scripted-firehose';

const S = settings({ quota: 6, reserveStreams: 0 });
/** A generation as a state exported before earlyMinutes existed records it (no earlyMinutes). */
const PRE_I1 = { ...generationOf(S), earlyMinutes: undefined }; // the executor's mechanics, without the reserve
const NOW = at('2026-11-22T05:30:00Z');
const name = (hh: string) => `events-20261122${hh}`;
const create = (hh: string, reply: object | Error = {}): Step => [
  'CreateDeliveryStream',
  { DeliveryStreamName: name(hh) },
  reply,
];
const limit = (message: string) => new LimitExceededException({ message, $metadata: {} });
const inUse = () => new ResourceInUseException({ message: 'in use', $metadata: {} });

describe('executor: limits and concurrent runs', () => {
  it('a LimitExceededException about something else than the quota fails the run, with its message', async () => {
    const fake = scriptedClient([
      listing(['events-fallback']),
      listing(['events-fallback']),
      create('05', limit('Too many tags: a delivery stream can have at most 50 tags')),
    ]);
    let error: Error | undefined;
    await rotate({ client: fake.client, now: () => NOW }, S).catch((err: Error) => (error = err));
    expect(error?.message).to.equal(
      'CreateDeliveryStream events-2026112205: LimitExceededException that is not the stream quota: ' +
        'Too many tags: a delivery stream can have at most 50 tags',
    );
    expect(fake.left).to.deep.equal([]);
  });

  it('the quota message is a shortfall: the rest of the plan waits, the run succeeds', async () => {
    const fake = scriptedClient([
      listing(['events-fallback']),
      listing(['events-fallback']),
      create('05'),
      listing(['events-fallback', name('05')]),
      create('06', limit('You have already consumed your firehose quota of 50 hoses. Firehose names: [...]')),
      listing(['events-fallback', name('05')]), // the real quota, learned from the refusal
      listing(['events-fallback', name('05')]), // give-back: nothing far-ahead was made
    ]);
    const { result } = await rotate({ client: fake.client, now: () => NOW }, S);
    expect(result.created).to.deep.equal([name('05')]);
    expect(result.notCreated).to.deep.equal(
      ['06', '04', '07', '08'].map((hh) => ({ name: name(hh), reason: 'quota reached' })),
    );
    expect(fake.left).to.deep.equal([]);
  });

  it('a concurrent run filled the quota since the plan: the re-count before a create stops the rest, no LimitExceeded', async () => {
    const fake = scriptedClient([
      listing(['events-fallback']),
      listing(['events-fallback']),
      create('05'),
      // Another run made four streams meanwhile: 6 of 6.
      listing(['events-fallback', name('05'), 'other-a', 'other-b', 'other-c', 'other-d']),
      listing(['events-fallback', name('05'), 'other-a', 'other-b', 'other-c', 'other-d']),
    ]);
    const { result } = await rotate({ client: fake.client, now: () => NOW }, S);
    expect(result.created).to.deep.equal([name('05')]);
    expect(result.notCreated).to.deep.equal(
      ['06', '04', '07', '08'].map((hh) => ({ name: name(hh), reason: 'quota: filled since the plan' })),
    );
    expect(fake.left).to.deep.equal([]);
  });

  it('the reserve holds in the re-count: a far-ahead create stops at quota minus reserve, near-term ones may fill it', async () => {
    // quota 6, reserve 1: the plan is 05, 06, 04 (near-term) and 07 (far-ahead, leaving 1 free).
    const fake = scriptedClient([
      listing(['events-fallback']),
      listing(['events-fallback']),
      create('05'),
      listing(['events-fallback', name('05')]),
      create('06'),
      listing(['events-fallback', name('05'), name('06')]),
      create('04'),
      // A concurrent run made one stream: 5 of 6, only the reserve left, which 07 may not take.
      listing(['events-fallback', 'other-a', ...['04', '05', '06'].map(name)]),
      listing(['events-fallback', 'other-a', ...['04', '05', '06'].map(name)]),
    ]);
    const { plan, result } = await rotate(
      { client: fake.client, now: () => NOW },
      settings({ quota: 6, reserveStreams: 1 }),
    );
    expect(plan.creates.map((c) => c.name)).to.deep.equal(['05', '06', '04', '07'].map(name));
    expect(result.created).to.deep.equal(['05', '06', '04'].map(name));
    expect(result.notCreated).to.deep.equal([{ name: name('07'), reason: 'quota: filled since the plan' }]);
    expect(fake.left).to.deep.equal([]);
  });

  // Give-back (I1): only far-ahead streams, empty by construction, farthest first, whoever made
  // them; a CREATING one is skipped, not waited for; far-ahead judged with the clock at the delete.
  const describe = (hh: string, status: string): Step => [
    'DescribeDeliveryStream',
    { DeliveryStreamName: name(hh) },
    { DeliveryStreamDescription: { DeliveryStreamStatus: status } },
  ];
  const ours = (hh: string): Step => [
    'ListTagsForDeliveryStream',
    { DeliveryStreamName: name(hh) },
    { Tags: [{ Key: 'firehose-rotation:deployment', Value: 'demo/dev' }], HasMoreTags: false },
  ];
  const del = (hh: string, reply: object | Error = {}): Step => [
    'DeleteDeliveryStream',
    { DeliveryStreamName: name(hh) },
    reply,
  ];
  const plan = (hh: string, countBefore: number) => ({
    deletes: [],
    creates: [{ name: name(hh), hour: `20261122${hh}` }],
    quota: 6,
    countBefore,
    reserve: 0,
  });
  const emptyResult = {
    created: [],
    deleted: [],
    completed: [],
    notCreated: [],
    notDeleted: [],
    signalFailures: [],
    recreated: [],
  };
  /** A plan without deletes, applied as a run applies it: its create pass, into a fresh result. */
  async function createPass(deps: CreatePassDeps, p: CreatePlan, s: RotationSettings): Promise<ApplyResult> {
    const result: ApplyResult = structuredClone(emptyResult);
    await new CreatePass(deps, p, s, result).run();
    return result;
  }

  it('over the quota after a concurrent run: gives back far-ahead streams farthest first, skipping a CREATING one, never a near one', async () => {
    const fake = scriptedClient([
      listing(['events-fallback', ...['04', '05', '06', '07'].map(name)]),
      create('08'),
      // Another deployment made two streams meanwhile: 8 of 6.
      listing(['events-fallback', 'other-a', 'other-b', ...['04', '05', '06', '07', '08'].map(name)]),
      describe('08', 'CREATING'), // just made: Firehose refuses its delete; skipped, not awaited
      describe('07', 'ACTIVE'),
      ours('07'),
      del('07'),
      // 06 (the next hour) and 05, 04 are near-term: never candidates; one over is left.
    ]);
    const result = await createPass({ client: fake.client, now: () => NOW }, plan('08', 5), S);
    expect(result).to.deep.equal({ ...emptyResult, created: [name('08')], deleted: [name('07')] });
    expect(fake.left).to.deep.equal([]);
  });

  it('far-ahead is judged with the clock at each delete: an hour that came near since the listing is kept', async () => {
    // 07 opens at 06:45; far-ahead until 06:34 (60 s + 10 min before). The clock reaches 06:34
    // with the first give-back's delete (a slow control plane, say).
    const now = () =>
      fake.calls.includes(`DeleteDeliveryStream ${name('08')}`) ? at('2026-11-22T06:34:00Z') : NOW;
    const fake = scriptedClient([
      listing(['events-fallback', ...['05', '06', '07'].map(name)]),
      create('08', inUse()), // made by a concurrent run
      listing(['events-fallback', 'other-a', 'other-b', 'other-c', ...['05', '06', '07', '08'].map(name)]),
      describe('08', 'ACTIVE'),
      ours('08'),
      del('08'),
      // 07: judged at 06:34 before any read, no longer far-ahead: not even described.
    ]);
    const result = await createPass({ client: fake.client, now }, plan('08', 4), S);
    expect(result).to.deep.equal({
      ...emptyResult,
      notCreated: [{ name: name('08'), reason: 'quota: given back, a concurrent run filled it' }],
    });
    expect(fake.left).to.deep.equal([]);
  });

  it('a near-term create at a full quota gives back a far-ahead stream first, so the count never passes the quota', async () => {
    const fake = scriptedClient([
      listing(['events-fallback', 'other-a', 'other-b', 'other-c', name('04'), name('10')]), // 6 of 6
      describe('10', 'ACTIVE'),
      ours('10'),
      del('10'),
      create('05'),
      listing(['events-fallback', 'other-a', 'other-b', 'other-c', name('04'), name('05')]),
    ]);
    const result = await createPass({ client: fake.client, now: () => NOW }, plan('05', 6), S);
    expect(result).to.deep.equal({ ...emptyResult, created: [name('05')], deleted: [name('10')] });
    expect(fake.left).to.deep.equal([]);
  });

  it('a near-term create refused for the quota (a concurrent near-term create took the slot) gives back a far-ahead stream and retries once', async () => {
    const full = ['events-fallback', 'other-a', 'other-b', 'other-c', name('04'), name('10')];
    const fake = scriptedClient([
      listing(full.filter((n) => n !== 'other-c')), // 5 of 6 when counted
      create('05', limit('You have already consumed your firehose quota of 6 hoses.')),
      listing(full),
      describe('10', 'ACTIVE'),
      ours('10'),
      del('10'),
      create('05'),
      listing(['events-fallback', 'other-a', 'other-b', 'other-c', name('04'), name('05')]),
    ]);
    const result = await createPass({ client: fake.client, now: () => NOW }, plan('05', 5), S);
    expect(result).to.deep.equal({ ...emptyResult, created: [name('05')], deleted: [name('10')] });
    expect(fake.left).to.deep.equal([]);
  });

  it('a stream of another owner or one a pre-I1 router may have written to is never given back', async () => {
    const s = settings({
      quota: 6,
      reserveStreams: 0,
      // Exported before earlyMinutes existed: hours before 2026112212 may hold early records.
      formerGenerations: [{ ...PRE_I1, namesUntil: '2026112212', expires: '2026-11-25T00:00:00.000Z' }],
    });
    const fake = scriptedClient([
      listing(['events-fallback', 'other-a', 'other-b', name('04'), name('10'), name('12')]), // 6 of 6
      describe('12', 'ACTIVE'),
      [
        'ListTagsForDeliveryStream',
        { DeliveryStreamName: name('12') },
        { Tags: [{ Key: 'firehose-rotation:deployment', Value: 'someone/else' }], HasMoreTags: false },
      ],
      // 10: before the pre-I1 generation's namesUntil: not a candidate. Nothing else to give.
    ]);
    const result = await createPass({ client: fake.client, now: () => NOW }, plan('05', 6), s);
    expect(result).to.deep.equal({
      ...emptyResult,
      notCreated: [{ name: name('05'), reason: 'quota: filled since the plan' }],
    });
    expect(fake.left).to.deep.equal([]);
  });

  it("a planned name over Firehose's 64 characters is reported and never sent; the next create goes ahead", async () => {
    const long = `${'p'.repeat(54)}-2026112205`; // 65 characters
    const fake = scriptedClient([create('05')]);
    const p = {
      deletes: [],
      creates: [
        { name: long, hour: '2026112205' },
        { name: name('05'), hour: '2026112205' },
      ],
    };
    const result = await createPass({ client: fake.client, now: () => NOW }, p, S);
    expect(result).to.deep.equal({
      ...emptyResult,
      created: [name('05')],
      notCreated: [{ name: long, reason: "name longer than Firehose's 64 characters" }],
    });
    expect(fake.left).to.deep.equal([]);
  });
});

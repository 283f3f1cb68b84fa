// The Pipeline across `up`s: it reads its own last generation state (stack output `lifecycleState`)
// through a StackReference to itself (the mocks answer that read), keeps the former configuration
// in both functions' settings, and keeps the roles serving streams made under it: the delivery
// role's S3 prefixes, the router's PutRecordBatch targets, the rotation role's names and owners.
import { expect } from 'chai';
import * as pulumi from '@pulumi/pulumi';
import { DateTime } from 'luxon';
import { Pipeline } from '../../components/pipeline';
import { longestDeployedFields, settingsAfterUp } from '../../components/pipeline-args';
import { parsePipelineConfig, parseSettings, settingsEnvironmentValue } from '../../rotation/core/settings';
import { previousGenerationState } from '../../components/generation-state';
import { generationOf, type GenerationState } from '../../rotation/core/generations';
import { settings } from '../support/fixtures';
import { environmentSizeOf } from '../support/lambda-environment';
import { parsePolicy, statement } from './assertions';
import { PIPELINE_ARGS as ARGS, PIPELINE_CONFIG as CONFIG } from './fixtures/args';
import { ACCOUNT, ofType, one, promiseOf, REGION, resources, settle, stackOutputs, useMocks } from './mocks';

const THEN = new Date('2026-11-22T10:20:00Z');
/**
 * The stack output that carries the generation state from one `up` to the next (docs/lifecycle.md):
 * a literal, not the product's constant, so a rename there fails here. Deployed stacks exported
 * their state under this key; an `up` reading another would forget their former configurations.
 */
const STATE_OUTPUT_KEY = 'lifecycleState';
/** The state an `up` exports: the JSON the next `up` reads back. */
const exported = async (pipeline: Pipeline) =>
  JSON.parse(await promiseOf(pipeline.generationState)) as GenerationState;
/** What the last `up` exported: the same stack under streamPrefix "old", dataPrefix "old-data". */
const OLD = generationOf(
  settings({ deploymentId: 'firehose-rotation/old', streamPrefix: 'old', dataPrefix: 'old-data' }),
);
const firehose = (p: string) => `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${p}-20????????`;

describe('Pipeline across `up`s (settings changes)', () => {
  useMocks();
  afterEach(() => delete stackOutputs[STATE_OUTPUT_KEY]);

  async function build() {
    const pipeline = new Pipeline('pipe', { ...ARGS, generations: { now: () => THEN } });
    await settle();
    return pipeline;
  }
  const policyOf = (name: string) =>
    parsePolicy(ofType('aws:iam/rolePolicy:RolePolicy').find((r) => r.name === name)!.inputs.policy);

  it('reads its own stack (organization/project/stack) and keeps the former configuration', async () => {
    stackOutputs[STATE_OUTPUT_KEY] = JSON.stringify({ current: OLD, formers: [] });
    const pipeline = await build();
    expect(one('pulumi:pulumi:StackReference').inputs.name).to.equal('organization/firehose-rotation/test');
    const state = await exported(pipeline);
    expect(state.formers).to.deep.equal([
      { ...OLD, namesUntil: '2026112400', expires: '2026-11-24T07:20:00.000Z' },
    ]);
    expect(state.current.streamPrefix).to.equal(CONFIG.streamPrefix);
    type FunctionInputs = { environment: { variables: Record<string, string> } };
    for (const f of ofType<FunctionInputs>('aws:lambda/function:Function')) {
      const s = parseSettings(JSON.parse(f.inputs.environment.variables.FIREHOSE_ROTATION_SETTINGS));
      expect(s.formerGenerations).to.deep.equal(state.formers);
    }
  });

  it('reads the state under the key `lifecycleState` only: one exported under another key is not its state', async () => {
    stackOutputs.generationState = JSON.stringify({ current: OLD, formers: [] });
    try {
      expect((await exported(await build())).formers).to.deep.equal([]);
    } finally {
      delete stackOutputs.generationState;
    }
    resources.length = 0;
    stackOutputs[STATE_OUTPUT_KEY] = JSON.stringify({ current: OLD, formers: [] });
    expect((await exported(await build())).formers.map((f) => f.streamPrefix)).to.deep.equal(['old']);
  });

  it('the roles keep serving streams made under it: prefixes, names and owners', async () => {
    stackOutputs[STATE_OUTPUT_KEY] = JSON.stringify({ current: OLD, formers: [] });
    await build();
    const objects = statement(policyOf('pipe-delivery-policy'), 'ObjectsUnderPrefixes').Resource;
    expect(objects).to.deep.equal(
      ['data', 'late', 'errors', 'old-data'].map((p) => `arn:aws:s3:::pipe-lake-bucket-0a1b2c3/${p}/*`),
    );
    const router = policyOf('pipe-router-fn-policy');
    expect(statement(router, 'PutToHourlyAndFallbackStreams').Resource).to.deep.equal([
      firehose('events'),
      firehose('old'),
      `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/events-fallback`,
    ]);
    const rotation = policyOf('pipe-rotation-fn-policy');
    expect(statement(rotation, 'DeleteOnlyOwned')).to.deep.include({
      Resource: [firehose('events'), firehose('old')],
      Condition: {
        StringEquals: {
          'aws:ResourceTag/firehose-rotation:deployment': ['firehose-rotation/test', 'firehose-rotation/old'],
        },
      },
    });
  });

  it('a former configuration past its expiry is dropped at the next `up`, and so are its prefixes', async () => {
    const first = await exported(await build());
    resources.length = 0;
    const expired = { ...OLD, namesUntil: '2026112100', expires: '2026-11-22T10:20:00.000Z' };
    stackOutputs[STATE_OUTPUT_KEY] = JSON.stringify({ current: first.current, formers: [expired] });
    const pipeline = await build();
    expect(await exported(pipeline)).to.deep.equal(first);
    const objects = statement(policyOf('pipe-delivery-policy'), 'ObjectsUnderPrefixes').Resource;
    expect(objects).to.have.length(3);
  });

  it('streamsPerHour 2 → 1: the state keeps N = 2 as a former configuration, the roles keep the siblings until it expires', async () => {
    const first = await exported(await build());
    expect(first.current.streamsPerHour).to.equal(1);
    resources.length = 0;
    // The last `up` ran with two streams per hour; this one goes back to one.
    const previous = { current: { ...first.current, streamsPerHour: 2 }, formers: [] };
    stackOutputs[STATE_OUTPUT_KEY] = JSON.stringify(previous);
    const pipeline = await build();
    const state = await exported(pipeline);
    expect(state.current).to.deep.equal(first.current);
    expect(state.formers).to.deep.equal([
      { ...previous.current, namesUntil: '2026112400', expires: '2026-11-24T07:16:00.000Z' },
    ]);
    const sibling = `${firehose('events')}-?`;
    const fallback = `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/events-fallback`;
    const router = policyOf('pipe-router-fn-policy');
    expect(statement(router, 'PutToHourlyAndFallbackStreams').Resource).to.deep.equal([
      firehose('events'),
      sibling,
      fallback,
    ]);
    const rotation = policyOf('pipe-rotation-fn-policy');
    expect(statement(rotation, 'DeleteOnlyOwned').Resource).to.deep.equal([firehose('events'), sibling]);
    type FunctionInputs = { environment: { variables: Record<string, string> } };
    for (const f of ofType<FunctionInputs>('aws:lambda/function:Function')) {
      const s = parseSettings(JSON.parse(f.inputs.environment.variables.FIREHOSE_ROTATION_SETTINGS));
      expect([s.streamsPerHour, s.formerGenerations.map((g) => g.streamsPerHour)]).to.deep.equal([1, [2]]);
    }
    // Round trip: the next `up` reads this state back; once the former expired the policies are
    // exactly the one-stream ones again.
    resources.length = 0;
    stackOutputs[STATE_OUTPUT_KEY] = JSON.stringify({
      ...state,
      formers: state.formers.map((f) => ({ ...f, expires: '2026-11-22T10:20:00.000Z' })),
    });
    expect(await exported(await build())).to.deep.equal(first);
    expect(
      statement(policyOf('pipe-router-fn-policy'), 'PutToHourlyAndFallbackStreams').Resource,
    ).to.deep.equal([firehose('events'), fallback]);
  });

  it('streamsPerHour 1 → 2: the new N is current at once, the one-stream configuration a former one', async () => {
    const first = await exported(await build());
    resources.length = 0;
    stackOutputs[STATE_OUTPUT_KEY] = JSON.stringify(first);
    const config = parsePipelineConfig({ ...CONFIG, streamsPerHour: 2, lookaheadHours: 21 });
    const pipeline = new Pipeline('pipe', { ...ARGS, config, generations: { now: () => THEN } });
    await settle();
    const state = await exported(pipeline);
    expect([state.current.streamsPerHour, state.formers.map((f) => f.streamsPerHour)]).to.deep.equal([
      2,
      [1],
    ]);
    expect(statement(policyOf('pipe-rotation-fn-policy'), 'CreateWithOwnershipTags').Resource).to.deep.equal([
      firehose('events'),
      `${firehose('events')}-?`,
    ]);
  });

  it('a malformed state fails the `up`, naming the output and the field', async () => {
    let reads = 0;
    /** What the self-reference reads when the last `up` exported `raw`: the state, or the error. */
    const read = async (raw: string | undefined) => {
      if (raw === undefined) delete stackOutputs[STATE_OUTPUT_KEY];
      else stackOutputs[STATE_OUTPUT_KEY] = raw;
      const parent = new pulumi.ComponentResource('firehose-rotation:index:Probe', `probe-${reads++}`);
      const state = previousGenerationState('previous', parent, 'organization/firehose-rotation/test');
      // An Output has no public way to reject; its promise is what a failed apply fails the `up` with.
      return (state as unknown as { promise(): Promise<unknown> }).promise().catch((err: Error) => err);
    };
    const malformed = (await read('{"current":{},"formers":[]}')) as Error;
    expect(malformed.message).to.match(
      /^stack output lifecycleState: current\.streamPrefix: .*; it is written by this program only$/,
    );
    expect(((await read('nope')) as Error).message).to.equal(
      'stack output lifecycleState: is not JSON; it is written by this program only',
    );
    expect(await read(undefined)).to.equal(undefined);
  });
});

describe('settingsAfterUp: former configurations in the 4 KB Lambda environment', () => {
  /** Three live formers from earlier `up`s, plus OLD retired by this one: the allowed 4. */
  const formers = [1, 2, 3].map((i) => ({
    ...generationOf(settings({ deploymentId: `firehose-rotation/old${i}`, streamPrefix: `old${i}` })),
    namesUntil: '2026112300',
    expires: '2026-11-24T00:00:00.000Z',
  }));
  /** 8 tags of 100/200 characters: within 4 KB on a first deploy, not next to 4 formers. */
  const config = parsePipelineConfig({
    ...CONFIG,
    extraTags: Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`${i}`.padStart(100, 'k'), 'v'.repeat(200)]),
    ),
  });
  const deployed = longestDeployedFields('pipe');
  const now = DateTime.fromJSDate(THEN, { zone: 'utc' });

  it('a first deploy of these settings fits: the Pipeline preview check passes them', () => {
    const settings = settingsAfterUp(config, deployed, undefined, now);
    expect(environmentSizeOf(settingsEnvironmentValue(settings))).to.equal(3317);
    expect(settings.formerGenerations).to.deep.equal([]);
  });

  it('an `up` whose 4 former configurations push them past 4,096 bytes fails, naming the formers', () => {
    expect(() => settingsAfterUp(config, deployed, { current: OLD, formers }, now)).to.throw(
      "Pipeline: extraTags make the functions' Lambda environment 4698 bytes, over Lambda's 4096 " +
        '(keys and values of all variables); the tags take 2449 of them; 4 former configuration(s) ' +
        '(formerGenerations, until they expire) take 1383: shorten or remove tags by at least 602 bytes',
    );
  });

  it('once the three older formers expire, the same `up` fits: only the one it retires is left', () => {
    const later = DateTime.fromISO('2026-11-24T00:00:00Z', { zone: 'utc' });
    const settings = settingsAfterUp(config, deployed, { current: OLD, formers }, later);
    expect(settings.formerGenerations.map((f) => f.streamPrefix)).to.deep.equal(['old']);
    expect(environmentSizeOf(JSON.stringify(settings))).to.be.below(4096);
  });
});

describe('settingsAfterUp: a former streamPrefix against a raised streamsPerHour (at preview)', () => {
  const long = 'p'.repeat(53);
  const previous = { current: generationOf(settings({ streamPrefix: long })), formers: [] };
  const now = DateTime.fromISO('2026-11-22T10:20:00Z', { zone: 'utc' });
  const deployed = longestDeployedFields('pipe');

  it('renaming a 53-character prefix to a short one and raising streamsPerHour to 2 in one `up` is refused, naming the way out', () => {
    const config = parsePipelineConfig({
      ...CONFIG,
      streamPrefix: 'short',
      streamsPerHour: 2,
      lookaheadHours: 21,
    });
    expect(() => settingsAfterUp(config, deployed, previous, now)).to.throw(
      `streamsPerHour: 2 streams per hour with the former streamPrefix "${long}" (53 characters), which still ` +
        "names the hours before 2026112400, would make names over Firehose's 64 characters; keep streamsPerHour " +
        'at most 1 until 2026-11-24T07:20:00.000Z (formerGenerations)',
    );
  });

  it('the rename alone passes; streamsPerHour 2 may follow once the former configuration expired', () => {
    const config = parsePipelineConfig({ ...CONFIG, streamPrefix: 'short' });
    expect(
      settingsAfterUp(config, deployed, previous, now).formerGenerations.map((f) => f.streamPrefix),
    ).to.deep.equal([long]);
  });
});

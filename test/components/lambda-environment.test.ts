// Lambda's 4 KB limit on a function's environment (keys and values of all variables), judged at
// preview: by the Pipeline with the longest ARNs it can get, by Router and Rotation on plain
// (not yet Output) settings, and again on the known settings before either function is created.
import { expect } from 'chai';
import fc from 'fast-check';
import { Pipeline } from '../../components/pipeline';
import { Rotation } from '../../components/rotation';
import { Router } from '../../components/router';
import { checkedEnvironment } from '../../components/lambda-environment';
import { longestDeployedFields, runtimeSettings } from '../../components/pipeline-args';
import {
  parsePipelineConfig,
  parseSettings,
  RotationSettings,
  settingsEnvironmentValue,
} from '../../rotation/core/settings';
import {
  PIPELINE_ARGS,
  PIPELINE_CONFIG,
  ROTATION_ARGS,
  ROUTER_ARGS,
  RUNTIME_SETTINGS,
} from './fixtures/args';
import { ofType, resources, settle, useMocks } from './mocks';
import { BASE_SETTINGS } from '../support/fixtures';
import { environmentSizeOf, lambdaEnvironmentBytes } from '../support/lambda-environment';

/** The example: 12 tags with 100-character keys and 200-character values. */
const TWELVE_LONG_TAGS = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [`${i}`.padStart(100, 'k'), 'v'.repeat(200)]),
);
/** Settings JSON whose environment is exactly `bytes` long: tags of at most 256 characters. */
function settingsOfSize(bytes: number): string {
  const tags: Record<string, string> = {};
  const json = () => settingsEnvironmentValue({ ...RUNTIME_SETTINGS, extraTags: tags });
  const missing = () => bytes - environmentSizeOf(json());
  let last = 't10';
  tags[last] = '';
  while (missing() > 0) {
    if (tags[last].length < 256) {
      tags[last] += 'p'.repeat(Math.min(missing(), 256 - tags[last].length));
    } else {
      const next = `t${Number(last.slice(1)) + 1}`;
      tags[next] = ''; // 9 bytes: ,"tNN":""
      if (missing() < 0) tags[last] = tags[last].slice(0, missing());
      last = next;
    }
  }
  return json();
}

/** A function's environment as the mocks record it (the engine resolves the variables). */
type LambdaEnv = { environment: { variables: Record<string, string> } };

/** The typed settings the components take; they serialise back to exactly `json`. */
function typed(json: string): RotationSettings {
  const settings = parseSettings(JSON.parse(json));
  expect(settingsEnvironmentValue(settings)).to.equal(json);
  return settings;
}

describe('Lambda environment limit', () => {
  useMocks();

  it('counts UTF-8 bytes of every key and value, as Lambda does', () => {
    expect(lambdaEnvironmentBytes({ A: 'é', BC: 'x' })).to.equal(1 + 2 + 2 + 1);
    const variables = checkedEnvironment('X', '{}');
    expect(variables).to.deep.equal({
      FIREHOSE_ROTATION_SETTINGS: '{}',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(lambdaEnvironmentBytes(variables)).to.equal(
      'FIREHOSE_ROTATION_SETTINGS'.length + 2 + 'NODE_OPTIONS'.length + '--enable-source-maps'.length,
    );
    // The check counts bytes too: 2,100 "é" are 4,200 bytes, over the limit; 2,100 characters are not.
    const accented = JSON.stringify({ extraTags: { t: 'é'.repeat(2100) } });
    expect(() => checkedEnvironment('X', accented)).to.throw(
      `X: extraTags make the functions' Lambda environment ${4200 + 22 + 58} bytes, over Lambda's 4096`,
    );
  });

  it('leaves serviceQuotaCode out while it holds its default; the functions parse it back', () => {
    const byDefault = parseSettings(BASE_SETTINGS);
    const json = settingsEnvironmentValue(byDefault);
    expect(json).to.not.include('serviceQuotaCode');
    expect(parseSettings(JSON.parse(json))).to.deep.equal(byDefault);
    expect(byDefault.serviceQuotaCode).to.equal('L-14BB0BE7');
    // Another code is the operator's choice: it is carried, 32 bytes.
    const own = settingsEnvironmentValue(parseSettings({ ...BASE_SETTINGS, serviceQuotaCode: 'L-0123ABCD' }));
    expect((JSON.parse(own) as RotationSettings).serviceQuotaCode).to.equal('L-0123ABCD');
    expect(own.length - json.length).to.equal(32);
  });

  it('property: accepted exactly up to 4096 bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3000, max: 5000 }), (bytes) => {
        const json = settingsOfSize(bytes);
        expect(environmentSizeOf(json)).to.equal(bytes);
        if (bytes <= 4096) expect(checkedEnvironment('X', json)).to.be.an('object');
        else expect(() => checkedEnvironment('X', json)).to.throw(`over Lambda's 4096`);
      }),
    );
  });

  it('the Pipeline rejects the issue example at preview, with the longest ARNs it can get', async () => {
    const config = { ...PIPELINE_CONFIG, extraTags: TWELVE_LONG_TAGS };
    const worst = settingsEnvironmentValue(
      runtimeSettings(parsePipelineConfig(config), longestDeployedFields('pipe')),
    );
    expect(environmentSizeOf(worst)).to.equal(4541);
    expect(() => new Pipeline('pipe', { ...PIPELINE_ARGS, config: parsePipelineConfig(config) })).to.throw(
      "Pipeline: extraTags make the functions' Lambda environment 4541 bytes, over Lambda's 4096 " +
        '(keys and values of all variables); the tags take 3673 of them: shorten or remove tags by at least 445 bytes',
    );
    await settle();
    expect(resources).to.deep.equal([]);
  });

  it('the longest ARNs are an upper bound of what the mocks deploy for "pipe"', async () => {
    new Pipeline('pipe', PIPELINE_ARGS);
    await settle();
    const envs = await Promise.all(
      ofType<LambdaEnv>('aws:lambda/function:Function').map((f) =>
        Promise.resolve(f.inputs.environment.variables),
      ),
    );
    const worst = settingsEnvironmentValue(
      runtimeSettings(parsePipelineConfig(PIPELINE_CONFIG), longestDeployedFields('pipe')),
    );
    for (const variables of envs)
      expect(lambdaEnvironmentBytes(variables)).to.be.below(environmentSizeOf(worst));
    expect(envs).to.have.length(3); // router, rotation, placer
  });

  for (const [component, build] of [
    ['Router', (json: string) => new Router('r', { ...ROUTER_ARGS, settings: typed(json) })],
    ['Rotation', (json: string) => new Rotation('rot', { ...ROTATION_ARGS, settings: typed(json) })],
  ] as const) {
    it(`${component}'s function takes 4096 bytes and rejects 4097, naming extraTags`, async () => {
      expect(() => build(settingsOfSize(4097))).to.throw(
        `${component}: extraTags make the functions' Lambda environment 4097 bytes, over Lambda's 4096 ` +
          '(keys and values of all variables); the tags take 3362 of them: shorten or remove tags by at least 1 bytes',
      );
      await settle();
      expect(resources).to.deep.equal([]);
      build(settingsOfSize(4096));
      await settle();
      const fn = ofType<LambdaEnv>('aws:lambda/function:Function')[0];
      expect(lambdaEnvironmentBytes(fn.inputs.environment.variables)).to.equal(4096);
    });
  }
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pipeline } from '../../components/pipeline';
import { ConfigSource, readStackConfig } from '../../components/stack-config';
import { parsePipelineConfig, pipelineConfigSchema } from '../../rotation/core/settings';
import { loadModule } from '../support/load-module';
import { BUNDLE_ROOT, FIXTURE_HANDLER, PROJECT, resources, settle, useMocks } from './mocks';

// js-yaml comes with mocha; the project declares no YAML parser of its own.
const yaml = loadModule<{ load(text: string): unknown }>('js-yaml');
const ROOT = path.join(__dirname, '..', '..');
const DEFAULTS = { deploymentId: 'firehose-rotation/test' };

/** A ConfigSource over plain values, stored as Pulumi stores them: strings (objects as JSON). */
function source(values: Record<string, unknown>): ConfigSource {
  const raw = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  return { name: PROJECT, get: (k) => raw[k], keys: () => Object.keys(raw) };
}

interface ProjectFile {
  name: string;
  runtime: { name: string; options: Record<string, unknown> };
  config: Record<string, { type: string; default?: unknown; description: string }>;
}
const project = yaml.load(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8')) as ProjectFile;
const projectDefaults = Object.fromEntries(
  Object.entries(project.config)
    .filter(([, decl]) => decl.default !== undefined)
    .map(([k, decl]) => [k, decl.default]),
);
const REQUIRED = { streamPrefix: 'events', fallbackStreamName: 'events-fallback' };
/** Every tunable of the settings schema: the stack config reads each one (the schema is its source). */
const TUNABLES = Object.keys(pipelineConfigSchema.shape);

/** What readStackConfig says about `key` when it alone is set to `value` beside the required keys. */
function problemsOf(key: string, value: string): string[] {
  try {
    readStackConfig(source({ ...REQUIRED, [key]: value }), DEFAULTS);
    return [];
  } catch (err) {
    const prefix = `  - ${PROJECT}:${key}: `;
    const lines = (err as Error).message.split('\n');
    return lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  }
}

/** How readStackConfig reads `key`, told by its answer to "x", a value of no kind but a string. */
function kindRead(key: string): 'unknown' | 'integer' | 'boolean' | 'string' {
  const [problem = ''] = problemsOf(key, 'x');
  if (problem === 'unknown config key') return 'unknown';
  if (problem.startsWith('must be an integer')) return 'integer';
  return problem === 'must be true or false' ? 'boolean' : 'string';
}

describe('stack config', () => {
  it('reads tunables through the settings schema and infrastructure knobs by type', () => {
    const args = readStackConfig(
      source({
        ...REQUIRED,
        quota: 60,
        extraTags: { team: 'data' },
        forceDestroy: true,
        kinesisStreamMode: 'PROVISIONED',
        kinesisShardCount: 2,
        routerBatchSize: 100,
        rotationSchedule: 'cron(5 * * * ? *)',
        logRetentionDays: 14,
      }),
      DEFAULTS,
    );
    expect(args).to.deep.equal({
      config: parsePipelineConfig({ ...DEFAULTS, ...REQUIRED, quota: 60, extraTags: { team: 'data' } }),
      bucket: { forceDestroy: true },
      stream: { mode: 'PROVISIONED', shardCount: 2 },
      router: { batchSize: 100 },
      rotation: { scheduleExpression: 'cron(5 * * * ? *)' },
      alarms: {},
      dashboard: {},
      athena: {},
      logRetentionDays: 14,
    });
  });

  it('lets the stack override the default deployment id', () => {
    const args = readStackConfig(source({ ...REQUIRED, deploymentId: 'team/prod' }), DEFAULTS);
    expect(args.config.deploymentId).to.equal('team/prod');
  });

  it('reports every problem at once, each with the full config key', () => {
    const bad = {
      ...REQUIRED,
      quota: 'fifty',
      quta: 50,
      forceDestroy: 'yes',
      routerBatchSize: '1e3',
      compression: 'LZ4',
    };
    expect(() => readStackConfig(source(bad), DEFAULTS)).to.throw(
      'invalid stack config (fix with `pulumi config set <key> <value>`):\n' +
        '  - firehose-rotation:quta: unknown config key\n' +
        '  - firehose-rotation:quota: must be an integer from 2 to 5000 streams\n' +
        '  - firehose-rotation:compression: must be one of UNCOMPRESSED, GZIP, Snappy, HADOOP_SNAPPY\n' +
        '  - firehose-rotation:forceDestroy: must be true or false\n' +
        '  - firehose-rotation:routerBatchSize: must be an integer',
    );
  });

  it('names a missing required key', () => {
    expect(() => readStackConfig(source({ streamPrefix: 'events' }), DEFAULTS)).to.throw(
      '  - firehose-rotation:fallbackStreamName: ',
    );
  });

  it('Pulumi.yaml runs TypeScript through tsx and declares only keys the program reads, with matching types', () => {
    expect(project.name).to.equal('firehose-rotation');
    expect(project.runtime).to.deep.equal({
      name: 'nodejs',
      options: { typescript: false, nodeargs: '--import tsx' },
    });
    // Declared keys are integers, booleans or strings: each is read, as the kind it is declared.
    for (const [key, decl] of Object.entries(project.config)) {
      expect(kindRead(key), `declared key ${key}`).to.equal(decl.type);
      expect(decl.description, key).to.be.a('string').that.has.length.above(0);
    }
    // Undeclared on purpose: optional without a default (a declared key without one is required).
    // Each is read; every tunable the schema has is declared or one of them.
    const undeclared = [
      'alarmEmail',
      'athenaDatabase',
      'deploymentId',
      'extraTags',
      'kinesisShardCount',
      'kmsKeyArn',
      'lookaheadHours',
      'rotationReservedConcurrency',
      'serviceQuotaCode',
      'streamBudget',
    ];
    for (const key of undeclared) {
      expect(kindRead(key), `undeclared key ${key}`).to.not.equal('unknown');
      expect(project.config, key).to.not.have.property(key);
    }
    expect(TUNABLES.filter((k) => !(k in project.config)).sort()).to.deep.equal(
      undeclared.filter((k) => TUNABLES.includes(k)),
    );
    expect(Object.keys(project.config).filter((k) => !('default' in project.config[k]))).to.deep.equal([
      'streamPrefix',
      'fallbackStreamName',
    ]);
  });

  it("Pulumi.yaml's tunable defaults are the schema's defaults", () => {
    const schemaDefaults = parsePipelineConfig({ ...DEFAULTS, ...REQUIRED });
    for (const key of TUNABLES.filter((k) => k in projectDefaults)) {
      expect(projectDefaults[key], key).to.deep.equal(schemaDefaults[key as keyof typeof schemaDefaults]);
    }
  });

  describe('deployed', () => {
    useMocks();
    const code = {
      router: { entry: FIXTURE_HANDLER },
      rotation: { entry: FIXTURE_HANDLER },
      placer: { entry: FIXTURE_HANDLER },
      bundle: { root: BUNDLE_ROOT },
    };

    async function snapshot(args: ReturnType<typeof readStackConfig>) {
      resources.length = 0;
      new Pipeline('pipe', {
        ...args,
        router: { ...args.router, ...code.router },
        rotation: { ...args.rotation, ...code.rotation },
        bundle: code.bundle,
      });
      await settle();
      // Archives hold a promise of their path: compare the path itself.
      const plain = await Promise.all(
        resources.map(async (r) => ({
          ...r,
          inputs: r.inputs.code
            ? { ...r.inputs, code: await (r.inputs.code as { path: Promise<string> }).path }
            : r.inputs,
        })),
      );
      return plain.sort((a, b) => a.name.localeCompare(b.name));
    }

    it("Pulumi.yaml's infrastructure defaults deploy exactly what the components default to", async () => {
      const fromYaml = await snapshot(readStackConfig(source({ ...projectDefaults, ...REQUIRED }), DEFAULTS));
      const fromCode = await snapshot({ config: parsePipelineConfig({ ...DEFAULTS, ...REQUIRED }) });
      expect(fromYaml).to.have.length(69);
      expect(fromYaml).to.deep.equal(fromCode);
    });

    it('Pulumi.dev.yaml is a valid stack: 2 MiB / 60 s, GZIP, quota 50', async () => {
      const stack = yaml.load(fs.readFileSync(path.join(ROOT, 'Pulumi.dev.yaml'), 'utf8')) as {
        config: Record<string, unknown>;
      };
      expect(stack.config['aws:region']).to.be.a('string');
      const own = Object.fromEntries(
        Object.entries(stack.config)
          .filter(([k]) => k.startsWith(`${PROJECT}:`))
          .map(([k, v]) => [k.slice(PROJECT.length + 1), v]),
      );
      const args = readStackConfig(source({ ...projectDefaults, ...own }), {
        deploymentId: 'firehose-rotation/dev',
      });
      expect(args.config).to.deep.include({
        quota: 50,
        bufferingSizeMiB: 2,
        bufferingIntervalSeconds: 60,
        compression: 'GZIP',
      });
      expect(await snapshot(args)).to.have.length(69);
    });
  });
});

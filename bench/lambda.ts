// The Lambda packages: each handler bundled as deployed (esbuild, minified, node22, cjs) against a
// bundle of only its SDK client; module init time of each in a fresh `node`; peak RSS of the router
// bundle handling a 10k-record batch against a child that only loads it. The router child talks
// to a fake Firehose endpoint here over HTTP (AWS_ENDPOINT_URL_FIREHOSE), so the real SDK path runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { SETTINGS_ENV } from '../rotation/core/settings';
import { median } from './report';
import { BENCH_SETTINGS_INPUT, kinesisEvent, ROUTER_NOW } from './workload';

const ROOT = path.resolve(__dirname, '..');
const BARE_CLIENT = `import { FirehoseClient } from '@aws-sdk/client-firehose';\nexport const c = new FirehoseClient({});\n`;

export interface Bundles {
  dir: string;
  rotation: string;
  router: string;
  bare: string;
  cleanup(): void;
}

export async function bundleAll(): Promise<Bundles> {
  const dir = mkdtempSync(path.join(tmpdir(), 'firehose-rotation-bench-'));
  const common = {
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'error',
  } as const;
  const out = (name: string) => path.join(dir, `${name}.js`);
  await build({
    ...common,
    entryPoints: [path.join(ROOT, 'rotation/handlers/rotate.ts')],
    outfile: out('rotation'),
  });
  await build({
    ...common,
    entryPoints: [path.join(ROOT, 'rotation/handlers/router.ts')],
    outfile: out('router'),
  });
  await build({
    ...common,
    stdin: { contents: BARE_CLIENT, resolveDir: ROOT, sourcefile: 'bare-firehose.ts', loader: 'ts' },
    outfile: out('bare'),
  });
  return {
    dir,
    rotation: out('rotation'),
    router: out('router'),
    bare: out('bare'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const sizeOf = (file: string) => statSync(file).size;

/** Environment of a Lambda child: valid settings, fake credentials, nothing that reaches AWS. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    [SETTINGS_ENV]: JSON.stringify(BENCH_SETTINGS_INPUT),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

interface ChildReport {
  initMs: number;
  maxRssKiB: number;
  failures?: number;
}

// Plain JS for plain `node`: tsx would add its own modules to the init time and the RSS.
const CHILD = `
const { performance } = require('node:perf_hooks');
const [bundle, eventFile, nowMs] = process.argv.slice(1);
if (nowMs) { const shift = Number(nowMs) - Date.now(), real = Date.now; Date.now = () => real() + shift; }
const t0 = performance.now();
const mod = require(bundle);
const initMs = performance.now() - t0;
const done = (failures) => process.stdout.write('\\nBENCH ' + JSON.stringify({ initMs, maxRssKiB: process.resourceUsage().maxRSS, failures }) + '\\n');
if (!eventFile) done();
else {
  const event = JSON.parse(require('node:fs').readFileSync(eventFile, 'utf8'));
  mod.handler(event, { getRemainingTimeInMillis: () => 60000 }).then((r) => done(r.batchItemFailures.length));
}`;

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH '));
      if (code !== 0 || !line) reject(new Error(`bench child exited ${code}: ${stderr.slice(0, 2000)}`));
      else resolve(JSON.parse(line.slice('BENCH '.length)) as ChildReport);
    });
  });
}

/** Median module init time (ms) of each bundle, in fresh processes taking turns. */
export async function initTimes(files: readonly string[], reps: number): Promise<number[]> {
  const samples = files.map(() => [] as number[]);
  for (let rep = 0; rep < reps; rep++) {
    for (const [i, file] of files.entries()) samples[i].push((await runChild([file], childEnv())).initMs);
  }
  return samples.map(median);
}

/** Answers PutRecordBatch like Firehose with every entry accepted; counts calls per stream. */
async function fakeFirehoseEndpoint() {
  const calls: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const input = JSON.parse(body) as { DeliveryStreamName: string; Records: unknown[] };
      calls[input.DeliveryStreamName] = (calls[input.DeliveryStreamName] ?? 0) + 1;
      const RequestResponses = input.Records.map((_, i) => ({ RecordId: `r-${i}` }));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedPutCount: 0, Encrypted: false, RequestResponses }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, calls, close: () => new Promise((r) => server.close(r)) };
}

export interface MemoryResult {
  records: number;
  eventBytes: number;
  /** Median peak RSS (KiB) of a child that handled the batch, and of one that only loaded the bundle. */
  handledKiB: number;
  loadedKiB: number;
  callsPerStream: Record<string, number>;
}

export async function routerMemory(
  bundles: Bundles,
  records: number,
  bytes: number,
  reps: number,
): Promise<MemoryResult> {
  const eventFile = path.join(bundles.dir, 'event.json');
  const eventText = JSON.stringify(kinesisEvent(0, records, bytes));
  writeFileSync(eventFile, eventText);
  const fake = await fakeFirehoseEndpoint();
  const env = childEnv({ AWS_ENDPOINT_URL_FIREHOSE: fake.endpoint, POWERTOOLS_LOG_LEVEL: 'WARN' });
  const handled: number[] = [];
  const loaded: number[] = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      loaded.push((await runChild([bundles.router], env)).maxRssKiB);
      const run = await runChild([bundles.router, eventFile, String(ROUTER_NOW.toMillis())], env);
      if (run.failures) throw new Error(`router child reported ${run.failures} failed records`);
      handled.push(run.maxRssKiB);
    }
  } finally {
    await fake.close();
  }
  const callsPerStream = Object.fromEntries(Object.entries(fake.calls).map(([k, v]) => [k, v / reps]));
  return {
    records,
    eventBytes: eventText.length,
    handledKiB: median(handled),
    loadedKiB: median(loaded),
    callsPerStream,
  };
}

// The lifecycle resource's provider, called directly as Pulumi's dynamic-provider host calls it:
// create/update/delete against a fake invoker that records every payload, diff as a table and as a
// property (it never replaces, whatever changes), and the real invoker against a Lambda endpoint
// served on 127.0.0.1 (one attempt, the function's error surfaced, the payload as sent). Its
// 16-minute socket timeout is asserted on the serialized provider (test/components/rotation.test.ts).
// The lifecycle id travels under its old name, `generation`, in the payload and the output: wire
// names of deployed stacks, spelled out literally below.
import { expect } from 'chai';
import * as fc from 'fast-check';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeRotation, lifecycleProvider } from '../../components/rotation-lifecycle-provider';

/** Which function the provider invokes: the invoker's first argument. */
type InvokeTarget = Parameters<typeof invokeRotation>[0];
/** What the engine hands create, update and delete: the resource's inputs, resolved. */
type LifecycleProps = InvokeTarget & { settingsSha256: string };

const G1 = '11111111-1111-4111-8111-111111111111';
const G2 = '22222222-2222-4222-8222-222222222222';
const PROPS: LifecycleProps = { functionName: 'rot-fn', region: 'eu-west-1', settingsSha256: 'ab' };

function fakeInvoker(answer: unknown = { action: 'deploy' }) {
  const calls: [InvokeTarget, { action: string; generation: string }][] = [];
  const invoke = (target: InvokeTarget, payload: { action: string; generation: string }) => {
    calls.push([target, payload]);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { invoke, calls };
}

describe('RotationLifecycle provider', () => {
  it('create makes a fresh lifecycle id and deploys it; update deploys the same one to the new function', async () => {
    const fake = fakeInvoker();
    const ids = [G1, G2];
    const provider = lifecycleProvider(fake.invoke, () => ids.shift()!);
    const created = await provider.create(PROPS);
    expect(created).to.deep.equal({ id: G1, outs: { ...PROPS, generation: G1, lastOutcome: 'deploy' } });
    const news = { ...PROPS, functionName: 'rot-fn-renamed', settingsSha256: 'cd' };
    const updated = await provider.update!(G1, created.outs, news);
    expect(updated).to.deep.equal({ outs: { ...news, generation: G1, lastOutcome: 'deploy' } });
    expect(fake.calls).to.deep.equal([
      [
        { functionName: 'rot-fn', region: 'eu-west-1' },
        { action: 'deploy', generation: G1 },
      ],
      [
        { functionName: 'rot-fn-renamed', region: 'eu-west-1' },
        { action: 'deploy', generation: G1 },
      ],
    ]);
    expect(ids).to.deep.equal([G2]); // an update never makes a lifecycle id
  });

  it('delete sends destroy with the lifecycle id it was created with, to the function in its state', async () => {
    const fake = fakeInvoker({ action: 'superseded' });
    const provider = lifecycleProvider(fake.invoke, () => G2);
    await provider.delete!(G1, { ...PROPS, profile: 'ops', generation: G1, lastOutcome: 'deploy' });
    expect(fake.calls).to.deep.equal([
      [
        { functionName: 'rot-fn', region: 'eu-west-1', profile: 'ops' },
        { action: 'destroy', generation: G1 },
      ],
    ]);
  });

  it('a replacement (create new, then delete old) sends the old delete a lifecycle id no longer recorded', async () => {
    const fake = fakeInvoker();
    const ids = [G1, G2];
    const provider = lifecycleProvider(fake.invoke, () => ids.shift()!);
    const old = await provider.create(PROPS);
    await provider.create(PROPS); // `pulumi up --replace`: the successor first (create-before-delete)
    await provider.delete!(old.id, old.outs);
    expect(fake.calls.map(([, p]) => p)).to.deep.equal([
      { action: 'deploy', generation: G1 },
      { action: 'deploy', generation: G2 },
      { action: 'destroy', generation: G1 },
    ]);
  });

  it("a function error fails the step with the function's message", async () => {
    const provider = lifecycleProvider(
      fakeInvoker(new Error('deploy by rot-fn failed (Unhandled): x')).invoke,
      () => G1,
    );
    let error: unknown;
    await provider.create(PROPS).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal('deploy by rot-fn failed (Unhandled): x');
  });

  const table: [string, Partial<LifecycleProps & { __provider: string }>, boolean][] = [
    ['nothing', {}, false],
    ['the settings digest', { settingsSha256: 'cd' }, true],
    ['the function name (a replaced function)', { functionName: 'rot-fn-2' }, true],
    ['the Region', { region: 'us-east-1' }, true],
    ['the profile', { profile: 'ops' }, true],
    ["the provider's code (an upgrade)", { __provider: 'exports.handler = 2' }, true],
  ];
  for (const [what, change, changes] of table) {
    it(`diff: a change of ${what} is ${changes ? 'an update' : 'no change'}, never a replacement`, async () => {
      const provider = lifecycleProvider(fakeInvoker().invoke, () => G1);
      const olds = { ...PROPS, __provider: 'exports.handler = 1', generation: G1 };
      const diff = await provider.diff!(G1, olds, { ...olds, ...change });
      expect(diff).to.deep.equal({ changes, replaces: [], deleteBeforeReplace: false });
    });
  }

  it('diff never replaces and never deletes before replacing, whatever changes (property)', async () => {
    const provider = lifecycleProvider(fakeInvoker().invoke, () => G1);
    const props = fc.record({
      functionName: fc.string(),
      region: fc.string(),
      settingsSha256: fc.string(),
      profile: fc.option(fc.string(), { nil: undefined }),
      __provider: fc.string(),
    });
    await fc.assert(
      fc.asyncProperty(props, props, async (olds, news) => {
        const diff = await provider.diff!(G1, olds, news);
        expect(diff.replaces).to.deep.equal([]);
        expect(diff.deleteBeforeReplace).to.equal(false);
        const differs = (['functionName', 'region', 'settingsSha256', 'profile', '__provider'] as const).some(
          (k) => olds[k] !== news[k],
        );
        expect(diff.changes).to.equal(differs);
      }),
    );
  });
});

describe('invokeRotation against a Lambda endpoint on 127.0.0.1', () => {
  // Taken when the block starts, not when the file loads: mocha's global setup sets the ledger's
  // directory in process.env in between (a serial run), and restoring must keep it.
  let saved: NodeJS.ProcessEnv;
  let server: http.Server;
  let requests: { path: string; body: string; invocationType?: string }[];
  let reply: { status: number; headers: Record<string, string>; body: string };

  before(async () => {
    saved = { ...process.env };
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        requests.push({
          path: req.url ?? '',
          body,
          invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
        });
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
  });
  after(async () => {
    process.env = { ...saved };
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests = [];
  });

  const target = { functionName: 'rot-fn', region: 'eu-west-1' };

  it('invokes synchronously with the payload and returns the parsed answer', async () => {
    reply = { status: 200, headers: {}, body: '{"action":"superseded","deleted":[]}' };
    const answer = await invokeRotation(target, { action: 'destroy', generation: G1 });
    expect(answer).to.deep.equal({ action: 'superseded', deleted: [] });
    expect(requests).to.deep.equal([
      {
        path: '/2015-03-31/functions/rot-fn/invocations',
        body: `{"action":"destroy","generation":"${G1}"}`, // the payload's wire names
        invocationType: 'RequestResponse',
      },
    ]);
  });

  it("fails with the function's error payload", async () => {
    reply = {
      status: 200,
      headers: { 'x-amz-function-error': 'Unhandled' },
      body: '{"errorType":"TeardownIncompleteError","errorMessage":"teardown left 1 hourly stream(s)"}',
    };
    let error: unknown;
    await invokeRotation(target, { action: 'destroy', generation: G1 }).catch(
      (err: unknown) => (error = err),
    );
    expect((error as Error).message).to.equal(
      'destroy by rot-fn failed (Unhandled): ' +
        '{"errorType":"TeardownIncompleteError","errorMessage":"teardown left 1 hourly stream(s)"}',
    );
  });

  it('makes one attempt only: a throttled or failed request is not sent again (no second teardown)', async () => {
    reply = {
      status: 429,
      headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
      body: '{"message":"Rate exceeded"}',
    };
    let error: unknown;
    await invokeRotation(target, { action: 'deploy', generation: G1 }).catch((err: unknown) => (error = err));
    expect((error as Error).name).to.equal('TooManyRequestsException');
    expect(requests).to.have.length(1);
  });
});

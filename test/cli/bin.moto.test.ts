// The one subprocess test: the package's bin runs the TypeScript CLI through tsx (no build step),
// and the SDK finds moto through AWS_ENDPOINT_URL and the Region through AWS_REGION, as an
// operator's shell would provide them.
import { expect } from 'chai';
import type { RotationPlan } from '../../rotation/core/planner';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { useMoto } from '../support/moto';
import { createStream, motoAws, SETTINGS_ENV_VALUE } from './harness';

const BIN = join(__dirname, '..', '..', 'bin', 'firehose-rotation.js');

function runBin(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('cli bin (subprocess)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let client: FirehoseClient;
  beforeEach(async () => {
    client = controlPlaneClient(motoAws(moto.endpoint));
    await createStream(client, 'events-fallback');
  });
  afterEach(() => client.destroy());

  it('node bin/firehose-rotation.js plan --json plans against the endpoint from the environment', async () => {
    // A clean environment: nothing from the developer's AWS profile may leak into the run.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...SETTINGS_ENV_VALUE,
    };
    const run = await runBin(['plan', '--json', '--now', '2026-11-22T00:30:00Z'], env);
    // serviceQuotaCode's default is read; moto has no Firehose entry: one line, the setting rules.
    expect(run.stderr).to.equal(
      'stream quota: 50 from the quota setting (Service Quotas has no entry (NoSuchResourceException (HTTP 400)))\n',
    );
    expect(run.code).to.equal(0);
    const plan = JSON.parse(run.stdout) as RotationPlan;
    expect([plan.now, plan.countBefore, plan.countAfter, plan.creates.length]).to.deep.equal([
      '2026-11-22T00:30:00.000Z',
      1,
      49, // one slot stays free: the reserve (reserveStreams 1)
      48,
    ]);

    const bad = await runBin(['status', '--now', 'yesterday'], env);
    expect([bad.code, bad.stdout]).to.deep.equal([2, '']);
  });
});

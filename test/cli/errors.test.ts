// Exit codes and exact messages for what goes wrong: bad settings and bad flags are the operator's
// input (exit 2, nothing called), an error answer from AWS is exit 1 with its name and message.
import { expect } from 'chai';
import { Readable } from 'node:stream';
import { BASE_SETTINGS } from '../support/fixtures';
import { DateTime } from 'luxon';
import { cli } from './harness';

/**
 * A request handler that answers every call the way Firehose denies one (awsJson1_1 error body),
 * so the real SDK deserializes a real AccessDeniedException. Records which operations were tried.
 */
function denyingHandler(calls: string[]) {
  return {
    handle(request: { headers: Record<string, string> }) {
      calls.push(request.headers['x-amz-target']);
      const body = JSON.stringify({
        __type: 'AccessDeniedException',
        message:
          'User: arn:aws:iam::123456789012:user/ops is not authorized to perform: firehose:ListDeliveryStreams',
      });
      return Promise.resolve({
        response: {
          statusCode: 400,
          reason: 'Bad Request',
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' },
          body: Readable.from([Buffer.from(body)]),
        },
      });
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
}

/** The quota read (on by default) is denied too: logged, and the quota setting rules. */
const QUOTA_DENIED =
  'stream quota: 50 from the quota setting (Service Quotas has no entry (AccessDeniedException (HTTP 400)))\n';
const QUOTA_CALL = 'ServiceQuotasV20190624.GetServiceQuota';

const offline = {
  endpoint: 'http://127.0.0.1:9',
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  callsPerSecond: 1000,
};

describe('cli errors', () => {
  it('an AWS error is exit 1 with "error: <name>: <message>", not retried', async () => {
    const calls: string[] = [];
    const run = await cli(['plan'], { aws: { ...offline, requestHandler: denyingHandler(calls) as never } });
    expect(run).to.deep.equal({
      code: 1,
      stdout: '',
      stderr:
        QUOTA_DENIED +
        'error: AccessDeniedException: User: arn:aws:iam::123456789012:user/ops is not authorized to perform: ' +
        'firehose:ListDeliveryStreams\n',
    });
    expect(calls).to.deep.equal([QUOTA_CALL, 'Firehose_20150804.ListDeliveryStreams']);
  });

  it('invalid settings are exit 2 with one line per field, before any AWS call', async () => {
    const calls: string[] = [];
    const env = {
      FIREHOSE_ROTATION_SETTINGS: JSON.stringify({ ...BASE_SETTINGS, quota: 1, streamPrefix: 'a b' }),
    };
    const run = await cli(['status'], {
      env,
      aws: { ...offline, requestHandler: denyingHandler(calls) as never },
    });
    expect(run).to.deep.equal({
      code: 2,
      stdout: '',
      stderr:
        'error: invalid settings in FIREHOSE_ROTATION_SETTINGS:\n' +
        '  - streamPrefix: must be 1-53 characters of [a-zA-Z0-9_.-] (the hourly name adds "-yyyyMMddHH" and Firehose allows 64)\n' +
        '  - quota: must be an integer from 2 to 5000 streams\n',
    });
    expect(calls).to.deep.equal([]);
  });

  it('missing settings are exit 2 with where to put them', async () => {
    expect(await cli(['plan'], { env: {}, aws: offline })).to.deep.equal({
      code: 2,
      stdout: '',
      stderr:
        'error: no settings: pass --config <file.json> or set FIREHOSE_ROTATION_SETTINGS to the settings JSON\n',
    });
  });

  for (const command of ['plan', 'rotate', 'status']) {
    it(`${command} --now yesterday is exit 2 naming the flag and the expected format`, async () => {
      expect(await cli([command, '--now', 'yesterday'], { aws: offline })).to.deep.equal({
        code: 2,
        stdout: '',
        stderr:
          "error: option '--now <time>' argument 'yesterday' is invalid. " +
          'expected an RFC 3339 instant with Z or an offset, e.g. 2026-11-22T05:30:00Z\n',
      });
    });
  }

  const clock = () => DateTime.fromISO('2026-11-22T05:30:00Z', { zone: 'utc' });
  const denied =
    'error: AccessDeniedException: User: arn:aws:iam::123456789012:user/ops is not authorized to perform: ' +
    'firehose:ListDeliveryStreams\n';
  for (const command of ['rotate', 'teardown']) {
    it(`${command} --now 2 hours ahead is exit 2 before any AWS call, and runs with --allow-clock-skew`, async () => {
      const calls: string[] = [];
      const aws = { ...offline, requestHandler: denyingHandler(calls) as never };
      const at = (now: string) => [command, ...(command === 'teardown' ? ['--yes'] : []), '--now', now];
      const args = at('2026-11-22T07:30:00Z');
      const progress = (now: string) => (command === 'rotate' ? `rotating at ${now}\n${QUOTA_DENIED}` : '');
      expect(await cli(args, { aws, clock })).to.deep.equal({
        code: 2,
        stdout: '',
        stderr:
          "error: --now 2026-11-22T07:30:00.000Z is 7200 s ahead of this machine's clock " +
          `(2026-11-22T05:30:00.000Z); ${command} accepts at most 300 s, because it changes real streams: ` +
          'ahead it can delete streams the router still writes to, behind it can recreate hours already ' +
          `complete and signal them again. Use plan --now to look; pass --allow-clock-skew to ${command} anyway\n`,
      });
      expect(calls).to.deep.equal([]);
      // The flag says the operator means it: the command goes on to AWS (which denies it here).
      const run = await cli([...args, '--allow-clock-skew'], { aws, clock });
      expect([run.code, run.stderr]).to.deep.equal([1, `${progress('2026-11-22T07:30:00.000Z')}${denied}`]);
      // Within 5 minutes of the clock no flag is needed.
      const near = await cli(at('2026-11-22T05:34:59Z'), { aws, clock });
      expect([near.code, near.stderr]).to.deep.equal([1, `${progress('2026-11-22T05:34:59.000Z')}${denied}`]);
    });
  }

  for (const command of ['plan', 'status']) {
    it(`${command} accepts any --now (it changes nothing)`, async () => {
      const calls: string[] = [];
      const aws = { ...offline, requestHandler: denyingHandler(calls) as never };
      const run = await cli([command, '--now', '2000-01-01T00:00:00Z'], { aws, clock });
      // plan logs the fallback to the quota setting; status shows it in its quotaSource only.
      const logged = command === 'plan' ? QUOTA_DENIED : '';
      expect([run.code, run.stderr]).to.deep.equal([1, `${logged}${denied}`]);
      expect(calls).to.deep.equal([QUOTA_CALL, 'Firehose_20150804.ListDeliveryStreams']);
    });
  }

  it('an unknown option or command is exit 2', async () => {
    const unknownOption = await cli(['teardown', '--force'], { aws: offline });
    expect([unknownOption.code, unknownOption.stderr]).to.deep.equal([
      2,
      "error: unknown option '--force'\n",
    ]);
    const unknownCommand = await cli(['rotat'], { aws: offline });
    expect(unknownCommand.code).to.equal(2);
    expect(unknownCommand.stderr).to.equal("error: unknown command 'rotat'\n(Did you mean rotate?)\n");
  });

  it('--help is exit 0 and lists the four commands on stdout', async () => {
    const run = await cli(['--help']);
    expect(run.code).to.equal(0);
    expect(run.stderr).to.equal('');
    const commands = run.stdout
      .split('\n')
      .filter((l) => /^ {2}[a-z]+ \[options\]/.test(l))
      .map((l) => l.trim().split(' ')[0]);
    expect(commands).to.deep.equal(['plan', 'rotate', 'status', 'teardown']);
  });
});

// `status --timeline` end to end on moto: a rotated account with another deployment's stream under
// our name for the next hour. Piped it prints plain characters; on a terminal, colour (unless
// NO_COLOR); `--json` stays the status document whatever --timeline says.
import { expect } from 'chai';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { OWNER_TAG } from '../../rotation/core/settings';
import { useMoto } from '../support/moto';
import { cli as runIn, createStream, motoAws, RunOptions, SETTINGS_ENV_VALUE, seedAccount } from './harness';

/** The escape that starts an ANSI colour code. */
const ESC = '\u001b';

describe('status --timeline on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let client: FirehoseClient;
  const cli = (argv: string[], opts: RunOptions = {}) =>
    runIn(argv, { aws: motoAws(moto.endpoint), ...opts });

  beforeEach(async () => {
    client = controlPlaneClient(motoAws(moto.endpoint));
    await seedAccount(client, moto.endpoint);
    // A second deployment with our streamPrefix made 01:00's stream first.
    await createStream(client, 'events-2026112301', { [OWNER_TAG]: 'someone/else' });
    await cli(['rotate', '--allow-clock-skew', '--now', '2026-11-22T23:30:00Z']);
  });
  afterEach(() => client.destroy());

  const NOW = ['--now', '2026-11-23T00:10:00Z'];

  it('piped: the exact timeline, the conflict marked and named', async () => {
    const run = await cli(['status', '--timeline', ...NOW]);
    // The timeline's plan reads the stream quota (serviceQuotaCode's default); moto has no entry.
    expect([run.code, run.stderr]).to.deep.equal([
      0,
      'stream quota: 50 from the quota setting (Service Quotas has no entry (NoSuchResourceException (HTTP 400)))\n',
    ]);
    expect(run.stdout).to.equal(
      [
        'timeline of events-yyyyMMddHH at 00:10 UTC',
        '           00    03    06    09    12    15    18    21',
        '2026-11-22 . . . . . . . . . . . . . . . . . . . . . . = =',
        '2026-11-23 # C + + + + + + + + + + + + + + + + + + + + + +  today',
        '2026-11-24 ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! !  tomorrow, 24 missing',
        'legend: # current  + upcoming  = draining  - drained (to delete)  . deleted',
        "        ! missing  C another owner's stream  ~ not ACTIVE  > beyond the horizon",
        'quota 50: 28 streams in us-east-1, headroom 22',
        'fallback events-fallback: ACTIVE',
        'next gap: 2026-11-24 00:00 UTC (its records go to the fallback)',
        'shortfall: 3 hour(s) without room in the quota, nearest 2026-11-24 21:00 UTC',
        'conflict, left alone: events-2026112301',
        '',
      ].join('\n'),
    );
  });

  it('colour on a terminal only, never with NO_COLOR; --json is the status document unchanged', async () => {
    const piped = await cli(['status', '--timeline', ...NOW]);
    const tty = await cli(['status', '--timeline', ...NOW], { stdoutIsTTY: true });
    expect(tty.stdout).to.include('\u001b[1;35mC\u001b[0m');
    expect(tty.stdout.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')).to.equal(piped.stdout);
    const noColour = await cli(['status', '--timeline', ...NOW], {
      stdoutIsTTY: true,
      env: { ...SETTINGS_ENV_VALUE, NO_COLOR: '1' },
    });
    expect(noColour.stdout).to.equal(piped.stdout);

    const json = await cli(['status', '--json', ...NOW]);
    const both = await cli(['status', '--json', '--timeline', ...NOW], { stdoutIsTTY: true });
    expect(both.stdout).to.equal(json.stdout);
    expect(Object.keys(JSON.parse(both.stdout) as object)).to.deep.equal([
      'now',
      'region',
      'quota',
      'streamsInRegion',
      'headroom',
      'fallback',
      'hourly',
      'nextHourWithoutStream',
      'quotaSource',
      'sharing',
    ]);
  });
});

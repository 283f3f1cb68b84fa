// Tried as a new user would, with the CLI on moto and default settings: a second environment
// arriving beside a first that fills the quota, and an operator's settings file with a new
// streamPrefix and no former generations (ownership is the tag).
import { expect } from 'chai';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { FALLBACK_OF_TAG } from '../../rotation/core/region-census';
import { DateTime } from 'luxon';
import { BASE_SETTINGS } from '../support/fixtures';
import { clientConfig, useMoto } from '../support/moto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { cli as runIn, createStream, motoAws } from '../cli/harness';

const PROD = {
  ...BASE_SETTINGS,
  deploymentId: 'team/prod',
  streamPrefix: 'events',
  fallbackStreamName: 'events-fallback',
};
const DEV = {
  ...PROD,
  deploymentId: 'team/dev',
  streamPrefix: 'events-dev',
  fallbackStreamName: 'events-dev-fallback',
};
const env = (s: object) => ({ FIREHOSE_ROTATION_SETTINGS: JSON.stringify(s) });
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

describe('sharing on moto: two environments with defaults, through the CLI', function () {
  this.timeout(300_000);
  const moto = useMoto();
  let client: FirehoseClient;
  beforeEach(async () => {
    client = controlPlaneClient(motoAws(moto.endpoint));
    // The bucket the hour-complete markers go to: without it a drained hour is held for a retry.
    const s3 = new S3Client(clientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    s3.destroy();
  });
  afterEach(() => client.destroy());

  /** `rotate --json` of one stack at `iso`, the machine's clock at the same instant. */
  const rotate = async (s: object, iso: string) => {
    const run = await runIn(['--json', 'rotate', '--now', iso], {
      env: env(s),
      aws: motoAws(moto.endpoint),
      clock: () => at(iso),
    });
    expect(run.code, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as {
      created: string[];
      deleted: string[];
      sharing: { deployments: number; share: number | null; farAhead: number; givenBack: number };
      orphans: { deleted: string[]; draining: string[] };
    };
  };
  const has = async (name: string) => (await listStreamNames(client)).includes(name);
  const count = async (prefix: string) =>
    (await listStreamNames(client)).filter((n) => n.startsWith(`${prefix}-2`)).length;

  it('dev started when prod holds 48 streams has its current hour after its first run, then current and next on every run', async () => {
    await createStream(client, PROD.fallbackStreamName, { [FALLBACK_OF_TAG]: PROD.deploymentId });
    for (const iso of ['2026-11-22T00:30:00Z', '2026-11-22T01:30:00Z', '2026-11-22T02:30:00Z'])
      await rotate(PROD, iso);
    expect((await listStreamNames(client)).length).to.equal(48); // 47 hourly + its fallback
    // dev's `pulumi up`: its fallback, tagged with the deployment it serves.
    await createStream(client, DEV.fallbackStreamName, { [FALLBACK_OF_TAG]: DEV.deploymentId });
    const first = await rotate(DEV, '2026-11-22T02:40:00Z');
    expect(first.sharing.deployments).to.equal(2);
    expect(await has('events-dev-2026112202')).to.equal(true);
    // prod's next run sees dev and gives back its farthest far-ahead hours, down to its share.
    const prod = await rotate(PROD, '2026-11-22T03:30:00Z');
    expect(prod.sharing).to.include({ deployments: 2, share: 19, farAhead: 19 });
    expect(prod.sharing.givenBack).to.equal(24);
    for (let h = 0; h < 6; h++) {
      const t = at('2026-11-22T03:40:00Z').plus({ hours: h });
      for (const [s, iso] of [
        [DEV, t],
        [PROD, t.plus({ minutes: 50 })],
      ] as const) {
        await rotate(s, iso.toISO());
        const cur = iso.startOf('hour');
        for (const hour of [cur, cur.plus({ hours: 1 })])
          expect(
            await has(`${s.streamPrefix}-${hour.toFormat('yyyyMMddHH')}`),
            `${s.streamPrefix} at ${iso.toISO()}`,
          ).to.equal(true);
        expect((await listStreamNames(client)).length).to.be.at.most(50);
      }
    }
    // Each holds its live window and its share: 3 near-term and draining + 19 or 20 far-ahead.
    expect([await count('events'), await count('events-dev')]).to.deep.equal([22, 23]);
    // status --timeline names the other deployment and the share; hours left to it show `s`
    // (at 09:45 the last run was 08:40's: hour 10 has become near-term since, so 19 far-ahead).
    const iso = '2026-11-22T09:45:00Z';
    const run = await runIn(['status', '--timeline', '--now', iso], {
      env: env(DEV),
      aws: motoAws(moto.endpoint),
    });
    const lines = run.stdout.split('\n');
    expect(lines.slice(-2, -1)).to.deep.equal([
      'sharing: 2 deployments in the Region (this one, team/prod); far-ahead 19, share 20',
    ]);
    expect(lines).to.include('        s left to other deployments (fair share)');
    expect(lines[3]).to.equal('2026-11-23 + + + + + + s s s s s s s s s s s s s s s s s s  tomorrow');
  });

  it('a settings file with a new streamPrefix and no former generations: the 47 old streams go as they drain, the new current hour gets room', async () => {
    await createStream(client, PROD.fallbackStreamName, { [FALLBACK_OF_TAG]: PROD.deploymentId });
    for (const iso of ['2026-11-22T00:30:00Z', '2026-11-22T01:30:00Z', '2026-11-22T02:30:00Z'])
      await rotate(PROD, iso);
    expect(await count('events')).to.equal(47);
    const renamed = { ...PROD, streamPrefix: 'clicks' };
    const first = await rotate(renamed, '2026-11-22T02:40:00Z');
    // 01 (draining), 02 (current) and 03 (next) wait for their drain; the 44 far-ahead go at once.
    expect(first.orphans.deleted).to.have.length(44);
    expect(first.orphans.draining).to.deep.equal([
      'events-2026112201',
      'events-2026112202',
      'events-2026112203',
    ]);
    expect(await has('clicks-2026112202')).to.equal(true);
    expect(await has('clicks-2026112203')).to.equal(true);
    // 03:20: hour 01 has drained (lateness 60 + margin 15 + its own 300 s buffer).
    expect((await rotate(renamed, '2026-11-22T03:30:00Z')).orphans.deleted).to.deep.equal([
      'events-2026112201',
    ]);
    await rotate(renamed, '2026-11-22T04:30:00Z');
    await rotate(renamed, '2026-11-22T05:30:00Z');
    expect(await count('events')).to.equal(0);
    expect(await count('clicks')).to.be.above(40);
  });
});

// The CLI in-process against moto: plan, rotate and status, their JSON documents (exact keys) and
// tables, and that `plan` changes nothing.
import { expect } from 'chai';
import { DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import type { StatusReport } from '../../rotation/cli/status';
import type { HourComplete } from '../../rotation/core/hour-complete';
import type { RotationPlan } from '../../rotation/core/planner';
import type { RotationSummary } from '../../rotation/core/rotation-summary';
import { clientConfig, useMoto } from '../support/moto';
import { cli as runIn, motoAws, RunOptions, seedAccount, snapshot } from './harness';

// serviceQuotaCode defaults to Firehose's delivery-stream quota; moto has no Firehose entry, so every
// run says so once (plan and rotate on stderr) and plans with the quota setting.
const NO_QUOTA_ENTRY = 'Service Quotas has no entry (NoSuchResourceException (HTTP 400))';
const QUOTA_LOG = `stream quota: 50 from the quota setting (${NO_QUOTA_ENTRY})`;

describe('cli on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let client: FirehoseClient;
  const cli = (argv: string[], opts: RunOptions = {}) =>
    runIn(argv, { aws: motoAws(moto.endpoint), ...opts });

  beforeEach(async () => {
    client = controlPlaneClient(motoAws(moto.endpoint));
    await seedAccount(client, moto.endpoint);
  });
  afterEach(() => client.destroy());

  it('plan --json prints the plan with exact keys and changes nothing', async () => {
    await cli(['rotate', '--allow-clock-skew', '--now', '2026-11-22T23:30:00Z']);
    const before = await snapshot(client);
    const run = await cli(['plan', '--json', '--now', '2026-11-23T02:30:00+01:00']); // 01:30Z
    expect(run.code).to.equal(0);
    expect(run.stderr).to.equal(`${QUOTA_LOG}\n`);
    const plan = JSON.parse(run.stdout) as RotationPlan;
    expect(Object.keys(plan)).to.deep.equal([
      'now',
      'quota',
      'quotaSource',
      'budget',
      'reserve',
      'fallbackMissing',
      'countBefore',
      'countAfter',
      'foreignCount',
      'deletes',
      'creates',
      'staleKept',
      'shortfall',
      'conflicts',
      'keeps',
      'sharing',
    ]);
    expect(plan.now).to.equal('2026-11-23T01:30:00.000Z');
    expect([plan.quota, plan.countBefore, plan.foreignCount]).to.deep.equal([50, 28, 2]);
    // 22h and 23h of the 22nd drained at 00:20 and 01:20; the horizon now ends with the 24th.
    expect(plan.deletes).to.deep.equal([
      { name: 'events-2026112222', hour: '2026112222', reason: 'drained' },
      { name: 'events-2026112223', hour: '2026112223', reason: 'drained' },
    ]);
    // The reserve (one free slot) keeps the 24th's last hour for a later run.
    expect(plan.creates).to.have.length(23);
    expect(plan.creates.slice(0, 2)).to.deep.equal([
      { name: 'events-2026112400', hour: '2026112400' },
      { name: 'events-2026112401', hour: '2026112401' },
    ]);
    expect([plan.keeps.length, plan.countAfter, plan.shortfall, plan.conflicts]).to.deep.equal([
      24,
      49,
      ['2026112423'],
      [],
    ]);
    const text = await cli(['plan', '--now', '2026-11-23T01:30:00Z']);
    expect(text.stdout.split('\n').slice(0, 5)).to.deep.equal([
      'plan at 2026-11-23T01:30:00.000Z',
      'streams in Region: 28 now, 49 after (quota 50, 2 not ours incl. the fallback)',
      `quota: 50 from the quota setting (${NO_QUOTA_ENTRY}); budget 50 streams incl. the fallback, reserve 1 free`,
      'create (23):',
      '  HOUR        STREAM',
    ]);
    expect(await snapshot(client)).to.deep.equal(before);
  });

  it('rotate applies the plan: progress on stderr, the Lambda summary on stdout, drained hours signalled', async () => {
    const run = await cli(['rotate', '--allow-clock-skew', '--now', '2026-11-22T23:30:00Z']);
    expect(run.code).to.equal(0);
    const progress = run.stderr.trim().split('\n');
    expect(progress.slice(0, 4)).to.deep.equal([
      'rotating at 2026-11-22T23:30:00.000Z',
      QUOTA_LOG,
      'created events-2026112223',
      'created events-2026112300',
    ]);
    expect(progress).to.have.length(28);
    expect(run.stdout.split('\n').slice(0, 2)).to.deep.equal([
      'rotated at 2026-11-22T23:30:00.000Z: created 26, deleted 0, kept 0, recreated 0, hours signalled complete 0',
      'streams in Region after: 28 of quota 50 (headroom 22)',
    ]);
    expect(await listStreamNames(client)).to.have.length(28);

    const json = JSON.parse(
      (await cli(['--json', 'rotate', '--allow-clock-skew', '--now', '2026-11-23T01:30:00Z'])).stdout,
    ) as RotationSummary;
    expect(Object.keys(json)).to.deep.equal([
      'action',
      'now',
      'created',
      'deleted',
      'completed',
      'kept',
      'shortfall',
      'nearTermShortfall',
      'tomorrowMissing',
      'conflicts',
      'quota',
      'quotaSource',
      'fallbackMissing',
      'streamsAfter',
      'quotaHeadroom',
      'notDeleted',
      'recreated',
      'staleKept',
      'signalFailures',
      'sharing',
      'orphans',
    ]);
    expect(json.created).to.have.length(23);
    const { created, ...rest } = json;
    void created;
    expect(rest).to.deep.equal({
      action: 'rotate',
      now: '2026-11-23T01:30:00.000Z',
      deleted: ['events-2026112222', 'events-2026112223'],
      completed: ['2026112222', '2026112223'],
      kept: 24,
      shortfall: ['2026112423'],
      nearTermShortfall: 0,
      tomorrowMissing: 1,
      conflicts: [],
      quota: 50,
      quotaSource: `50 from the quota setting (${NO_QUOTA_ENTRY})`,
      fallbackMissing: false,
      streamsAfter: 49,
      quotaHeadroom: 1,
      notDeleted: [],
      recreated: [],
      staleKept: [],
      signalFailures: [],
      // other-team-0 carries no deployment tag: alone, so no share and nothing given back.
      sharing: { deployments: 1, others: [], share: null, farAhead: 44, givenBack: 0, needsFit: true },
      orphans: { deleted: [], draining: [], refused: [] },
    });
    // The marker a consumer waits for, written by the CLI run as by the Lambda.
    const s3 = new S3Client(clientConfig(moto.endpoint));
    const marker = await s3.send(
      new GetObjectCommand({ Bucket: 'demo-lake', Key: 'data/dt=2026-11-22/hr=23/_SUCCESS' }),
    );
    expect((JSON.parse(await marker.Body!.transformToString()) as HourComplete).stream).to.equal(
      'events-2026112223',
    );
    s3.destroy();
  });

  it('status --json reports hourly streams, fallback, headroom and the next free hour', async () => {
    await cli(['rotate', '--allow-clock-skew', '--now', '2026-11-22T23:30:00Z']);
    const run = await cli(['status', '--json', '--now', '2026-11-23T00:10:00Z']);
    expect(run.code).to.equal(0);
    const status = JSON.parse(run.stdout) as StatusReport;
    expect(Object.keys(status)).to.deep.equal([
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
    expect(status.hourly).to.have.length(26);
    expect(status.hourly.slice(0, 3)).to.deep.equal([
      {
        name: 'events-2026112222',
        hour: '2026112222',
        state: 'ACTIVE',
        window: 'draining',
        config: 'current',
      },
      {
        name: 'events-2026112223',
        hour: '2026112223',
        state: 'ACTIVE',
        window: 'accepting-late',
        config: 'current',
      },
      {
        name: 'events-2026112300',
        hour: '2026112300',
        state: 'ACTIVE',
        window: 'current',
        config: 'current',
      },
    ]);
    const { hourly, ...rest } = status;
    void hourly;
    expect(rest).to.deep.equal({
      now: '2026-11-23T00:10:00.000Z',
      region: 'us-east-1',
      quota: 50,
      quotaSource: `50 from the quota setting (${NO_QUOTA_ENTRY})`,
      streamsInRegion: 28,
      headroom: 22,
      fallback: { name: 'events-fallback', state: 'ACTIVE' },
      nextHourWithoutStream: '2026112400',
      // Alone (other-team-0 has no deployment tag): no share, no line in the text below.
      sharing: { deployments: ['demo/dev'], share: null, farAhead: 22, needsFit: true, orphans: [] },
    });
    const text = await cli(['status', '--now', '2026-11-23T00:10:00Z']);
    expect(text.stdout.split('\n').slice(0, 8)).to.deep.equal([
      'status at 2026-11-23T00:10:00.000Z in us-east-1',
      'streams in Region: 28 of quota 50 (headroom 22)',
      `quota: 50 from the quota setting (${NO_QUOTA_ENTRY})`,
      'fallback: events-fallback ACTIVE',
      'next hour without a stream: 2026112400',
      'hourly streams (26):',
      '  HOUR        STREAM             STATE   WINDOW          CONFIG',
      '  2026112222  events-2026112222  ACTIVE  draining        current',
    ]);
  });

  it('a missing fallback is an error in plan, rotate and status: printed result, then exit 1', async () => {
    await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'events-fallback' }));
    const error =
      'error: fallback stream events-fallback does not exist: late, early and unroutable records have ' +
      'nowhere to go; run `pulumi up` to recreate it (its slot in the quota is kept free)\n';
    const plan = await cli(['plan', '--json', '--now', '2026-11-23T01:30:00Z']);
    expect([plan.code, plan.stderr, (JSON.parse(plan.stdout) as RotationPlan).fallbackMissing]).to.deep.equal(
      [1, `${QUOTA_LOG}\n${error}`, true],
    );
    const rotate = await cli(['rotate', '--now', '2026-11-23T01:30:00Z', '--allow-clock-skew']);
    expect(rotate.code).to.equal(1);
    expect(rotate.stderr.endsWith(error)).to.equal(true);
    expect(rotate.stdout).to.include('fallback: MISSING (its slot is kept free)\n');
    // 50 − 1 foreign (seeded) − the fallback's slot − the reserve = 47 hourly streams.
    expect(await listStreamNames(client)).to.have.length(48);
    const status = await cli(['status', '--now', '2026-11-23T01:30:00Z']);
    expect([status.code, status.stderr]).to.deep.equal([1, error]);
    expect(status.stdout).to.include('fallback: events-fallback MISSING\n');
  });
});

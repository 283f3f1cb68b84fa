// `teardown` in-process against moto: only owned streams go (never the fallback, a foreign stream
// or a lookalike with our name and another deployment's tag), and without a "yes" nothing changes.
import { expect } from 'chai';
import type { TeardownReport } from '../../rotation/cli/commands';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { useMoto } from '../support/moto';
import { cli as runIn, createStream, motoAws, RunOptions, seedAccount, snapshot } from './harness';

describe('cli teardown on moto', function () {
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

  it('teardown --yes deletes only owned streams: never the fallback, a foreign or a lookalike', async () => {
    await createStream(client, 'events-2026112305', { 'firehose-rotation:deployment': 'other/stack' }); // lookalike
    await cli(['rotate', '--allow-clock-skew', '--now', '2026-11-22T23:30:00Z']);
    const run = await cli(['teardown', '--yes', '--json']);
    expect(run.code).to.equal(0);
    const report = JSON.parse(run.stdout) as TeardownReport;
    expect(Object.keys(report)).to.deep.equal(['deleted', 'notDeleted']);
    expect(report.deleted).to.have.length(25);
    expect(report.deleted).to.not.include('events-2026112305');
    expect((await listStreamNames(client)).sort()).to.deep.equal([
      'events-2026112305',
      'events-fallback',
      'other-team-0',
    ]);
  });

  it('teardown without --yes: refused without a terminal (exit 2), asks on one, and "no" deletes nothing', async () => {
    await cli(['rotate', '--allow-clock-skew', '--now', '2026-11-22T23:30:00Z']);
    const before = await snapshot(client);
    const refused = await cli(['teardown']);
    expect(refused).to.deep.equal({
      code: 2,
      stdout: '',
      stderr: 'error: teardown deletes streams: pass --yes to confirm without a terminal\n',
    });
    const asked: string[] = [];
    const declined = await cli(['teardown'], { isTTY: true, answer: false, asked });
    expect(declined.code).to.equal(2);
    expect(declined.stderr).to.equal('error: teardown cancelled: nothing was deleted\n');
    expect(asked).to.deep.equal([
      'Delete every stream named events-yyyyMMddHH owned by deployment demo/dev ' +
        '(26 candidate(s); the fallback events-fallback stays)?',
    ]);
    expect(await snapshot(client)).to.deep.equal(before);

    const accepted = await cli(['teardown'], { isTTY: true, answer: true });
    expect(accepted.code).to.equal(0);
    expect((await listStreamNames(client)).sort()).to.deep.equal(['events-fallback', 'other-team-0']);
  });
});

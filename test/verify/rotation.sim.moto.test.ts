// CI-sized part 1 of `npm run verify`: the same simulation with fewer days and more faults, and
// proof that its checks can fail (a harness that never fails proves nothing).
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import { parseSettings } from '../../rotation/core/settings';
import { RotationChecker } from '../../verify/rotation-checks';
import { runRotationSim } from '../../verify/rotation-sim';
import { SimClock } from '../../verify/sim-support';
import { clientConfig, useMoto } from '../support/moto';
import { BASE_SETTINGS } from '../support/fixtures';

describe('verify: rotation simulation on moto (CI size)', function () {
  this.timeout(120_000);
  const moto = useMoto();

  it('3 days of hourly runs with 20% faulted calls and 20% crashing runs: no violation, converges', async () => {
    const f = await runRotationSim({
      endpoint: moto.endpoint,
      days: 3,
      seed: 20261122,
      faultRate: 0.2,
      crashRate: 0.2,
      quota: 45,
      maxForeign: 6,
    });
    expect(f.violations).to.deep.equal([]);
    expect(f.violationCount).to.equal(0);
    expect(f.limitExceeded).to.equal(0);
    expect(f.rotations).to.equal(3 * 24 + 2);
    expect(f.completed + f.crashed + f.failed).to.equal(f.rotations);
    // Eight attempts per call: a 20% fault rate never exhausts them, so only injected crashes fail.
    expect(f.failed).to.equal(0);
    expect(f.convergence.secondRunNoOp).to.equal(true);
    // Far-ahead creates leave the reserve (reserveStreams 1) free: 44 of 45.
    expect(f.maxAfterCreate).to.equal(44);
    // The pacer spaces attempts 200 ms apart in simulated time: at most 5 start in any second.
    expect(f.maxCallsPerSecond).to.equal(5);
    // The chaos really happened: every fault kind, crashes, foreign streams, and quota pressure.
    for (const kind of Object.keys(f.faultsByKind)) expect(f.faultsByKind[kind as 'throttle']).to.be.above(0);
    expect(f.crashed).to.be.above(0);
    expect(f.foreignAppeared).to.be.above(0);
    expect(f.shortfallHours).to.be.above(0);
  });

  it('2 days with two streams per hour: no violation, every hour both streams within the quota', async () => {
    const f = await runRotationSim({
      endpoint: moto.endpoint,
      days: 2,
      seed: 20261201,
      faultRate: 0.1,
      crashRate: 0.1,
      quota: 45,
      maxForeign: 6,
      settings: { streamsPerHour: 2 },
    });
    expect(f.violations).to.deep.equal([]);
    expect([f.violationCount, f.limitExceeded, f.streamsPerHour]).to.deep.equal([0, 0, 2]);
    expect(f.maxAfterCreate).to.equal(44);
    expect(f.convergence.secondRunNoOp).to.equal(true);
    // 48 hours × 2 streams at most fit beside 44: quota pressure every run.
    expect(f.shortfallHours).to.be.above(0);
  });

  describe('the checks catch what they are meant to catch', () => {
    const s = parseSettings({ ...BASE_SETTINGS, quota: 5 });
    const checker = (iso: string) =>
      new RotationChecker(s, SimClock.at(iso), new FirehoseClient(clientConfig(moto.endpoint)));

    it('a delete before the drain instant (hour 04 drains at 06:20 with the defaults)', () => {
      const c = checker('2026-11-22T06:19:59Z');
      c.before('DeleteDeliveryStream', { DeliveryStreamName: 'events-2026112204' });
      expect(c.violations.list).to.deep.equal([
        '2026-11-22T06:19:59.000Z: deleted events-2026112204 before its drain instant 2026-11-22T06:20:00.000Z',
      ]);
      const ok = checker('2026-11-22T06:20:00Z');
      ok.before('DeleteDeliveryStream', { DeliveryStreamName: 'events-2026112204' });
      expect(ok.violations.count).to.equal(0);
    });

    it('any write to the fallback, a foreign stream or a non-hourly name, and unexpected calls', async () => {
      const c = checker('2026-11-22T06:00:00Z');
      await c.createForeign('other-team-0', { owner: 'other' });
      c.before('DeleteDeliveryStream', { DeliveryStreamName: 'events-fallback' });
      c.before('DeleteDeliveryStream', { DeliveryStreamName: 'other-team-0' });
      c.before('CreateDeliveryStream', { DeliveryStreamName: 'events-x' });
      c.before('UpdateDestination', { DeliveryStreamName: 'events-2026112204' });
      expect(c.violations.list.map((v) => v.slice(26))).to.deep.equal([
        'DeleteDeliveryStream on events-fallback, which is not ours',
        'DeleteDeliveryStream on other-team-0, which is not ours',
        'CreateDeliveryStream on events-x, not an hourly name',
        'unexpected control-plane call UpdateDestination on events-2026112204',
      ]);
    });

    it('a sibling-shaped name beyond streamsPerHour is not ours', () => {
      const c = checker('2026-11-22T06:00:00Z');
      c.before('CreateDeliveryStream', { DeliveryStreamName: 'events-2026112207-1' });
      expect(c.violations.list.map((v) => v.slice(26))).to.deep.equal([
        'CreateDeliveryStream on events-2026112207-1, not an hourly name',
      ]);
    });

    it('a count above the quota after a create, and a LimitExceededException', async () => {
      const c = checker('2026-11-22T06:00:00Z');
      for (let i = 0; i < 6; i++) await c.createForeign(`other-team-${i}`, {});
      await c.after('CreateDeliveryStream', {}, 200);
      await c.after('CreateDeliveryStream', {}, 400, 'LimitExceededException');
      expect(c.violations.list.map((v) => v.slice(26))).to.deep.equal([
        '6 streams after a create, quota 5',
        "LimitExceededException: the plan overshot the account's real limit",
      ]);
    });

    it('after a completed run: a drained stream kept, needed hours missing with room, the fallback gone', async () => {
      const c = checker('2026-11-22T06:30:00Z');
      await c.createForeign('events-2026112204', {}, false); // ours by name, drained at 06:20
      await c.createForeign('events-2026112209', {}, false); // a later hour, while 06 is missing
      await c.afterRun(SimClock.at('2026-11-22T06:30:00Z').now(), true);
      expect(c.violations.list.map((v) => v.slice(26))).to.deep.equal([
        'events-fallback disappeared',
        'drained events-2026112204 was kept',
        '42 needed hours missing with 2/5',
        'current hour events-2026112206 missing while later hours exist',
      ]);
    });
  });
});

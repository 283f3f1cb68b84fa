// CI-sized part 3 of `npm run verify`: three deployments and foreign streams in one quota on moto.
import { expect } from 'chai';
import { runSharingSim, SHARING_SETUP } from '../../verify/sharing-sim';
import { useMoto } from '../support/moto';

describe('verify: several deployments in one quota on moto (CI size)', function () {
  this.timeout(180_000);
  const moto = useMoto();

  it('2 days, 3 deployments in random order: never over 50; current and next always there while the needs fit; misses reported by their own deployment', async () => {
    // Day 1: no foreign streams. Day 2: a wave of 40 takes the reserve and more.
    const f = await runSharingSim({
      endpoint: moto.endpoint,
      days: 2,
      seed: 20261201,
      ...SHARING_SETUP,
      foreignWaves: [0, 40],
    });
    expect(f.violations).to.deep.equal([]);
    expect(f.runs).to.equal(2 * 24 * 3);
    expect(f.maxStreamCount).to.equal(50);
    expect(f.limitExceeded).to.equal(0);
    expect(f.minimumNeeds).to.equal(15);
    expect(f.deployments.map((d) => d.nearMissesWhileFitting)).to.deep.equal([0, 0, 0]);
    // The wave really squeezed them, and every miss was in the deployment's own shortfall.
    expect(f.hoursOverfull).to.be.above(0);
    for (const d of f.deployments) expect(d.reportedOwnShortfall).to.equal(d.nearMissesOverfull);
    expect(f.deployments.some((d) => d.nearMissesOverfull > 0)).to.equal(true);
    // Lookaheads held: prod's 14 hours is 17 streams, staging's 6 is 9, dev's 2 is 5.
    expect(f.deployments.map((d) => d.maxHeld)).to.deep.equal([17, 9, 5]);
    expect(f.quotaLog).to.deep.equal([
      'stream quota: 50 from the quota setting (Service Quotas has no entry (NoSuchResourceException (HTTP 400)))',
    ]);
  });
});

// CI-sized part 3 of `npm run verify`: three deployments with default settings, arriving at
// hours 0, 5 and 13, and foreign streams, in one quota on moto.
import { expect } from 'chai';
import { runSharingSim, SHARING_SETUP } from '../../verify/sharing-sim';
import { useMoto } from '../support/moto';

describe('verify: several deployments in one quota on moto (CI size)', function () {
  this.timeout(300_000);
  const moto = useMoto();

  it('3 days, defaults, random order: never over 50; current and next there while the needs fit; far-ahead within one of the share', async () => {
    // Day 1: no foreign streams. Day 2: 4 (fits). Day 3: a wave of 40 takes more than fits.
    const f = await runSharingSim({
      endpoint: moto.endpoint,
      days: 3,
      seed: 20261207,
      ...SHARING_SETUP,
      foreignWaves: [0, 4, 40],
    });
    expect(f.violations).to.deep.equal([]);
    expect(f.maxStreamCount).to.be.at.most(50);
    expect(f.limitExceeded).to.equal(0);
    expect(f.minimumNeeds).to.equal(15);
    expect(f.deployments.map((d) => d.nearMissesWhileFitting)).to.deep.equal([0, 0, 0]);
    for (const d of f.deployments) expect(d.maxShareGap, d.name).to.be.at.most(1);
    // The wave really squeezed them, and every miss was in the deployment's own shortfall.
    expect(f.hoursOverfull).to.equal(16);
    expect(f.deployments.map((d) => d.arrivalMisses)).to.deep.equal([0, 0, 0]);
    for (const d of f.deployments) expect(d.reportedOwnShortfall).to.equal(d.nearMissesOverfull);
    expect(f.deployments.some((d) => d.nearMissesOverfull > 0)).to.equal(true);
    // Runs from each arrival (hours 0, 5, 13); prod held 48 alone, then staging and dev their shares.
    expect(f.deployments.map((d) => d.runs)).to.deep.equal([72, 67, 59]);
    expect(f.deployments.map((d) => d.maxHeld)).to.deep.equal([48, 23, 15]);
  });
});

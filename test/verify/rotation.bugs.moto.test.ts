// What the rotation simulation found (fixed in firehose-clients.ts since). The test states the
// behaviour the design asks for ("retry throttles with backoff") and stays as a regression test.
import { expect } from 'chai';
import { runRotationSim } from '../../verify/rotation-sim';
import { useMoto } from '../support/moto';

describe('verify: rotation findings', function () {
  this.timeout(120_000);
  const moto = useMoto();

  it('under sustained 40% control-plane faults, no run gives up while it has attempts left', async () => {
    // controlPlaneClient allows 8 attempts per call. The SDK's standard retry strategy also keeps a
    // client-wide retry quota (500 tokens, 5 per retry, 10 per timeout retry, +1 per success);
    // the client lives as long as the Lambda container, so sustained faults drain it and from
    // then on a single throttle fails the whole run after 1 or 2 attempts.
    const f = await runRotationSim({
      endpoint: moto.endpoint,
      days: 2,
      seed: 3,
      faultRate: 0.4,
      crashRate: 0,
      quota: 45,
      maxForeign: 4,
    });
    expect(f.violations).to.deep.equal([]); // the invariants hold either way: the next run heals
    expect(f.failedReasons).to.deep.equal({});
    expect(f.failed).to.equal(0);
  });
});
